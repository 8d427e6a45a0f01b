namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// Sees every AWS call the layer is about to send (after the EU guard, once per call whatever the number of attempts), reads and
/// mutations alike. Register any number in DI; the tests use one to check every call against the generated IAM policies
/// (docs/iam). An observer must be fast and must not throw.
/// </summary>
public interface IAwsCallObserver
{
    void OnCall(AwsCall call);
}

/// <summary>One AWS call as the IAM policy of the calling account sees it.</summary>
public sealed record AwsCall
{
    /// <summary>The member account, or null for the management account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The scope's region (the signing region of a global service is us-east-1 whatever this says).</summary>
    public required string Region { get; init; }

    /// <summary><c>service:Operation</c> (the audit action).</summary>
    public required string Action { get; init; }

    /// <summary>The IAM actions the call needs (<see cref="AwsOperation.IamActions"/>).</summary>
    public required IReadOnlyList<string> IamActions { get; init; }

    /// <summary>Whether the service is global (IAM, CloudFront, Organizations, Account).</summary>
    public required bool GlobalService { get; init; }

    /// <summary>Who calls (the owning object and controller).</summary>
    public required Audit.AwsActor Actor { get; init; }

    /// <summary>The audited resource (ARN or id) of a mutation, when known before sending; null for reads.</summary>
    public string? Resource { get; init; }

    /// <summary>
    /// The other resources the request names (ARNs or ids, reads included: a KMS key id, an Organizations account, OU, root or
    /// policy id, a role ARN): what IAM authorizes the call against besides <see cref="Resource"/>.
    /// </summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>The audited request details of a mutation (digests, never secrets; <see cref="Audit.AuditDetails"/>); empty for reads.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
