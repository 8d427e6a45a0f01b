using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed AWS account of a client.</summary>
public sealed class ClientAccountStatus : ResourceStatus
{
    /// <summary>The AWS account id.</summary>
    [Pattern(Patterns.AccountId)]
    public string? AccountId { get; set; }

    /// <summary>The account's ARN.</summary>
    [MaxLength(256)]
    public string? AccountArn { get; set; }

    /// <summary>Where the account is in its life: Pending, Queued, Creating, Active, Suspended, Closing, Closed, Failed or Transferred.</summary>
    public AccountState? State { get; set; }

    /// <summary>The CreateAccount request id, kept from the moment AWS returns it so no restart ever creates a second account.</summary>
    [MaxLength(256)]
    public string? CreateAccountRequestId { get; set; }

    /// <summary>Crash-safety marker: written (and persisted) just before CreateAccount is sent, so a restart that finds it
    /// without a createAccountRequestId looks for the request in AWS instead of creating a second account.</summary>
    public DateTime? CreateAccountStartedAt { get; set; }

    /// <summary>The keys of spec.tags last applied to the account, so a key removed from spec.tags is removed from the
    /// account too (tags other tools set are left alone).</summary>
    [MaxItems(40)]
    [ItemMaxLength(128)]
    public IList<string>? ManagedTagKeys { get; set; }

    /// <summary>The id of the organizational unit the account sits in (e.g. <c>ou-ab12-cdef3456</c>).</summary>
    [MaxLength(128)]
    public string? OrganizationalUnitId { get; set; }

    /// <summary>The id of the region guardrail service control policy attached to the account.</summary>
    [MaxLength(128)]
    public string? GuardrailPolicyId { get; set; }

    /// <summary>While Queued: 1 is next to get an account-creation slot.</summary>
    [Minimum(1)]
    public int? QueuePosition { get; set; }

    /// <summary>True when the account was taken over through adoptAccountId rather than created.</summary>
    public bool? Adopted { get; set; }

    /// <summary>When a Retain deletion released the account (set just before the finalizer is removed).</summary>
    public DateTime? ReleasedAt { get; set; }

    /// <summary>When an AccountTransfer handed the account to the client (state Transferred; the finalizer was removed without touching AWS).</summary>
    public DateTime? TransferredAt { get; set; }

    /// <summary>The AccountTransfer that handed the account over.</summary>
    [MaxLength(253)]
    public string? TransferredBy { get; set; }
}
