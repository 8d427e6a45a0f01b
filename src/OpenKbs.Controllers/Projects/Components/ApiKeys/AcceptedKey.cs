namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>A key the functions accept: its name, SHA-256 (hex), permissions and the deployment it was issued for.</summary>
internal sealed record AcceptedKey(string Name, string Sha256, IReadOnlyList<string> Permissions, string Deployment);
