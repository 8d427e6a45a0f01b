using OpenKbs.Aws.Audit;

namespace OpenKbs.Aws.Pipeline;

/// <summary>What a client operation tells the pipeline to audit: the resource (ARN or id) and the allowlisted details.</summary>
internal sealed class AuditEntry(string? resource, AuditDetails? details = null)
{
    public string? Resource { get; set; } = resource;

    public AuditDetails Details { get; } = details ?? AuditDetails.Empty;
}
