namespace OpenKbs.Api;

/// <summary>Annotations users put on OpenKBS objects.</summary>
public static class Annotations
{
    /// <summary><c>"true"</c> stops reconciling the object (Ready shows reason Paused); remove it to resume.</summary>
    public const string Paused = "openkbs.com/paused";

    /// <summary>Any new value (e.g. a timestamp) asks for an immediate reconcile, also of a terminal object;
    /// the handled value is echoed to <c>status.lastHandledReconcileAt</c>.</summary>
    public const string ReconcileRequestedAt = "openkbs.com/reconcile-requested-at";
}
