using OpenKbs.Aws.AccountManagement;
using OpenKbs.Aws.Iam;
using OpenKbs.Aws.Organizations;

namespace OpenKbs.Aws.Clients;

/// <summary>The management account's clients (Organizations and Account Management exist only here).</summary>
public interface IManagementClients
{
    /// <summary>The region of regional calls (allowed EU region).</summary>
    string Region { get; }

    IOrganizationsClient Organizations { get; }

    IAccountClient Account { get; }

    IIamClient Iam { get; }
}
