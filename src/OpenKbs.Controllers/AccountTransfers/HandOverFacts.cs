using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers.Inventory;

namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>What the hand-over report states: who, which account, the inventories before and after, the steps and the client's next steps.</summary>
internal sealed record HandOverFacts
{
    public required string Namespace { get; init; }

    public required string AccountTransfer { get; init; }

    public required string ClientAccount { get; init; }

    public required string AccountId { get; init; }

    public required string NewRootEmail { get; init; }

    public required string Region { get; init; }

    public DateTimeOffset? RemovedAt { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    public required AccountInventory Before { get; init; }

    public required AccountInventory After { get; init; }

    public required IReadOnlyList<TransferStep> Steps { get; init; }

    public required IReadOnlyList<string> NextSteps { get; init; }
}
