using Amazon.Runtime;

namespace OpenKbs.Aws.Credentials;

/// <summary>A cached assumed-role session into a client account (exactly 900 s; reused until shortly before expiry).</summary>
internal sealed record AwsSession(
    string AccountId,
    string RoleArn,
    string SessionName,
    ImmutableCredentials Credentials,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expiration)
{
    /// <summary>The expiry STS reported (its clock), for diagnostics.</summary>
    public DateTimeOffset? ReportedExpiration { get; init; }

    public AWSCredentials ToAwsCredentials() => new SessionAWSCredentials(Credentials.AccessKey, Credentials.SecretKey, Credentials.Token);

    /// <summary>Valid for use at <paramref name="now"/> when more than <paramref name="margin"/> remains.</summary>
    public bool IsFresh(DateTimeOffset now, TimeSpan margin) => now < Expiration - margin;

    public override string ToString() => $"AwsSession {{ {RoleArn} as {SessionName}, expires {Expiration:O} }}";
}
