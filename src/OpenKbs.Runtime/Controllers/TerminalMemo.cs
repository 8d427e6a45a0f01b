using System.Collections.Concurrent;
using OpenKbs.Runtime.Cache;

namespace OpenKbs.Runtime.Controllers;

/// <summary>
/// Remembers objects whose last pass was terminal, with the generation and reconcile-requested-at token it saw. Such an
/// object is not reconciled again until its spec or token changes, it is being deleted, a related object changes, or
/// its slow re-check fires. Everything else (our own status writes, label edits, relists, resyncs) is skipped.
/// </summary>
internal sealed class TerminalMemo
{
    private const ReconcileTrigger WakesTerminal =
        ReconcileTrigger.TerminalRecheck | ReconcileTrigger.Related | ReconcileTrigger.Deleting | ReconcileTrigger.Startup;

    private readonly ConcurrentDictionary<ObjectKey, Mark> _marks = new();

    public int Count => _marks.Count;

    public void Remember(ObjectKey key, ObjectSummary seen) => _marks[key] = new Mark(seen.Uid, seen.Generation, seen.ReconcileRequestedAt);

    public void Clear(ObjectKey key) => _marks.TryRemove(key, out _);

    public bool IsTerminal(ObjectKey key) => _marks.ContainsKey(key);

    /// <summary>True when this pass should be skipped because nothing a human controls has changed since the terminal result.</summary>
    public bool ShouldSkip(ObjectKey key, ObjectSummary current, ReconcileTrigger trigger)
    {
        if (!_marks.TryGetValue(key, out var mark))
        {
            return false;
        }

        if ((trigger & WakesTerminal) != 0 || current.IsDeleting)
        {
            return false;
        }

        return string.Equals(mark.Uid, current.Uid, StringComparison.Ordinal)
            && mark.Generation == current.Generation
            && string.Equals(mark.Token, current.ReconcileRequestedAt, StringComparison.Ordinal);
    }

    private sealed record Mark(string Uid, long Generation, string? Token);
}
