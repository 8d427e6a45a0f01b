using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// Runs single Project steps against moto through the production AWS layer, optionally under the sandbox's realism layer
/// (RDS creating/modifying, CloudFront InProgress and If-Match, Lambda states): one client account, one ProjectContext per pass
/// (as the recipe builds it), status checkpoints and Events captured.
/// </summary>
internal sealed class ProjectStepHost : IDisposable
{
    public const string Region = "eu-central-1";
    private readonly ServiceProvider _provider;
    private readonly AwsChaosHandler? _realism;

    /// <param name="chaos">The sandbox chaos spec in front of moto (docs/aws-chaos.md), realism by default; null for plain moto.</param>
    public ProjectStepHost(MotoServerFixture moto, Project project, string? chaos = "realism=on", string accountId = "123456789012")
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (chaos is not null)
        {
            _realism = new AwsChaosHandler(new AwsChaosEngine(chaos));
        }

        AwsHost.AddTo(services, moto.Endpoint, Log, Audit, configure: null, inner: _realism is null ? null : [_realism]);
        _provider = services.BuildServiceProvider();
        Project = project;
        Account = ProjectFixtures.ReadyAccount("acme", accountId);
        var actor = AwsActors.For(project, ProjectController.ControllerName);
        Aws = Factory.ForAccount(accountId, "OrganizationAccountAccessRole", Region, actor);
        Management = Factory.ForManagement(actor);
        StepClients = Aws;
    }

    public AwsRequestLog Log { get; } = new();

    /// <summary>What the chaos/realism layer did (faults injected, state transitions); null for plain moto.</summary>
    public AwsChaosStats? Chaos => _realism?.Engine.Stats;

    public CapturingAuditSink Audit { get; } = new();

    public IAwsClientFactory Factory => _provider.GetRequiredService<IAwsClientFactory>();

    public Project Project { get; }

    public ClientAccount Account { get; }

    public IMemberAccountClients Aws { get; }

    /// <summary>What the steps get as <see cref="ProjectContext.Aws"/> (<see cref="Aws"/> unless a test wraps it, e.g. to race an update).</summary>
    public IMemberAccountClients StepClients { get; set; } = null!;

    public IManagementClients Management { get; }

    public ProjectOptions Options { get; } = new() { WaitForDatabase = TimeSpan.FromSeconds(1), WaitForDistribution = TimeSpan.FromSeconds(1) };

    public List<string> Events { get; } = [];

    public Saves Store { get; } = new();

    /// <summary>A fresh context for one pass (facts of earlier steps set by <paramref name="facts"/>).</summary>
    public ProjectContext Context(Action<ProjectContext>? facts = null)
    {
        var context = new ProjectContext(Project, Account, StepClients, Management, Options, TimeProvider.System, (type, reason, message) => Events.Add($"{type} {reason}: {message}"), Store);
        facts?.Invoke(context);
        return context;
    }

    /// <summary>A KMS key in the client account (what the storage step leaves in <see cref="ProjectContext.KeyArn"/>).</summary>
    public async Task<string> KeyAsync() => (await Aws.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "project key" })).KeyMetadata!.Arn!;

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
                outcome = await step.ObserveAndConvergeAsync(Context(facts), CancellationToken.None);
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

    /// <summary>Runs finalize passes until Ready, at most <paramref name="passes"/>.</summary>
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

    public static T Step<T>(Func<Microsoft.Extensions.Logging.ILogger<T>, T> create) => create(NullLogger<T>.Instance);

    public void Dispose()
    {
        _provider.Dispose();
        _realism?.Dispose();
    }

    /// <summary>Status checkpoints (what a restart would read).</summary>
    internal sealed class Saves : IStatusStore<Project>
    {
        public List<string> Snapshots { get; } = [];

        public Task<Project?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => Task.FromResult<Project?>(null);

        public Task SaveStatusAsync(Project resource, CancellationToken cancellationToken)
        {
            Snapshots.Add(k8s.KubernetesJson.Serialize(resource.Status));
            return Task.CompletedTask;
        }
    }
}
