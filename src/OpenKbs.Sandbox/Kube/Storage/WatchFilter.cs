using OpenKbs.Sandbox.Kube.Selectors;

namespace OpenKbs.Sandbox.Kube.Storage;

/// <summary>Which objects a list or watch selects: a namespace (or all), a label selector and a field selector.</summary>
internal sealed record WatchFilter(string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public static readonly WatchFilter Everything = new(null, LabelSelector.Everything, FieldSelector.Everything);

    public bool Matches(StoredObject o) =>
        (Namespace is null || o.Namespace == Namespace)
        && (Labels.IsEmpty || Labels.Matches(o.Labels))
        && (Fields.IsEmpty || Fields.Matches(o.Field));
}
