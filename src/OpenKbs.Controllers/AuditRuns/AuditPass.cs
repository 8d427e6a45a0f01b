using k8s.Models;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>What an AuditRun reads besides AWS: the Project and ClientAccount informer caches (same namespace only) and the namespace's ConfigMaps.</summary>
internal sealed record AuditRunCaches(IResourceCache<Project> Projects, IResourceCache<ClientAccount> Accounts, ICoreObjects<V1ConfigMap> ConfigMaps);

/// <summary>The artifact step's fact: the artifact's bytes, SHA-256 verified, and where it is published (<c>s3://bucket/key</c> of the Project's source, for the reports).</summary>
internal sealed record VerifiedArtifact(byte[] Bytes, string Source);

/// <summary>The target step's fact: the audit target, the Project, its account's clients (900 s sessions), the artifact and where the reports go.</summary>
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
/// One reconcile of one AuditRun (<see cref="RecipePass{TResource, TSpec, TStatus}"/>; no checkpoints: its status is written at
/// the end of the pass) with the AWS client factory bound to this object's actor and the caches. Steps hand later steps typed
/// facts (<see cref="AuditTarget"/>, <see cref="VerifiedArtifact"/>).
/// </summary>
internal sealed class AuditPass(AuditRun resource, IAwsClientFactory aws, AuditRunCaches caches, TimeProvider clock, Action<EventType, string, string> recordEvent)
    : RecipePass<AuditRun, AuditRunSpec, AuditRunStatus>(resource, AuditRunRegistration.ControllerName, clock, recordEvent, store: null)
{
    public IAwsClientFactory Aws { get; } = aws;

    public AuditRunCaches Caches { get; } = caches;

    /// <summary>When the AuditRun was created (now, for an object not yet stored).</summary>
    public DateTimeOffset Created => Resource.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : Now;
}
