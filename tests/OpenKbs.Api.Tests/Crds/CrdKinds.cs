namespace OpenKbs.Api.Tests.Crds;

internal static class CrdKinds
{
    public static IReadOnlyList<string> All { get; } = ["ClientAccount", "Project", "AuditRun", "AccountTransfer"];
}
