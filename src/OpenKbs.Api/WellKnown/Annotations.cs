namespace OpenKbs.Api;

/// <summary>Annotations users put on OpenKBS objects.</summary>
public static class Annotations
{
    /// <summary><c>"true"</c> stops reconciling the object (Ready shows reason Paused); remove it to resume.</summary>
    public const string Paused = "openkbs.com/paused";

    /// <summary>Any new value (e.g. a timestamp) asks for an immediate reconcile, also of a terminal object;
    /// the handled value is echoed to <c>status.lastHandledReconcileAt</c>.</summary>
    public const string ReconcileRequestedAt = "openkbs.com/reconcile-requested-at";

    /// <summary>
    /// On a Project's API-key Secret: the client has collected the handed-over keys. The value is the deployment named by the
    /// Secret's <c>openkbs.com/deployment</c> annotation (what <c>openkbs keys collected</c> writes); the operator then deletes the
    /// plaintext keys from the Secret (only the SHA-256 hashes stay) and records the time in <c>status.apiKeys[].plaintextDeletedAt</c>.
    /// A mark naming another deployment (keys handed over since) is ignored; every hand-over removes it.
    /// </summary>
    public const string KeysCollected = "openkbs.com/keys-collected";

    /// <summary>On a Project's API-key Secret (written by the operator): the deployment whose keys it holds.</summary>
    public const string Deployment = "openkbs.com/deployment";

}
