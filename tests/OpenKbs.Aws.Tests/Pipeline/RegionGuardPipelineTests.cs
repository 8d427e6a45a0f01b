using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Protocols;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Pipeline;

[Collection(MotoCollection.Name)]
public sealed class RegionGuardPipelineTests(MotoServerFixture moto)
{
    public static TheoryData<string> NonEu => ["eu-west-2", "eu-central-2", "us-east-1", "eu-west-3"];

    [Theory]
    [MemberData(nameof(NonEu))]
    public void Clients_outside_the_allowlist_are_refused_and_nothing_is_sent(string region)
    {
        using var host = new AwsTestHost(moto);
        Assert.Throws<RegionNotAllowedException>(() => host.Factory.ForAccount("123456789012", "OrganizationAccountAccessRole", region, AwsTestHost.Actor()));
        Assert.Throws<RegionNotAllowedException>(() => host.Factory.ForManagement(AwsTestHost.Actor(), region));
        Assert.Equal(0, host.Counter.Count);
    }

    [Fact]
    public async Task A_regional_call_outside_the_allowlist_is_refused_before_sending_and_audited()
    {
        using var host = new AwsTestHost(moto);
        var pipeline = host.Services.GetRequiredService<AwsRequestPipeline>();
        var scope = new AwsCallScope
        {
            AccountId = "123456789012",
            Region = "us-east-1",
            Actor = AwsTestHost.Actor(),
            Credentials = _ => ValueTask.FromResult<Amazon.Runtime.AWSCredentials>(new Amazon.Runtime.BasicAWSCredentials("a", "b")),
        };
        var create = AwsOperation.Write(AwsServices.Lambda, "CreateFunction");
        var refused = await Assert.ThrowsAsync<RegionNotAllowedException>(() => pipeline.InvokeAsync(
            scope,
            create,
            RestJsonCodec.CreateRequest(HttpMethod.Post, "/2015-03-31/functions", new { FunctionName = "f" }),
            _ => 0,
            new AuditEntry("f"),
            CancellationToken.None));
        Assert.Equal("us-east-1", refused.Region);
        Assert.Equal(AwsErrorClassification.Terminal, refused.Classification);
        Assert.Equal(0, host.Counter.Count);
        var record = Assert.Single(host.Audit.Records);
        Assert.Equal(AuditOutcome.Refused, record.Outcome);
        Assert.Equal("lambda:CreateFunction", record.Action);
        Assert.Equal(0, record.Attempts);
    }

    [Fact]
    public async Task A_request_naming_a_non_eu_arn_is_refused_before_sending()
    {
        using var host = new AwsTestHost(moto);
        var pipeline = host.Services.GetRequiredService<AwsRequestPipeline>();
        var scope = new AwsCallScope
        {
            AccountId = "123456789012",
            Region = "eu-central-1",
            Actor = AwsTestHost.Actor(),
            Credentials = _ => ValueTask.FromResult<Amazon.Runtime.AWSCredentials>(new Amazon.Runtime.BasicAWSCredentials("a", "b")),
        };
        await Assert.ThrowsAsync<RegionNotAllowedException>(() => pipeline.InvokeAsync(
            scope,
            AwsOperation.Write(AwsServices.Lambda, "CreateFunction"),
            RestJsonCodec.CreateRequest(HttpMethod.Post, "/2015-03-31/functions", new { FunctionName = "f" }),
            _ => 0,
            new AuditEntry("f"),
            CancellationToken.None,
            guardedArns: ["arn:aws:kms:us-east-1:123456789012:key/1234"]));
        Assert.Equal(0, host.Counter.Count);
    }
}
