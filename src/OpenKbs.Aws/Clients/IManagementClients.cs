using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Organizations;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.Sts;

namespace OpenKbs.Aws.Clients;

/// <summary>The management account's clients (Organizations and Account Management exist only here).</summary>
public interface IManagementClients
{
    /// <summary>The region of regional calls (allowed EU region).</summary>
    string Region { get; }

    IOrganizationsClient Organizations { get; }

    IAccountClient Account { get; }

    IIamClient Iam { get; }

    /// <summary>S3 in the management account (e.g. reading artifacts from the platform bucket; see <see cref="S3ArtifactCopy"/>).</summary>
    IS3Client S3 { get; }

    IStsClient Sts { get; }
}
