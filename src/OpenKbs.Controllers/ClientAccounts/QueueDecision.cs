namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Where one ClientAccount stands in the creation queue: its 1-based position among everything waiting for a slot
/// (first come, first served) and the free slots. It may create when its position is within the free slots.
/// </summary>
internal readonly record struct QueueDecision(int Position, int FreeSlots, int Waiting)
{
    public bool MayCreate => Position <= FreeSlots;

    /// <summary>status.queuePosition: 1 is next to get a slot.</summary>
    public int QueuePosition => Math.Max(1, Position - Math.Max(0, FreeSlots));
}
