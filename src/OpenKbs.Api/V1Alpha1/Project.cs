using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// Project is one client solution deployed into its ClientAccount's AWS account, in the account's home region:
/// Lambda functions from a verified artifact, a versioned and encrypted S3 bucket, optionally an Aurora PostgreSQL
/// Serverless v2 database and a CloudFront distribution, EventBridge Scheduler schedules and API keys.
/// Deleting it leaves everything in place unless deletionPolicy is Delete, and never loses client data.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[ShortName("proj")]
[Category(ApiGroup.Category)]
[PrinterColumn("ACCOUNT", ".spec.clientAccountRef.name", Description = "The ClientAccount the project runs in.")]
[PrinterColumn("VERSION", ".status.deployedVersion", Description = "The version that is deployed.")]
[PrinterColumn("FUNCTIONS", ".status.functionsReady", Description = "Functions ready / functions in the spec.")]
[PrinterColumn("READY", PrinterColumnAttribute.ReadyStatusPath, Description = "The Ready condition's status.")]
[PrinterColumn("ENDPOINT", ".status.endpoint", Description = "Where clients reach the project.")]
[PrinterColumn("AGE", PrinterColumnAttribute.CreationTimestampPath, Type = "date")]
[PrinterColumn("TRANSFERRED", ".status.transferredAt", Type = "date", Description = "Since when the account is the client's (an AccountTransfer released the project).")]
[PrinterColumn("DESIRED", ".spec.version", Priority = 1, Description = "The version the spec asks for.")]
[PrinterColumn("ACCOUNT-ID", ".status.accountId", Priority = 1, Description = "The AWS account id.")]
[PrinterColumn("REASON", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "The Ready condition's reason.")]
public sealed class Project() : CustomResource<ProjectSpec, ProjectStatus>(KubeKind)
{
    public const string KubeKind = "Project";
    public const string KubePlural = "projects";
}
