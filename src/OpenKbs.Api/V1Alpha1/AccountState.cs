namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where a ClientAccount's AWS account is in its life.</summary>
public enum AccountState
{
    /// <summary>Nothing has happened yet.</summary>
    Pending,

    /// <summary>Waiting for one of the organization's 5 account-creation slots; see queuePosition.</summary>
    Queued,

    /// <summary>CreateAccount is in flight; see createAccountRequestId.</summary>
    Creating,

    /// <summary>The account exists and is ACTIVE.</summary>
    Active,

    /// <summary>AWS reports the account SUSPENDED.</summary>
    Suspended,

    /// <summary>CloseAccount was requested (deletionPolicy Close).</summary>
    Closing,

    /// <summary>The account is closed.</summary>
    Closed,

    /// <summary>Creation or adoption failed terminally; see the Ready condition.</summary>
    Failed,

    /// <summary>An AccountTransfer handed the account to the client: the operator no longer manages it and never calls AWS for it again.</summary>
    Transferred,
}
