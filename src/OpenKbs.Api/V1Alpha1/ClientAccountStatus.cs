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

    /// <summary>Where the account is in its life: Pending, Queued, Creating, Active, Suspended, Closing, Closed or Failed.</summary>
    public AccountState? State { get; set; }

    /// <summary>The CreateAccount request id, kept from the moment AWS returns it so no restart ever creates a second account.</summary>
    [MaxLength(256)]
    public string? CreateAccountRequestId { get; set; }

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
}
