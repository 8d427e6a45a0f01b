using OpenKbs.Aws.Iam;

namespace OpenKbs.Aws.Clients;

/// <summary>
/// Clients inside one client account and one EU region, signed with the cached 900-second session.
/// The next services (Lambda, RDS, CloudFront, Scheduler, CloudWatch, S3, KMS) are added here as properties (docs/aws.md).
/// </summary>
public interface IMemberAccountClients
{
    string AccountId { get; }

    /// <summary>The pinned region (allowed EU region).</summary>
    string Region { get; }

    IIamClient Iam { get; }
}
