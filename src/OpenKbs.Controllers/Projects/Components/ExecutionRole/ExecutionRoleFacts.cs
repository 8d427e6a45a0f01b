namespace OpenKbs.Controllers.Projects.Components.ExecutionRole;

/// <summary>What the execution-role step hands to the functions step: the role every function of the project runs as.</summary>
internal sealed record ExecutionRoleFacts(string RoleArn);
