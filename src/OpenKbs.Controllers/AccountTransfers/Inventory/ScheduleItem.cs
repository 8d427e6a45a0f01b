namespace OpenKbs.Controllers.AccountTransfers.Inventory;

/// <summary>An EventBridge Scheduler schedule.</summary>
internal sealed record ScheduleItem(string Group, string Name, string? State);
