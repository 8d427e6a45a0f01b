namespace OpenKbs.Runtime;

/// <summary>Annotations the runtime understands on every kind it reconciles.</summary>
public static class RuntimeAnnotations
{
    /// <summary><c>"true"</c> stops reconciling the object (deletion included) until the annotation is removed or set to anything else.</summary>
    public const string Paused = "openkbs.com/paused";

    /// <summary>Any new value asks for an immediate reconcile, even of an object in a terminal state. The handled value is echoed
    /// to <c>status.lastHandledReconcileAt</c> when the status type has that field.</summary>
    public const string ReconcileRequestedAt = "openkbs.com/reconcile-requested-at";
}
