using System.Collections.Concurrent;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>Every pass of the test reconciler, across operator instances (for ordering and overlap assertions).</summary>
public sealed class ReconcileLog
{
    private readonly ConcurrentQueue<Pass> _passes = new();

    public void Add(Pass pass) => _passes.Enqueue(pass);

    public IReadOnlyList<Pass> All => [.. _passes];

    public IReadOnlyList<Pass> For(string name) => _passes.Where(p => p.Key.Name == name).ToList();

    /// <param name="Managers">The managers (and operations) of the managedFields the reconciler was handed, e.g. <c>alice/Apply</c>.</param>
    public sealed record Pass(string Instance, ObjectKey Key, ReconcileTrigger Trigger, long Started, long Ended, ReconcileOutcome? Outcome, string? Managers = null);
}
