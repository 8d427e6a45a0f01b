namespace OpenKbs.Runtime;

/// <summary>What a reconcile pass concluded; see <see cref="ReconcileResult"/> for the scheduling each one implies.</summary>
public enum ReconcileOutcome
{
    /// <summary>In sync: look again after the kind's resync interval (jittered ±10 %) to detect drift.</summary>
    Done,

    /// <summary>Waiting for something with a known duration (a named wait): look again after the given delay.</summary>
    RequeueAfter,

    /// <summary>Cannot make progress until a human changes the spec: no retry until the generation or the
    /// <c>openkbs.com/reconcile-requested-at</c> annotation changes, plus a slow re-check.</summary>
    Terminal,

    /// <summary>A failure that may heal by itself: retry with per-object exponential backoff.</summary>
    Transient,
}
