using Microsoft.Extensions.DependencyInjection;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.CloudWatch.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Aws.Regions;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Aws.Scheduler.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

using KmsModel = OpenKbs.Aws.Kms.Model;
using SchedulerModel = OpenKbs.Aws.Scheduler.Model;
using StsModel = OpenKbs.Aws.Sts.Model;

namespace OpenKbs.Aws.Tests.Clients;

/// <summary>The EU guard in front of every member-account service: a non-EU region or a non-EU ARN is refused with nothing sent, and refused mutations are audited.</summary>
[Collection(MotoCollection.Name)]
public sealed class MemberClientsGuardTests(MotoServerFixture moto)
{
    public static TheoryData<string, string> RegionalCalls()
    {
        var data = new TheoryData<string, string>();
        foreach (var region in new[] { "eu-west-2", "eu-central-2", "us-east-1" })
        {
            foreach (var call in Calls.Keys)
            {
                data.Add(region, call);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, (bool Mutating, Func<IMemberAccountClients, Task> Call)> Calls = new()
    {
        ["lambda:CreateFunction"] = (true, c => c.Lambda.CreateFunctionAsync(new CreateFunctionRequest { FunctionName = "f", Role = "arn:aws:iam::123456789012:role/r", Code = new FunctionCode { ZipFile = [1] } })),
        ["lambda:GetFunction"] = (false, c => c.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "f" })),
        ["rds:CreateDBCluster"] = (true, c => c.Rds.CreateDBClusterAsync(new CreateDBClusterRequest { DBClusterIdentifier = "d", Engine = "aurora-postgresql" })),
        ["scheduler:CreateScheduleGroup"] = (true, c => c.Scheduler.CreateScheduleGroupAsync(new CreateScheduleGroupRequest { Name = "g" })),
        ["iot:DescribeEndpoint"] = (false, c => c.IoT.DescribeEndpointAsync(new OpenKbs.Aws.IoT.Model.DescribeEndpointRequest { EndpointType = "iot:Data-ATS" })),
        ["cloudwatch:GetMetricData"] = (false, c => c.CloudWatch.GetMetricDataAsync(new GetMetricDataRequest { MetricDataQueries = LambdaUsageQuery.Build(["f"], 60), StartTime = DateTimeOffset.UnixEpoch, EndTime = DateTimeOffset.UnixEpoch.AddHours(1) })),
        ["s3:CreateBucket"] = (true, c => c.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = "b" })),
        ["kms:CreateKey"] = (true, c => c.Kms.CreateKeyAsync(new KmsModel.CreateKeyRequest())),
        ["sts:GetCallerIdentity"] = (false, c => c.Sts.GetCallerIdentityAsync(new StsModel.GetCallerIdentityRequest())),
    };

    [Theory]
    [MemberData(nameof(RegionalCalls))]
    public async Task Regional_services_outside_the_EU_are_refused_with_nothing_sent(string region, string action)
    {
        using var host = new AwsTestHost(moto);
        var pipeline = host.Services.GetRequiredService<AwsRequestPipeline>();
        var sdkConfig = host.Services.GetRequiredService<AwsSdkClientConfig>();

        // The factory refuses such a client set outright; build one anyway to prove each client re-checks on every call.
        Assert.Throws<RegionNotAllowedException>(() => host.Factory.ForAccount("123456789012", Members.Role, region, Members.Project("shop")));
        var clients = new MemberAccountClients(
            pipeline,
            new AwsCallScope
            {
                AccountId = "123456789012",
                Region = region,
                Actor = Members.Project("shop"),
                Credentials = _ => ValueTask.FromResult<Amazon.Runtime.AWSCredentials>(new Amazon.Runtime.BasicAWSCredentials("AKIAGUARDTEST0000001", "guard-secret")),
            },
            sdkConfig);

        var (mutating, call) = Calls[action];
        var refused = await Assert.ThrowsAsync<RegionNotAllowedException>(() => call(clients));
        Assert.Equal(region, refused.Region);
        Assert.Equal(0, host.Counter.Count);
        if (mutating)
        {
            var record = Assert.Single(host.Audit.Records);
            Assert.Equal((action, AuditOutcome.Refused, 0), (record.Action, record.Outcome, record.Attempts));
        }
        else
        {
            Assert.Empty(host.Audit.Records);
        }
    }

    public static TheoryData<string> NonEuArns => ["lambda-arn", "scheduler-target", "s3-kms-key", "rds-kms-key", "kms-key"];

    [Theory]
    [MemberData(nameof(NonEuArns))]
    public async Task A_non_EU_ARN_in_an_EU_call_is_refused_with_nothing_sent(string what)
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        Func<Task> call = what switch
        {
            "lambda-arn" => () => member.Lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "arn:aws:lambda:eu-west-2:123456789012:function:f", MemorySize = 256 }),
            "scheduler-target" => () => member.Scheduler.CreateScheduleAsync(new CreateScheduleRequest
            {
                Name = "s", ScheduleExpression = "rate(1 hour)", FlexibleTimeWindow = new FlexibleTimeWindow { Mode = "OFF" },
                Target = new Target { Arn = "arn:aws:lambda:us-east-1:123456789012:function:f", RoleArn = "arn:aws:iam::123456789012:role/r" },
            }),
            "s3-kms-key" => () => member.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = "b", SSEAlgorithm = "aws:kms", KMSMasterKeyID = "arn:aws:kms:us-east-1:123456789012:key/k" }),
            "rds-kms-key" => () => member.Rds.CreateDBClusterAsync(new CreateDBClusterRequest { DBClusterIdentifier = "d", Engine = "aurora-postgresql", KmsKeyId = "arn:aws:kms:eu-central-2:123456789012:key/k" }),
            _ => () => member.Kms.GenerateDataKeyAsync(new KmsModel.GenerateDataKeyRequest { KeyId = "arn:aws:kms:eu-west-2:123456789012:key/k" }),
        };
        await Assert.ThrowsAsync<RegionNotAllowedException>(call);
        Assert.Equal(0, host.Counter.Count);
    }
}
