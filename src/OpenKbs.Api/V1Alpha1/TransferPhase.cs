namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where an AccountTransfer is.</summary>
public enum TransferPhase
{
    /// <summary>Not started, or in preflight (e.g. the ClientAccount is not Ready, the Projects are being put on hold).</summary>
    Pending,

    /// <summary>The root email change was started; waiting for the verification code.</summary>
    VerifyingEmail,

    /// <summary>Waiting for the client to confirm the password and that the account can stand alone (or for what AWS still misses).</summary>
    AwaitingClient,

    /// <summary>Waiting for the removal approval.</summary>
    AwaitingApproval,

    /// <summary>The account is being removed from the organization.</summary>
    Removing,

    /// <summary>The account left the organization; waiting for the client to delete the access role.</summary>
    AwaitingAccessRevocation,

    /// <summary>The account is the client's: access revoked, ClientAccount and Projects released.</summary>
    Completed,

    /// <summary>A step failed terminally; see the Ready condition and status.steps.</summary>
    Failed,
}
