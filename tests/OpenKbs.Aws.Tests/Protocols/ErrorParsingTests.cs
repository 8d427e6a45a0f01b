using System.Net;
using System.Text;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Protocols;

namespace OpenKbs.Aws.Tests.Protocols;

/// <summary>Error bodies as each protocol sends them (shapes from aws-wire-protocols.md §1 and moto), parsed and classified.</summary>
public sealed class ErrorParsingTests
{
    public sealed record Case(
        string Name,
        AwsProtocol Protocol,
        string Service,
        int Status,
        string Body,
        string[] Headers,
        string Code,
        string? Message,
        string? RequestId,
        AwsErrorClassification Classification)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases =>
    [
        new("awsJson __type plain", AwsProtocol.AwsJson11, "organizations", 400,
            """{"__type":"AccountNotFoundException","Message":"You specified an account that doesn't exist."}""",
            ["x-amzn-RequestId: r-1"], "AccountNotFoundException", "You specified an account that doesn't exist.", "r-1", AwsErrorClassification.NotFound),
        new("awsJson __type with namespace and suffix", AwsProtocol.AwsJson11, "organizations", 400,
            """{"__type":"com.amazonaws.organizations.v20161128#ConcurrentModificationException:http://internal.amazon.com/","message":"busy"}""",
            [], "ConcurrentModificationException", "busy", null, AwsErrorClassification.Conflict),
        new("awsJson throttling with Type", AwsProtocol.AwsJson11, "organizations", 400,
            """{"__type":"TooManyRequestsException","Type":"Organizations","Message":"AWS Organizations can't complete your request because another request is already in progress."}""",
            [], "TooManyRequestsException", null, null, AwsErrorClassification.Throttling),
        new("awsJson constraint violation, terminal reason", AwsProtocol.AwsJson11, "organizations", 400,
            """{"__type":"ConstraintViolationException","Message":"limit","Reason":"ACCOUNT_NUMBER_LIMIT_EXCEEDED"}""",
            [], "ConstraintViolationException", "limit", null, AwsErrorClassification.Terminal),
        new("awsJson constraint violation, in-flight creation limit", AwsProtocol.AwsJson11, "organizations", 400,
            """{"__type":"ConstraintViolationException","Message":"too many","Reason":"ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED"}""",
            [], "ConstraintViolationException", "too many", null, AwsErrorClassification.Conflict),
        new("awsJson code only in header", AwsProtocol.AwsJson11, "kms", 400, "{}",
            ["x-amzn-ErrorType: NotFoundException:http://internal.amazon.com/coral/com.amazon.kms/"], "NotFoundException", null, null, AwsErrorClassification.NotFound),
        new("awsJson query-compatible header wins", AwsProtocol.AwsJson10, "monitoring", 400,
            """{"__type":"com.amazonaws.cloudwatch#InvalidParameterValueException","message":"bad"}""",
            ["x-amzn-query-error: InvalidParameterValue;Sender"], "InvalidParameterValue", "bad", null, AwsErrorClassification.Terminal),
        new("awsJson server fault", AwsProtocol.AwsJson11, "organizations", 500, """{"__type":"ServiceException","Message":"oops"}""",
            [], "ServiceException", "oops", null, AwsErrorClassification.Transient),
        new("awsJson unparsable 503", AwsProtocol.AwsJson11, "organizations", 503, "<html>bad gateway</html>",
            [], "ServiceUnavailable", null, null, AwsErrorClassification.Transient),
        new("restJson header first", AwsProtocol.RestJson1, "lambda", 409,
            """{"Type":"User","message":"The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-central-1:123456789012:function:f","__type":"Ignored"}""",
            ["x-amzn-ErrorType: ResourceConflictException", "x-amzn-RequestId: abc"], "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-central-1:123456789012:function:f",
            "abc", AwsErrorClassification.Conflict),
        new("restJson body code when no header", AwsProtocol.RestJson1, "account", 404, """{"code":"ResourceNotFoundException","message":"nope"}""",
            [], "ResourceNotFoundException", "nope", null, AwsErrorClassification.NotFound),
        new("restJson Message capitalised", AwsProtocol.RestJson1, "lambda", 404, """{"Type":"User","Message":"Function not found"}""",
            ["x-amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/"], "ResourceNotFoundException", "Function not found", null, AwsErrorClassification.NotFound),
        new("restJson 429 throttling", AwsProtocol.RestJson1, "lambda", 429, """{"Reason":"CallerRateLimitExceeded","message":"Rate exceeded"}""",
            ["x-amzn-ErrorType: TooManyRequestsException", "Retry-After: 2"], "TooManyRequestsException", "Rate exceeded", null, AwsErrorClassification.Throttling),
        new("query IAM NoSuchEntity", AwsProtocol.AwsQuery, "iam", 404,
            """<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error><RequestId>4a6e-1</RequestId></ErrorResponse>""",
            [], "NoSuchEntity", "The role with name x cannot be found.", "4a6e-1", AwsErrorClassification.NotFound),
        new("query IAM DeleteConflict", AwsProtocol.AwsQuery, "iam", 409,
            """<ErrorResponse><Error><Type>Sender</Type><Code>DeleteConflict</Code><Message>Cannot delete entity, must delete policies first.</Message></Error><RequestId>r</RequestId></ErrorResponse>""",
            [], "DeleteConflict", "Cannot delete entity, must delete policies first.", "r", AwsErrorClassification.Conflict),
        new("query IAM LimitExceeded is terminal despite 409", AwsProtocol.AwsQuery, "iam", 409,
            """<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code><Message>quota</Message></Error><RequestId>r</RequestId></ErrorResponse>""",
            [], "LimitExceeded", "quota", "r", AwsErrorClassification.Terminal),
        new("query RDS already exists is 400 but a conflict", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBClusterAlreadyExistsFault</Code><Message>exists</Message></Error><RequestId>q</RequestId></ErrorResponse>""",
            [], "DBClusterAlreadyExistsFault", "exists", "q", AwsErrorClassification.Conflict),
        new("query throttling", AwsProtocol.AwsQuery, "rds", 400,
            """<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>q</RequestId></ErrorResponse>""",
            [], "Throttling", "Rate exceeded", "q", AwsErrorClassification.Throttling),
        new("restXml CloudFront wrapped", AwsProtocol.RestXml, "cloudfront", 412,
            """<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>The If-Match version is missing or not valid.</Message></Error><RequestId>cf-1</RequestId></ErrorResponse>""",
            [], "PreconditionFailed", "The If-Match version is missing or not valid.", "cf-1", AwsErrorClassification.Conflict),
        new("restXml S3 unwrapped", AwsProtocol.RestXml, "s3", 404,
            """<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>b</BucketName><RequestId>s3-1</RequestId><HostId>h</HostId></Error>""",
            [], "NoSuchBucket", "The specified bucket does not exist", "s3-1", AwsErrorClassification.NotFound),
        new("restXml S3 HEAD without body", AwsProtocol.RestXml, "s3", 404, "",
            ["x-amz-request-id: s3-2"], "NotFound", null, "s3-2", AwsErrorClassification.NotFound),
        new("restXml S3 BucketAlreadyExists is terminal", AwsProtocol.RestXml, "s3", 409,
            """<Error><Code>BucketAlreadyExists</Code><Message>taken</Message></Error>""",
            [], "BucketAlreadyExists", "taken", null, AwsErrorClassification.Terminal),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses_and_classifies(Case c)
    {
        var headers = c.Headers.Select(h => h.Split(": ", 2)).ToDictionary(h => h[0], h => h[1], StringComparer.OrdinalIgnoreCase);
        var response = new AwsWireResponse { StatusCode = (HttpStatusCode)c.Status, Headers = headers, Body = Encoding.UTF8.GetBytes(c.Body) };
        var error = AwsErrorParser.Parse(c.Protocol, response);
        Assert.Equal(c.Code, error.Code);
        if (c.Message is not null)
        {
            Assert.Equal(c.Message, error.Message);
        }

        Assert.Equal(c.RequestId, error.RequestId);
        Assert.Equal(c.Classification, AwsErrorCodes.Classify(c.Service, error.Code, response.StatusCode, error.Reason));
    }

    [Theory]
    [InlineData("com.amazon.coral.service#AccessDeniedException:http://internal.amazon.com/", "AccessDeniedException")]
    [InlineData("AccessDeniedException", "AccessDeniedException")]
    [InlineData("aws.protocoltests#Foo", "Foo")]
    [InlineData("Foo:bar#baz", "baz")]
    public void Normalises_codes_like_botocore(string raw, string expected) => Assert.Equal(expected, AwsErrorParser.NormalizeCode(raw));
}
