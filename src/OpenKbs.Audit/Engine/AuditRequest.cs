using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Infrastructure;

namespace OpenKbs.Audit.Engine;

/// <summary>One audit: which artifact (a path, or bytes already fetched), its expected digest, the checks, the policy and the time limit.</summary>
public sealed record AuditRequest
{
    /// <summary>A zip, a tar.gz or a directory on disk; or null when <see cref="ArtifactBytes"/> is given.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>The archive's bytes (e.g. read from S3); used when <see cref="ArtifactPath"/> is null.</summary>
    public ReadOnlyMemory<byte>? ArtifactBytes { get; init; }

    /// <summary>The name the report gives the artifact (defaults to the path).</summary>
    public string? Subject { get; init; }

    /// <summary>Where the artifact came from (e.g. <c>s3://bucket/key</c>), named in the report next to its digest; null: not named.</summary>
    public string? Source { get; init; }

    /// <summary>The SHA-256 the artifact must have (checked before it is read); null to compute and report it only.</summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>Check names to run (code, secrets, dependencies, infrastructure); null or empty runs every available check.</summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>The project's live AWS configuration for the <c>infrastructure</c> check; null: that check cannot run.</summary>
    public InfrastructureSnapshot? Infrastructure { get; init; }

    public AuditPolicy Policy { get; init; } = AuditPolicy.Default;

    /// <summary>The whole run, intake included.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);
}
