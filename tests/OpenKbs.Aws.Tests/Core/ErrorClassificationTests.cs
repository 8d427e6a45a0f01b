using System.Net;
using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Tests.Core;

public sealed class ErrorClassificationTests
{
    public static TheoryData<string, string, int, AwsErrorClassification> Table => new()
    {
        { "organizations", "AWSOrganizationsNotInUseException", 400, AwsErrorClassification.NotFound },
        { "organizations", "DuplicateOrganizationalUnitException", 400, AwsErrorClassification.Conflict },
        { "organizations", "AccessDeniedException", 400, AwsErrorClassification.Terminal },
        { "organizations", "InvalidInputException", 400, AwsErrorClassification.Terminal },
        { "iam", "EntityAlreadyExists", 409, AwsErrorClassification.Conflict },
        { "iam", "ServiceFailure", 500, AwsErrorClassification.Transient },
        { "iam", "Throttling", 400, AwsErrorClassification.Throttling },
        { "lambda", "InvalidParameterValueException", 400, AwsErrorClassification.Terminal },
        { "lambda", "PreconditionFailedException", 412, AwsErrorClassification.Conflict },
        { "sts", "AccessDenied", 403, AwsErrorClassification.Terminal },
        { "scheduler", "ThrottlingException", 400, AwsErrorClassification.Throttling },
        { "unknown-service", "SomethingNew", 503, AwsErrorClassification.Transient },
        { "unknown-service", "SomethingNew", 429, AwsErrorClassification.Throttling },
        { "unknown-service", "SomethingNew", 404, AwsErrorClassification.NotFound },
        { "unknown-service", "SomethingNew", 409, AwsErrorClassification.Conflict },
        { "unknown-service", "SomethingNew", 400, AwsErrorClassification.Terminal },
        { "unknown-service", "RequestTimeout", 400, AwsErrorClassification.Transient },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Classifies(string service, string code, int status, AwsErrorClassification expected) =>
        Assert.Equal(expected, AwsErrorCodes.Classify(service, code, (HttpStatusCode)status));

    [Fact]
    public void Every_service_table_names_terminal_and_not_found_codes()
    {
        foreach (var service in AwsServices.All.Select(s => s.SigningName).Where(s => s is not ("events" or "ce")))
        {
            var codes = AwsErrorCodes.CodesFor(service);
            Assert.Contains(AwsErrorClassification.Terminal, codes.Values);
        }
    }
}
