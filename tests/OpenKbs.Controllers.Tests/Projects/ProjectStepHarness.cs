using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.ApiKeys;
using OpenKbs.Controllers.Projects.Steps;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// Runs this room's Project steps (storage, artifact, execution role, key staging, functions, API keys) pass after pass, as the
/// recipe does, against moto behind the sandbox's AWS realism (Lambda Pending/InProgress and 409s, S3 policies behind TLS), with
/// the Project, its status and the API-key Secret in the sandbox API server. Every test gets its own client account id and
/// namespace.
/// </summary>
internal sealed class ProjectStepHarness : IDisposable
{
    public const string Region = "eu-central-1";

    private readonly ProjectContextFactory _contexts;
    private readonly IStatusStore<Project> _store;
    private readonly ILoggerFactory _loggers;
    private readonly ProjectOptions _options;

    private ProjectStepHarness(MotoServerFixture moto, IKubernetes kube, string @namespace)
    {
        Chaos = new AwsChaosEngine("realism=on,lambda-polls=1");
        Aws = new AwsHost(moto.Endpoint, inner: [new AwsChaosHandler(Chaos)]);
        Kube = kube;
        Namespace = @namespace;
        AccountId = "4" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);
        Account = ProjectFixtures.ReadyAccount("acme", AccountId, @namespace, Region);
        PlatformBucket = $"okbs-platform-{Guid.NewGuid():N}"[..30];
        _options = new ProjectOptions { ArtifactBucket = PlatformBucket };
        _store = new KubernetesStatusStore<Project>(kube);
        Secrets = new KubernetesApiKeySecretStore(kube);
        _contexts = new ProjectContextFactory(Aws.Factory, _store, _options);
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
    }

    public AwsChaosEngine Chaos { get; }

    public AwsHost Aws { get; }

    public IKubernetes Kube { get; }

    public string Namespace { get; }

    public string AccountId { get; }

    public ClientAccount Account { get; }

    public string PlatformBucket { get; }

    public IApiKeySecretStore Secrets { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public List<string> Events { get; } = [];

    public Project Project { get; private set; } = null!;

    /// <summary>The client account's clients, as the operator's own session sees them.</summary>
    public IMemberAccountClients Member => Aws.Factory.ForAccount(AccountId, "OrganizationAccountAccessRole", Region, AwsHost.Actor);

    public ProjectNames Names => ProjectNames.For(Project.Metadata.NamespaceProperty, Project.Metadata.Name, Project.Metadata.Uid!);

    public static async Task<ProjectStepHarness> StartAsync(MotoServerFixture moto, CrdSandboxFixture sandbox, ProjectSpec spec)
    {
        var harness = new ProjectStepHarness(moto, sandbox.Client, await sandbox.CreateNamespaceAsync("proj"));
        await harness.Aws.Factory.ForManagement(AwsHost.Actor, Region).S3.CreateBucketAsync(new CreateBucketRequest { BucketName = harness.PlatformBucket });
        var created = await harness.Kube.CustomObjects.CreateNamespacedCustomObjectAsync(
            Strip(ProjectFixtures.Project("shop", _ => spec, harness.Namespace)),
            ApiGroup.Name, ApiGroup.Version, harness.Namespace, Project.KubePlural);
        harness.Project = KubernetesJson.Deserialize<Project>(((JsonElement)created).GetRawText());
        return harness;
    }

    /// <summary>A small zip (deterministic for the same text) uploaded to the platform bucket; returns its key and SHA-256.</summary>
    public async Task<(string Key, string Sha256)> UploadArtifactAsync(string version, string code)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("index.mjs", CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            await using var stream = entry.Open();
            await stream.WriteAsync(Encoding.UTF8.GetBytes(code));
        }

        var bytes = buffer.ToArray();
        var key = $"shop/{version}.zip";
        await Aws.Factory.ForManagement(AwsHost.Actor, Region).S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = PlatformBucket,
            Key = key,
            InputStream = new MemoryStream(bytes),
            ContentType = "application/zip",
        });
        return (key, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Points the spec at an artifact (a new deployment when version or SHA-256 change).</summary>
    public void Deploy(string version, string key, string sha256) =>
        Project.Spec = Project.Spec with
        {
            Version = version,
            Source = new ArtifactSource { S3 = new S3Location { Bucket = PlatformBucket, Key = key }, Sha256 = sha256 },
        };

    /// <summary>The steps of this room in recipe order (fresh instances: steps are scoped, one per pass).</summary>
    public IReadOnlyList<IProjectStep> Steps() =>
    [
        new StorageStep(_loggers.CreateLogger<StorageStep>()),
        new ArtifactStep(_options),
        new ExecutionRoleStep(),
        new ApiKeyStagingStep(Secrets),
        new FunctionsStep(_loggers.CreateLogger<FunctionsStep>()),
        new ApiKeysStep(Secrets),
    ];

    /// <summary>One pass: the steps in order until a Terminal or Transient outcome, then the status write (as the runtime does).</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> PassAsync()
    {
        var context = _contexts.Create(Project, Account, TimeProvider.System, (type, reason, message) => Events.Add($"{type} {reason}: {message}"));
        var outcomes = new Dictionary<string, StepOutcome>(StringComparer.Ordinal);
        foreach (var step in Steps())
        {
            var outcome = await step.ObserveAndConvergeAsync(context, CancellationToken.None);
            outcomes[step.Name] = outcome;
            if (outcome.Kind is StepOutcomeKind.Terminal or StepOutcomeKind.Transient)
            {
                break;
            }
        }

        await _store.SaveStatusAsync(Project, CancellationToken.None);
        return outcomes;
    }

    /// <summary>Passes until every step is Ready (or a pass stops on Terminal); fails after <paramref name="maxPasses"/>.</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> ConvergeAsync(int maxPasses = 12)
    {
        IReadOnlyDictionary<string, StepOutcome> last = new Dictionary<string, StepOutcome>();
        for (var pass = 0; pass < maxPasses; pass++)
        {
            last = await PassAsync();
            if (last.Count == Steps().Count && last.Values.All(o => o.IsReady) || last.Values.Any(o => o.Kind == StepOutcomeKind.Terminal))
            {
                return last;
            }
        }

        Assert.Fail($"not converged after {maxPasses} passes: {string.Join("; ", last.Select(o => $"{o.Key}: {o.Value}"))}");
        return last;
    }

    public async Task<IReadOnlyList<StepOutcome>> FinalizeAsync(ProjectDeletionPolicy policy)
    {
        var context = _contexts.Create(Project, Account, TimeProvider.System, (type, reason, message) => Events.Add($"{type} {reason}: {message}"));
        var outcomes = new List<StepOutcome>();
        foreach (var step in Steps().Reverse())
        {
            outcomes.Add(await step.FinalizeAsync(context, policy, CancellationToken.None));
        }

        return outcomes;
    }

    /// <summary>The Project as the API server has it, as JSON (to search for secrets).</summary>
    public async Task<string> StoredProjectJsonAsync() =>
        ((JsonElement)await Kube.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, Namespace, Project.KubePlural, Project.Metadata.Name)).GetRawText();

    public void Dispose()
    {
        Aws.Dispose();
        _loggers.Dispose();
    }

    private static Project Strip(Project project)
    {
        project.Metadata.Uid = null;
        project.Metadata.ResourceVersion = null;
        project.Metadata.Generation = null;
        project.ApiVersion = ApiGroup.ApiVersion;
        project.Kind = Project.KubeKind;
        return project;
    }
}
