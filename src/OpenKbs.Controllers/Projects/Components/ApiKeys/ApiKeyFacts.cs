namespace OpenKbs.Controllers.Projects.Components.ApiKeys;

/// <summary>What the staging step hands to later steps: the key plan of this pass (read by the API-keys step after the
/// functions) and the accepted keys' hashes as the sealed <c>OPENKBS_API_KEYS</c> function setting. In memory only.</summary>
internal sealed record ApiKeyFacts(ApiKeyPlan Plan, IReadOnlyDictionary<string, byte[]> SealedSettings) : IFunctionSettingsContribution;
