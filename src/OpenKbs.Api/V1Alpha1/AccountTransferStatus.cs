using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The progress of an account transfer.</summary>
public sealed class AccountTransferStatus : ResourceStatus
{
    /// <summary>Pending, VerifyingEmail, AwaitingClient, AwaitingApproval, Removing, Completed or Failed.</summary>
    public TransferPhase? Phase { get; set; }

    /// <summary>The AWS account id being transferred.</summary>
    [Pattern(Patterns.AccountId)]
    public string? AccountId { get; set; }

    /// <summary>One entry per step, in order.</summary>
    [MaxItems(8)]
    public IList<TransferStep>? Steps { get; set; }

    /// <summary>When the account left the organization.</summary>
    public DateTime? CompletedAt { get; set; }
}
