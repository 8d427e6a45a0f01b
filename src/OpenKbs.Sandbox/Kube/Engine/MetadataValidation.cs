namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>ObjectMeta's fields: anything else in metadata is an unknown field (dropped, and reported per fieldValidation).</summary>
internal static class MetadataValidation
{
    private static readonly HashSet<string> KnownMetadataFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    };

    public static IReadOnlySet<string> KnownFields => KnownMetadataFields;
}
