using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The progress of an account transfer.</summary>
public sealed class AccountTransferStatus : ResourceStatus
{
    /// <summary>Pending, VerifyingEmail, AwaitingClient, AwaitingApproval, Removing, AwaitingAccessRevocation, Completed or Failed.</summary>
    public TransferPhase? Phase { get; set; }

    /// <summary>The AWS account id being transferred (recorded at preflight; from then on the account and its Projects are held).</summary>
    [Pattern(Patterns.AccountId)]
    public string? AccountId { get; set; }

    /// <summary>The role the operator reaches the account through (the ClientAccount's accessRoleName, recorded at preflight).</summary>
    [MaxLength(64)]
    public string? AccessRoleName { get; set; }

    /// <summary>The account's home region (recorded at preflight).</summary>
    [MaxLength(32)]
    public string? Region { get; set; }

    /// <summary>The Projects of the account put on hold at preflight (no deployments, no AWS writes, deletion policy Retain).</summary>
    [MaxItems(100)]
    [ItemMaxLength(253)]
    public IList<string>? HeldProjects { get; set; }

    /// <summary>One entry per step, in order.</summary>
    [MaxItems(10)]
    public IList<TransferStep>? Steps { get; set; }

    /// <summary>When StartPrimaryEmailUpdate last sent a verification code to newRootEmail.</summary>
    public DateTime? CodeSentAt { get; set; }

    /// <summary>The address the last code was sent to (a changed newRootEmail sends a new code).</summary>
    [MaxLength(64)]
    public string? CodeSentTo { get; set; }

    /// <summary>The version (uid/resourceVersion) of the Secret whose code was last sent to AWS: the same code is never sent twice.
    /// Never the code itself.</summary>
    [MaxLength(128)]
    public string? CodeSecretVersion { get; set; }

    /// <summary>Crash-safety marker: written just before RemoveAccountFromOrganization is sent.</summary>
    public DateTime? RemovalRequestedAt { get; set; }

    /// <summary>When the account left the organization. From then on the transfer cannot be cancelled.</summary>
    public DateTime? RemovedAt { get; set; }

    /// <summary>The generation of the spec at the removal; later spec changes change nothing.</summary>
    public long? RemovedAtGeneration { get; set; }

    /// <summary>When the access check began (it runs on a slow timer for a bounded period).</summary>
    public DateTime? AccessCheckStartedAt { get; set; }

    /// <summary>When a 900 s AssumeRole into the access role was first refused.</summary>
    public DateTime? AccessRevokedAt { get; set; }

    /// <summary>The hand-over report.</summary>
    public TransferReportStatus? Report { get; set; }

    /// <summary>When the transfer completed (the ClientAccount and its Projects released).</summary>
    public DateTime? CompletedAt { get; set; }
}
