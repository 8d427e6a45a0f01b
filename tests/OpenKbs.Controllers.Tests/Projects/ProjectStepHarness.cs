using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Projects.Components.Usage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Kube;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// Runs Project steps against moto through the production AWS layer, optionally behind the sandbox's AWS realism (Lambda
/// Pending/InProgress and 409s, S3 policies behind TLS, RDS creating/modifying, CloudFront InProgress and If-Match): one client
/// account, one <see cref="ProjectContext"/> per pass built by the production <see cref="ProjectContextFactory"/>, status
/// checkpoints and Events captured.
/// <list type="bullet">
/// <item>The constructor: a Project held in memory (status checkpoints in <see cref="Store"/>), to drive single steps
/// (<see cref="ConvergeAsync(IProjectStep, Action{ProjectContext}?, int, bool)"/>).</item>
/// <item><see cref="StartAsync"/>: the Project, its status and the API-key Secret in the sandbox API server, its own namespace,
/// client account id and platform bucket, to run this room's steps in recipe order pass after pass (<see cref="PassAsync"/>).</item>
/// </list>
/// </summary>
internal sealed class ProjectStepHarness : IDisposable
{
    public const string Region = "eu-central-1";

    private readonly AwsHost _aws;
    private readonly ProjectContextFactory _contexts;
    private readonly ILoggerFactory _loggers;
    private readonly AwsChaosHandler? _realism;
    private readonly IKubernetes? _kube;
    private readonly IApiKeySecretStore? _secrets;

    /// <param name="chaos">The sandbox chaos spec in front of moto (docs/aws-chaos.md), realism by default; null for plain moto.</param>
    /// <param name="kube">The API server holding the Project (status writes, API-key Secrets); null keeps everything in memory.</param>
    public ProjectStepHarness(MotoServerFixture moto, Project project, string? chaos = "realism=on", string accountId = "123456789012", IKubernetes? kube = null)
    {
        if (chaos is not null)
        {
            _realism = new AwsChaosHandler(new AwsChaosEngine(chaos));
        }

        _aws = new AwsHost(moto.Endpoint, inner: _realism is null ? null : [_realism]);
        _kube = kube;
        Project = project;
        AccountId = accountId;
        Account = ProjectFixtures.ReadyAccount("acme", accountId, project.Metadata.NamespaceProperty, Region);
        PlatformBucket = $"okbs-platform-{Guid.NewGuid():N}"[..30];
        _aws.Calls.ArtifactBucket = PlatformBucket;
        Options = new ProjectOptions { ArtifactBucket = PlatformBucket, WaitForDatabase = TimeSpan.FromSeconds(1), WaitForDistribution = TimeSpan.FromSeconds(1) };
        Store = new Saves(kube is null ? null : new StatusCheckpoints<Project>(kube));
        _secrets = kube is null ? null : new KubernetesApiKeySecretStore(new CoreObjects<V1Secret>(kube));
        _contexts = new ProjectContextFactory(Factory, Store, Options);
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Member = Factory.ForAccount(accountId, "OrganizationAccountAccessRole", Region, AwsActors.For(project, ProjectRegistration.ControllerName));
    }

    /// <summary>The AWS requests that reached the layer in front of moto.</summary>
    public AwsRequestLog Log => _aws.Log;

    public CapturingAuditSink Audit => _aws.Audit;

    public AwsCallRecorder Calls => _aws.Calls;

    /// <summary>The production AWS layer pointed at moto.</summary>
    public IAwsClientFactory Factory => _aws.Factory;

    /// <summary>What the chaos/realism layer did (faults injected, state transitions); null for plain moto.</summary>
    public AwsChaosStats? Chaos => _realism?.Engine.Stats;

    public Project Project { get; }

    public string Namespace => Project.Metadata.NamespaceProperty;

    public string AccountId { get; }

    public ClientAccount Account { get; }

    /// <summary>The client account's clients, as the operator's own session sees them.</summary>
    public IMemberAccountClients Member { get; }

    /// <summary>What the steps get as <see cref="ProjectContext.Aws"/>: null for the clients the production context factory gathers
    /// (as <see cref="Member"/>), or a wrapper a test sets (e.g. to race an update).</summary>
    public IMemberAccountClients? StepClients { get; set; }

    /// <summary>The platform artifact bucket (created in the management account by <see cref="StartAsync"/>).</summary>
    public string PlatformBucket { get; }

    public ProjectOptions Options { get; }

    public List<string> Events { get; } = [];

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Status checkpoints (what a restart would read), passed on to the API server when there is one.</summary>
    public Saves Store { get; }

    public IKubernetes Kube => _kube ?? throw new InvalidOperationException("this harness has no API server: start it with StartAsync");

    /// <summary>The API-key Secrets (in the sandbox API server).</summary>
    public IApiKeySecretStore Secrets => _secrets ?? throw new InvalidOperationException("API-key Secrets live in the API server: start the harness with StartAsync");

    public ProjectNames Names => ProjectNames.For(Project.Metadata.NamespaceProperty, Project.Metadata.Name, Project.Metadata.Uid!);

    /// <summary>The Project created in a fresh namespace of the sandbox API server, a fresh client account id and platform bucket.</summary>
    /// <param name="accountId">The client account (e.g. one the test created in the organization); default: a fresh random id.</param>
    public static async Task<ProjectStepHarness> StartAsync(MotoServerFixture moto, CrdSandboxFixture sandbox, ProjectSpec spec, string? accountId = null)
    {
        var @namespace = await sandbox.CreateNamespaceAsync("proj");
        var created = await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Strip(ProjectFixtures.Project("shop", _ => spec, @namespace)),
            ApiGroup.Name, ApiGroup.Version, @namespace, Project.KubePlural);
        var project = KubernetesJson.Deserialize<Project>(((JsonElement)created).GetRawText());
        accountId ??= "4" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString("D11", System.Globalization.CultureInfo.InvariantCulture);
        var harness = new ProjectStepHarness(moto, project, "realism=on,lambda-polls=1", accountId, sandbox.Client);
        await harness.Factory.ForManagement(AwsHost.Actor, Region).S3.CreateBucketAsync(new CreateBucketRequest { BucketName = harness.PlatformBucket });
        return harness;
    }

    /// <summary>A step built with a null logger: <c>ProjectStepHarness.Step&lt;CdnStep&gt;(l => new CdnStep(l))</c>.</summary>
    public static T Step<T>(Func<ILogger<T>, T> create) => create(NullLogger<T>.Instance);

    /// <summary>The clock of every pass (a test that needs days to pass sets a FakeTimeProvider).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>A fresh context for one pass (facts of earlier steps set by <paramref name="facts"/>).</summary>
    public ProjectContext Context(Action<ProjectContext>? facts = null)
    {
        var context = _contexts.Create(Project, Account, Clock, RecordEvent);
        if (StepClients is { } clients)
        {
            context = new ProjectContext(Project, Account, clients, context.Management, Options, Clock, RecordEvent, Store);
        }

        facts?.Invoke(context);
        return context;
    }

    /// <summary>A KMS key in the client account (what the storage step leaves in <see cref="ProjectContext.KeyArn"/>).</summary>
    public async Task<string> KeyAsync() => (await Member.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "project key" })).KeyMetadata!.Arn!;

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
        await Factory.ForManagement(AwsHost.Actor, Region).S3.PutObjectAsync(new PutObjectRequest
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

    /// <summary>An ACM certificate in us-east-1 (as CloudFront requires) for CDN specs.</summary>
    public const string Certificate = "arn:aws:acm:us-east-1:123456789012:certificate/0b7c9a2e-5d1f-4c3b-9e8a-6f2d1c0b3a45";

    /// <summary>
    /// A full project (database, CDN, one nightly schedule on fn1) with version 1.0.0 of a one-file artifact deployed and
    /// the database and distribution waits at zero; converge it with <see cref="AllSteps"/>.
    /// </summary>
    public static async Task<ProjectStepHarness> StartFullProjectAsync(MotoServerFixture moto, CrdSandboxFixture sandbox)
    {
        var spec = ProjectFixtures.Spec() with
        {
            Database = new DatabaseSpec { Enabled = true, DeletionProtection = false },
            Cdn = new CdnSpec { Enabled = true, Aliases = ["shop.example"], AcmCertificateArn = Certificate },
            Schedules = [new ScheduleSpec { Name = "nightly", Expression = "cron(0 2 * * ? *)", Timezone = "Europe/Berlin", Function = "fn1" }],
        };
        var h = await StartAsync(moto, sandbox, spec);
        var (key, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", key, sha);
        h.Options.WaitForDatabase = TimeSpan.Zero;
        h.Options.WaitForDistribution = TimeSpan.Zero;
        return h;
    }

    /// <summary>All twelve steps in recipe order (<see cref="ProjectSteps"/>; fresh instances).</summary>
    public IReadOnlyList<IProjectStep> AllSteps() => new ProjectSteps(
        new StorageStep(_loggers.CreateLogger<StorageStep>()),
        new ArtifactStep(Options),
        new DatabaseStep(_loggers.CreateLogger<DatabaseStep>()),
        new ExecutionRoleStep(),
        new ApiKeyStagingStep(Secrets),
        new AccessStep(_loggers.CreateLogger<AccessStep>()),
        new AuditStep(),
        new FunctionsStep(_loggers.CreateLogger<FunctionsStep>()),
        new ApiKeysStep(Secrets, _aws.ChangeAudit),
        new CdnStep(_loggers.CreateLogger<CdnStep>()),
        new SchedulesStep(_loggers.CreateLogger<SchedulesStep>()),
        new UsageStep(_loggers.CreateLogger<UsageStep>())).Ordered;

    /// <summary>The storage/functions steps of this room in recipe order (fresh instances: steps are scoped, one per pass).</summary>
    public IReadOnlyList<IProjectStep> Steps() =>
    [
        new StorageStep(_loggers.CreateLogger<StorageStep>()),
        new ArtifactStep(Options),
        new ExecutionRoleStep(),
        new ApiKeyStagingStep(Secrets),
        new FunctionsStep(_loggers.CreateLogger<FunctionsStep>()),
        new ApiKeysStep(Secrets, _aws.ChangeAudit),
    ];

    /// <summary><see cref="Steps"/> with the access step after the key staging (as in <see cref="ProjectSteps"/>).</summary>
    public IReadOnlyList<IProjectStep> StepsWithAccess() =>
    [
        .. Steps().Take(4),
        new AccessStep(_loggers.CreateLogger<AccessStep>()),
        .. Steps().Skip(4),
    ];

    /// <summary>
    /// One pass: the steps (<see cref="Steps"/> unless <paramref name="steps"/> gives others) in order until a Terminal or
    /// Transient outcome, filing the facts each step returns for the later ones, then the status write (as the runtime does).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> PassAsync(Func<IReadOnlyList<IProjectStep>>? steps = null)
    {
        // The recipe engine itself (as the reconciler runs it): facts filed for later steps, AWS failures become outcomes,
        // the pass stops where a step says so.
        var context = Context();
        var pass = new PassRecord<ProjectContext>();
        await Recipe.RunStepsAsync((steps ?? Steps)(), context, pass, _loggers.CreateLogger<ProjectStepHarness>(), context.Key.ToString(), CancellationToken.None);
        var outcomes = pass.Runs.ToDictionary(r => r.Step.Name, r => r.Outcome, StringComparer.Ordinal);
        await Store.SaveStatusAsync(Project, CancellationToken.None);
        return outcomes;
    }

    /// <summary>Passes until every step is Ready (or a pass stops on Terminal); fails after <paramref name="maxPasses"/>.</summary>
    public async Task<IReadOnlyDictionary<string, StepOutcome>> ConvergeAsync(int maxPasses = 12, Func<IReadOnlyList<IProjectStep>>? steps = null)
    {
        var count = (steps ?? Steps)().Count;
        IReadOnlyDictionary<string, StepOutcome> last = new Dictionary<string, StepOutcome>();
        for (var pass = 0; pass < maxPasses; pass++)
        {
            last = await PassAsync(steps);
            if (last.Count == count && last.Values.All(o => o.IsReady) || last.Values.Any(o => o.Kind == StepOutcomeKind.Terminal))
            {
                return last;
            }
        }

        Assert.Fail($"not converged after {maxPasses} passes: {string.Join("; ", last.Select(o => $"{o.Key}: {o.Value}"))}");
        return last;
    }

    /// <summary>Runs passes of <paramref name="step"/> until it is Ready (or another final outcome), at most <paramref name="passes"/>.</summary>
    /// <param name="faults">When true, an AWS error that escapes the step (what the recipe turns into a Transient outcome and a
    /// backoff) counts as a pass and the loop goes on; otherwise it fails the test.</param>
    public async Task<(StepOutcome Outcome, List<StepOutcome> Passes)> ConvergeAsync(IProjectStep step, Action<ProjectContext>? facts = null, int passes = 20, bool faults = false)
    {
        var seen = new List<StepOutcome>();
        for (var i = 0; i < passes; i++)
        {
            StepOutcome outcome;
            try
            {
                outcome = await step.RunAsync(Context(facts), CancellationToken.None);
            }
            catch (OpenKbs.Aws.Core.AwsServiceException ex) when (faults && !ex.IsTerminal)
            {
                outcome = StepOutcome.Transient(ex.Message, ex);
            }

            seen.Add(outcome);
            if (outcome.Kind is not StepOutcomeKind.Progressing and not StepOutcomeKind.Transient)
            {
                return (outcome, seen);
            }
        }

        return (seen[^1], seen);
    }

    /// <summary>One finalize pass of <see cref="Steps"/> in reverse order.</summary>
    public async Task<IReadOnlyList<StepOutcome>> FinalizeAsync(ProjectDeletionPolicy policy)
    {
        var context = Context();
        var outcomes = new List<StepOutcome>();
        foreach (var step in Steps().Reverse())
        {
            outcomes.Add(await step.FinalizeAsync(context, policy, CancellationToken.None));
        }

        return outcomes;
    }

    /// <summary>Runs finalize passes of <paramref name="step"/> until Ready, at most <paramref name="passes"/>.</summary>
    public async Task<(StepOutcome Outcome, List<StepOutcome> Passes)> FinalizeAsync(IProjectStep step, ProjectDeletionPolicy policy, int passes = 20)
    {
        var seen = new List<StepOutcome>();
        for (var i = 0; i < passes; i++)
        {
            var outcome = await step.FinalizeAsync(Context(), policy, CancellationToken.None);
            seen.Add(outcome);
            if (outcome.Kind != StepOutcomeKind.Progressing)
            {
                return (outcome, seen);
            }
        }

        return (seen[^1], seen);
    }

    /// <summary>The Project as the API server has it, as JSON (to search for secrets).</summary>
    public async Task<string> StoredProjectJsonAsync() =>
        ((JsonElement)await Kube.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, Namespace, Project.KubePlural, Project.Metadata.Name)).GetRawText();

    public void Dispose()
    {
        _aws.Dispose();
        _realism?.Dispose();
        _loggers.Dispose();
    }

    private void RecordEvent(EventType type, string reason, string message) => Events.Add($"{type} {reason}: {message}");

    private static Project Strip(Project project)
    {
        project.Metadata.Uid = null;
        project.Metadata.ResourceVersion = null;
        project.Metadata.Generation = null;
        project.ApiVersion = ApiGroup.ApiVersion;
        project.Kind = Project.KubeKind;
        return project;
    }

    /// <summary>Status checkpoints (what a restart would read), handed on to <paramref name="inner"/> when given.</summary>
    internal sealed class Saves(IStatusStore<Project>? inner) : IStatusStore<Project>
    {
        public List<string> Snapshots { get; } = [];

        public Task<Project?> GetAsync(ObjectKey key, CancellationToken cancellationToken) =>
            inner?.GetAsync(key, cancellationToken) ?? Task.FromResult<Project?>(null);

        public async Task SaveStatusAsync(Project resource, CancellationToken cancellationToken)
        {
            Snapshots.Add(KubernetesJson.Serialize(resource.Status));
            if (inner is not null)
            {
                await inner.SaveStatusAsync(resource, cancellationToken);
            }
        }
    }
}
