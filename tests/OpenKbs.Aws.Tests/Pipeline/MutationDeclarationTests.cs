using System.Reflection;
using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.CloudFront;
using OpenKbs.Aws.CloudWatch;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.IoT;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Lambda;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.Pipeline;
using OpenKbs.Aws.Rds;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Scheduler;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Aws.Tests.Pipeline;

/// <summary>Mutation is declared per operation; this checks each declaration against the AWS naming convention, and that every interface method has one.</summary>
public sealed class MutationDeclarationTests
{
    private static readonly string[] MutatingPrefixes =
        ["Create", "Update", "Delete", "Put", "Attach", "Detach", "Tag", "Untag", "Move", "Close", "Remove", "Enable", "Disable", "Start", "Accept", "Add", "Publish", "Invite", "Register", "Deregister", "Modify", "Copy", "Schedule"];

    private static readonly string[] ReadPrefixes = ["Get", "List", "Describe", "Assume", "Head", "Generate", "Encrypt", "Decrypt"];

    public static TheoryData<string, bool> Declarations()
    {
        var data = new TheoryData<string, bool>();
        foreach (var (name, mutating) in AllOperations())
        {
            data.Add(name, mutating);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Declaration_matches_the_name(string action, bool mutating)
    {
        var name = action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var looksMutating = MutatingPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
        var looksRead = ReadPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
        Assert.True(looksMutating ^ looksRead, $"{action}: add its prefix to one list");
        Assert.Equal(looksMutating, mutating);
    }

    [Theory]
    [InlineData(typeof(IOrganizationsClient), typeof(OrganizationsClient))]
    [InlineData(typeof(IIamClient), typeof(IamClient))]
    [InlineData(typeof(IAccountClient), typeof(AccountClient))]
    [InlineData(typeof(ILambdaClient), typeof(LambdaClient))]
    [InlineData(typeof(IRdsClient), typeof(RdsClient))]
    [InlineData(typeof(ICloudFrontClient), typeof(CloudFrontClient))]
    [InlineData(typeof(ISchedulerClient), typeof(SchedulerClient))]
    [InlineData(typeof(IIotClient), typeof(IotClient))]
    [InlineData(typeof(ICloudWatchClient), typeof(CloudWatchClient))]
    [InlineData(typeof(IS3Client), typeof(S3Client))]
    [InlineData(typeof(IKmsClient), typeof(KmsClient))]
    [InlineData(typeof(IStsClient), typeof(StsClient))]
    public void Every_interface_method_has_a_declared_operation(Type contract, Type implementation)
    {
        var declared = Operations(implementation).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var method in contract.GetMethods())
        {
            Assert.Contains(method.Name[..^"Async".Length], declared);
        }
    }

    private static IEnumerable<(string Action, bool Mutating)> AllOperations() =>
        typeof(AwsOperation).Assembly.GetTypes().SelectMany(Operations).Select(o => (o.Action, o.Mutating));

    private static IEnumerable<AwsOperation> Operations(Type type) =>
        type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType == typeof(AwsOperation))
            .Select(f => (AwsOperation)f.GetValue(null)!);
}
