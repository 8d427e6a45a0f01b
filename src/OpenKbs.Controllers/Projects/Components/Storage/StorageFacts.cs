namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>What the storage step hands to later steps: the project's KMS key (bucket encryption, artifact copies, the
/// database, sealed function settings, staged API keys).</summary>
internal sealed record StorageFacts(string KeyArn);
