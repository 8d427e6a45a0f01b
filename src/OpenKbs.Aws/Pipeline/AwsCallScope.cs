using Amazon.Runtime;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Aws.Pipeline;

/// <summary>Who calls, into which account and region, with which credentials. One per client set handed out by the factory.</summary>
internal sealed class AwsCallScope
{
    /// <summary>The key of the management scope in rate limiting and logs.</summary>
    public const string ManagementKey = "management";

    /// <summary>The target account id, or null for the management account (whose id the operator need not know).</summary>
    public required string? AccountId { get; init; }

    /// <summary>The region of regional calls (already checked against the EU allowlist when the scope was made).</summary>
    public required string Region { get; init; }

    public required AwsActor Actor { get; init; }

    /// <summary>Resolves the credentials to sign with (management chain or the cached 900-second session).</summary>
    public required Func<CancellationToken, ValueTask<AWSCredentials>> Credentials { get; init; }

    /// <summary>The rate-limit key: the account id, or <see cref="ManagementKey"/>.</summary>
    public string AccountKey => AccountId ?? ManagementKey;
}
