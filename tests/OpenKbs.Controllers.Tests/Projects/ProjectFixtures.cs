using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>Small builders: <c>ProjectFixtures.Project("shop", s => s with { Functions = ProjectFixtures.Functions(21) })</c>.</summary>
internal static class ProjectFixtures
{
    public const string Sha = "7cf8e86388629a5ebbfcda0f80ce6ff512c0734c01cc479f3d2be464a17387be";
    public const string PlatformBucket = "openkbs-artifacts";
    private static int s_sequence;

    public static ProjectSpec Spec(string account = "acme") => new()
    {
        ClientAccountRef = new LocalObjectReference { Name = account },
        Version = "1.0.0",
        Source = new ArtifactSource { S3 = new S3Location { Bucket = PlatformBucket, Key = "examples/shop/1.0.0.zip" }, Sha256 = Sha },
        Functions = Functions(2),
        ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }],
    };

    public static Project Project(string name, Func<ProjectSpec, ProjectSpec>? spec = null, string @namespace = "tenants")
    {
        var sequence = Interlocked.Increment(ref s_sequence);
        return new Project
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Uid = $"uid-{name}-{sequence:D4}",
                Generation = 1,
                ResourceVersion = "1",
            },
            Spec = (spec ?? (s => s))(Spec()),
        };
    }

    public static IList<FunctionSpec> Functions(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new FunctionSpec { Name = i == 0 ? "api" : $"fn{i}", Handler = i == 0 ? "api.handler" : "report.handler" })];

    /// <summary>A Ready ClientAccount with an account id.</summary>
    public static ClientAccount ReadyAccount(string name, string accountId, string @namespace = "tenants", string region = "eu-central-1")
    {
        var account = new ClientAccount
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Uid = $"uid-ca-{name}", Generation = 1 },
            Spec = new ClientAccountSpec { Email = $"aws+{name}@example.com", Region = region, AllowedRegions = [region] },
            Status = new ClientAccountStatus { AccountId = accountId, State = AccountState.Active },
        };
        Conditions.Set(account.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, ConditionReasons.Available, "ready", 1, DateTimeOffset.UnixEpoch);
        return account;
    }
}
