using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// AccountTransfer hands a ClientAccount's AWS account over to the client: the root email moves to the client's
/// address, the client confirms the human steps (verification code, billing and contact details), an approval is
/// given, and the account leaves the organization. Each step is idempotent and shown in status.steps.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[ShortName("xfer")]
[Category(ApiGroup.Category)]
[PrinterColumn("ACCOUNT", ".spec.clientAccountRef.name", Description = "The ClientAccount being transferred.")]
[PrinterColumn("PHASE", ".status.phase", Description = "Where the transfer is.")]
[PrinterColumn("AGE", PrinterColumnAttribute.CreationTimestampPath, Type = "date")]
[PrinterColumn("NEW-EMAIL", ".spec.newRootEmail", Priority = 1, Description = "The client's root email.")]
[PrinterColumn("REASON", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "The Ready condition's reason.")]
public sealed class AccountTransfer() : CustomResource<AccountTransferSpec, AccountTransferStatus>(KubeKind)
{
    public const string KubeKind = "AccountTransfer";
    public const string KubePlural = "accounttransfers";
}
