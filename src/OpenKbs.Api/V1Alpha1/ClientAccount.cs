using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// ClientAccount is a dedicated AWS account for one enterprise client, vended in the organization, placed in an
/// organizational unit, fenced into EU regions by a service control policy and reachable only through 15-minute
/// AssumeRole sessions. Deleting it releases the account untouched unless deletionPolicy is Close.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[ShortName("ca")]
[Category(ApiGroup.Category)]
[PrinterColumn("ACCOUNT-ID", ".status.accountId", Description = "The AWS account id.")]
[PrinterColumn("EMAIL", ".spec.email", Description = "The account's root email.")]
[PrinterColumn("STATE", ".status.state", Description = "Pending, Queued, Creating, Active, Suspended, Closing, Closed, Failed or Transferred.")]
[PrinterColumn("READY", PrinterColumnAttribute.ReadyStatusPath, Description = "The Ready condition's status.")]
[PrinterColumn("AGE", PrinterColumnAttribute.CreationTimestampPath, Type = "date")]
[PrinterColumn("OU", ".spec.organizationalUnit", Priority = 1, Description = "The organizational unit path.")]
[PrinterColumn("REGION", ".spec.region", Priority = 1, Description = "The home region.")]
[PrinterColumn("REASON", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "The Ready condition's reason.")]
public sealed class ClientAccount() : CustomResource<ClientAccountSpec, ClientAccountStatus>(KubeKind)
{
    public const string KubeKind = "ClientAccount";
    public const string KubePlural = "clientaccounts";
}
