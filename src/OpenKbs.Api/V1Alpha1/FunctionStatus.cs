using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An observed Lambda function.</summary>
public sealed class FunctionStatus
{
    /// <summary>The function's name in the spec.</summary>
    [MaxLength(32)]
    public string? Name { get; set; }

    /// <summary>The function's ARN.</summary>
    [MaxLength(256)]
    public string? Arn { get; set; }

    /// <summary>The function's state as Lambda reports it (Pending, Active, Inactive, Failed).</summary>
    [MaxLength(32)]
    public string? State { get; set; }

    /// <summary>The status of the last update as Lambda reports it (InProgress, Successful, Failed).</summary>
    [MaxLength(32)]
    public string? LastUpdateStatus { get; set; }

    /// <summary>The SHA-256 of the deployed code package, base64, as Lambda reports it.</summary>
    [MaxLength(64)]
    public string? CodeSha256 { get; set; }

    /// <summary>The published Lambda version (or <c>$LATEST</c>).</summary>
    [MaxLength(32)]
    public string? Version { get; set; }
}
