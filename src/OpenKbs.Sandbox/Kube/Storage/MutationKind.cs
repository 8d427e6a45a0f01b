namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>What a store mutation decided to do.</summary>
internal enum MutationKind
{
    None,
    Put,
    Delete,
}
