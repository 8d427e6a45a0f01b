namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>What the database step hands to later steps once the cluster has an endpoint: the connection details (no password)
/// as a sealed function setting, and the execution role's statements for the AWS-managed secret and the Data API.</summary>
internal sealed record DatabaseFacts(IReadOnlyDictionary<string, byte[]> SealedSettings, IReadOnlyList<string> RoleStatements)
    : IFunctionSettingsContribution, IExecutionRoleContribution;
