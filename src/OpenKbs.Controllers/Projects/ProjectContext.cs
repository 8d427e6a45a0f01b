using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// Everything one pass over one Project knows, gathered once before the steps run (<see cref="ProjectContextFactory"/>):
/// the Project (a private copy whose status the pass writes), its Ready ClientAccount, the member-account clients (900-second
/// AssumeRole sessions into the account's access role, pinned to its home region), the management clients (for the platform
/// artifact bucket only), the deterministic <see cref="Names"/> and the owner <see cref="Tags"/>. Steps also leave facts here
/// for later steps of the same pass (<see cref="KeyArn"/>, <see cref="Artifact"/>, <see cref="ExecutionRoleArn"/>, ...).
/// </summary>
internal sealed class ProjectContext
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

    // Facts left by earlier steps of this pass.

    /// <summary>The project's KMS key ARN (storage step): bucket encryption, sealed function settings.</summary>
    public string? KeyArn { get; set; }

    /// <summary>The verified copy of the artifact in the project bucket (artifact step); null until verified.</summary>
    public ArtifactLocation? Artifact { get; set; }

    /// <summary>The functions' execution role ARN (execution-role step).</summary>
    public string? ExecutionRoleArn { get; set; }

    /// <summary>
    /// Sensitive values the functions need, by environment variable name (e.g. <c>OPENKBS_API_KEYS</c>, <c>OPENKBS_DATABASE</c>):
    /// the functions step seals each payload with the project key (KMS envelope, AES-256-GCM, encryption context
    /// <c>EnvelopeContext.ForOwner(namespace, "Project", name, uid, NAME)</c>) and sets <c>NAME</c> to the envelope and
    /// <c>NAME_DIGEST</c> to a SHA-256 over uid, name and payload, so drift checks compare digests and never re-encrypt an
    /// unchanged value. Payloads must be deterministic bytes. Steps that run before the functions step add theirs here.
    /// </summary>
    public IDictionary<string, byte[]> SealedSettings { get; } = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);

    /// <summary>The API-key plan of this pass (staging step), read by the API-keys step.</summary>
    public ApiKeyPlan? KeyPlan { get; set; }

    /// <summary>Extra IAM statements (JSON objects) the execution role needs for components of this project (e.g. reading the
    /// database's AWS-managed secret); steps that run before the execution-role step add theirs here. Least privilege: name
    /// exact resources.</summary>
    public IList<string> ExecutionRoleStatements { get; } = [];

    /// <summary>The ARNs of the project's functions by spec name, once they exist (functions step).</summary>
    public IDictionary<string, string> FunctionArns { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>True when every function runs the current artifact and configuration (functions step).</summary>
    public bool FunctionsConverged { get; set; }

    /// <summary>Records a Kubernetes Event on the Project (never with a secret).</summary>
    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>
    /// Writes the status now: a checkpoint a crash must not lose (e.g. a handle AWS returned). Throws
    /// <see cref="StatusConflictException"/> when the object changed meanwhile; the recipe then requeues.
    /// </summary>
    public Task SaveStatusAsync(CancellationToken cancellationToken) =>
        _store is null ? Task.CompletedTask : _store.SaveStatusAsync(Project, cancellationToken);
}
