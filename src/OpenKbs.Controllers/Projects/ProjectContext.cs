using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Everything one pass over one Project knows, gathered once before the steps run (<see cref="ProjectContextFactory"/>):
/// the Project (a private copy whose status the pass writes), its Ready ClientAccount, the member-account clients (900-second
/// AssumeRole sessions into the account's access role, pinned to its home region), the management clients (for the platform
/// artifact bucket only), the deterministic <see cref="Names"/> and the owner <see cref="Tags"/>. Steps hand typed facts to later
/// steps of the same pass by returning them with their outcome (<see cref="Facts"/>); nothing here is set by a step.
/// </summary>
internal sealed class ProjectContext : IHasFacts
{
    private readonly Action<EventType, string, string> _recordEvent;
    private readonly IStatusStore<Project>? _store;

    public ProjectContext(
        Project project,
        ClientAccount account,
        IMemberAccountClients aws,
        IManagementClients management,
        ProjectOptions options,
        TimeProvider clock,
        Action<EventType, string, string> recordEvent,
        IStatusStore<Project>? store = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(account);
        Project = project;
        Project.Status ??= new ProjectStatus();
        Account = account;
        Aws = aws;
        Management = management;
        Options = options;
        Clock = clock;
        _recordEvent = recordEvent;
        _store = store;
        Names = ProjectNames.For(project.Metadata.NamespaceProperty, project.Metadata.Name, project.Metadata.Uid ?? string.Empty);
        Tags = OwnershipTags.For(project);
        Actor = AwsActors.For(project, ProjectRegistration.ControllerName);
    }

    public Project Project { get; }

    public ProjectSpec Spec => Project.Spec;

    public ProjectStatus Status => Project.Status!;

    public long Generation => Project.Metadata.Generation ?? 0;

    public ObjectKey Key => ObjectKey.From(Project);

    /// <summary>The Ready ClientAccount the project runs in (same namespace).</summary>
    public ClientAccount Account { get; }

    /// <summary>The client account's id.</summary>
    public string AccountId => Aws.AccountId;

    /// <summary>The account's home region: every regional resource of the project lives here.</summary>
    public string Region => Aws.Region;

    /// <summary>Clients inside the client account, home region, 900-second sessions. Every AWS change of a step goes through these.</summary>
    public IMemberAccountClients Aws { get; }

    /// <summary>Management-account clients: only for reading artifacts from the platform bucket.</summary>
    public IManagementClients Management { get; }

    public ProjectNames Names { get; }

    /// <summary>The ownership tags every AWS resource of the project carries (managed-by, owner, namespace, uid).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Who the AWS layer's audit records name (controller <c>project</c> and this object).</summary>
    public AwsActor Actor { get; }

    public ProjectOptions Options { get; }

    public TimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The deployment identity: a new value (version or artifact SHA-256 changed) deploys new code and rotates API keys.</summary>
    public string DeploymentId => DeploymentIds.For(Spec.Version, Spec.Source?.Sha256);

    /// <summary>The typed facts earlier steps of this pass returned (the key ARN, the verified artifact, the execution role,
    /// the function ARNs, the sealed settings and role statements components contribute); filed by the recipe engine.</summary>
    public Facts Facts { get; } = new();

    /// <summary>Records a Kubernetes Event on the Project (never with a secret).</summary>
    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>
    /// Writes the status now: a checkpoint a crash must not lose (e.g. a handle AWS returned). Throws
    /// <see cref="StatusConflictException"/> when the object changed meanwhile; the recipe then requeues.
    /// </summary>
    public Task SaveStatusAsync(CancellationToken cancellationToken) =>
        _store is null ? Task.CompletedTask : _store.SaveStatusAsync(Project, cancellationToken);
}
