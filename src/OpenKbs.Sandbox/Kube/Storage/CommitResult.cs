namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>The outcome of a store mutation: what happened and the object as stored (or as deleted).</summary>
internal readonly record struct CommitResult(MutationKind Kind, StoredObject? Object);
