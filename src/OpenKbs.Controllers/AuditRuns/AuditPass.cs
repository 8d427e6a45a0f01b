using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>What an AuditRun reads besides AWS: the Project and ClientAccount informer caches (same namespace only) and the namespace's ConfigMaps.</summary>
internal sealed record AuditRunCaches(IResourceCache<Project> Projects, IResourceCache<ClientAccount> Accounts, ICoreObjects<V1ConfigMap> ConfigMaps);

/// <summary>The audit target the target step resolved: the Project, its account's clients (900 s sessions), the artifact and where the reports go.</summary>
internal sealed record AuditTarget
{
    public required Project Project { get; init; }

    public required ArtifactSource Source { get; init; }

    public required string? Version { get; init; }

    /// <summary>The client account's clients through its access role, in its home region (900-second AssumeRole sessions).</summary>
    public required IMemberAccountClients Member { get; init; }

    /// <summary>The project's own bucket (reports and the verified artifact copy live there).</summary>
    public required string Bucket { get; init; }

    /// <summary>The project's KMS key (reports are written SSE-KMS with it).</summary>
    public required string KmsKeyArn { get; init; }
}

/// <summary>
/// One reconcile of one AuditRun: the object (a private copy whose status the pass writes), the AWS client factory bound to
/// this object's actor (every AWS write lands in the audit trail), the caches, events and conditions. Steps leave their typed
/// facts here for later steps (<see cref="Target"/>, <see cref="Artifact"/>).
/// </summary>
internal sealed class AuditPass
{
    private readonly Action<EventType, string, string> _recordEvent;

    public AuditPass(AuditRun resource, IAwsClientFactory aws, AuditRunCaches caches, TimeProvider clock, Action<EventType, string, string> recordEvent)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Resource = resource;
        Resource.Status ??= new AuditRunStatus();
        Aws = aws;
        Caches = caches;
        Clock = clock;
        _recordEvent = recordEvent;
        Actor = AwsActors.For(resource, AuditRunRegistration.ControllerName);
    }

    public AuditRun Resource { get; }

    public AuditRunSpec Spec => Resource.Spec;

    public AuditRunStatus Status => Resource.Status!;

    public string Namespace => Resource.Metadata.NamespaceProperty;

    public string Name => Resource.Metadata.Name;

    public ObjectKey Key => ObjectKey.From(Resource);

    public long Generation => Resource.Metadata.Generation ?? 0;

    public IAwsClientFactory Aws { get; }

    public AuditRunCaches Caches { get; }

    public TimeProvider Clock { get; }

    public AwsActor Actor { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>When the AuditRun was created (now, for an object not yet stored).</summary>
    public DateTimeOffset Created => Resource.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : Now;

    /// <summary>Set by the target step.</summary>
    public AuditTarget? Target { get; set; }

    /// <summary>The artifact's bytes, SHA-256 verified (set by the artifact step).</summary>
    public byte[]? Artifact { get; set; }

    /// <summary>Where the artifact is published (<c>s3://bucket/key</c> of the Project's source), for the reports (set by the artifact step).</summary>
    public string? ArtifactSource { get; set; }

    /// <summary>Sets a condition with this pass's generation; true when it changed.</summary>
    public bool SetCondition(string type, string status, string reason, string message) =>
        Conditions.Set(Status.Conditions, type, status, reason, message, Generation, Now);

    public V1ConditionView Condition(string type) => new(Conditions.Find(Status.Conditions, type));

    public void Event(EventType type, string reason, string message) => _recordEvent(type, reason, message);

    /// <summary>The owner reference that makes the summary ConfigMap go with the AuditRun.</summary>
    public V1OwnerReference Owner() => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = AuditRun.KubeKind,
        Name = Name,
        Uid = Resource.Metadata.Uid,
    };
}
