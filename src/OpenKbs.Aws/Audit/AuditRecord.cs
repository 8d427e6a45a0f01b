namespace OpenKbs.Aws.Audit;

/// <summary>
/// One mutating AWS call, recorded once whatever the number of HTTP attempts. Contains no secret: <see cref="Details"/> is built
/// from an allowlist of request fields (see <see cref="AuditDetails"/>), never from a payload.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>When the call finished.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary><c>service:Operation</c>, e.g. <c>iam:CreateRole</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The ARN or id of the object acted on (after the call when AWS assigns it, e.g. a create-account request id).</summary>
    public string? Resource { get; init; }

    /// <summary>Sanitised request fields (allowlisted per operation).</summary>
    public required IReadOnlyDictionary<string, string> Details { get; init; }

    public required AwsActor Actor { get; init; }

    /// <summary>The operator's own address.</summary>
    public required string SourceIp { get; init; }

    /// <summary>The target account id; null for the management account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The region of the call (us-east-1 signing for global services is not recorded here: this is the scope region).</summary>
    public required string Region { get; init; }

    /// <summary><see cref="AuditOutcome.Success"/>, <see cref="AuditOutcome.Failure"/> or <see cref="AuditOutcome.Refused"/> (stopped before sending, e.g. by the EU guard).</summary>
    public required string Outcome { get; init; }

    /// <summary>The AWS (or OpenKBS) error code when the call failed.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The AWS request id of the last attempt.</summary>
    public string? RequestId { get; init; }

    /// <summary>HTTP attempts made (1 without retries; 0 when refused).</summary>
    public int Attempts { get; init; }
}
