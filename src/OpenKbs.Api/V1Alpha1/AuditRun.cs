using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>
/// AuditRun is one security audit of a Project's deployment artifact (code, secrets, dependencies, infrastructure).
/// It runs once; the report is stored outside the object and the status carries the finding counts. Its spec is
/// immutable: create a new AuditRun to audit again.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KubeKind, PluralName = KubePlural)]
[ShortName("audit")]
[Category(ApiGroup.Category)]
[PrinterColumn("PROJECT", ".spec.projectRef.name", Description = "The audited Project.")]
[PrinterColumn("VERSION", ".status.version", Description = "The audited version.")]
[PrinterColumn("PHASE", ".status.phase", Description = "Pending, Running, Passed, Failed or Error.")]
[PrinterColumn("CRITICAL", ".status.findings.critical", Type = "integer", Description = "Critical findings.")]
[PrinterColumn("HIGH", ".status.findings.high", Type = "integer", Description = "High findings.")]
[PrinterColumn("AGE", PrinterColumnAttribute.CreationTimestampPath, Type = "date")]
[PrinterColumn("MEDIUM", ".status.findings.medium", Type = "integer", Priority = 1, Description = "Medium findings.")]
[PrinterColumn("LOW", ".status.findings.low", Type = "integer", Priority = 1, Description = "Low findings.")]
[PrinterColumn("FAIL-ON", ".spec.failOn", Priority = 1, Description = "The severity that fails the run.")]
[PrinterColumn("REASON", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "The Ready condition's reason.")]
public sealed class AuditRun() : CustomResource<AuditRunSpec, AuditRunStatus>(KubeKind)
{
    public const string KubeKind = "AuditRun";
    public const string KubePlural = "auditruns";
}
