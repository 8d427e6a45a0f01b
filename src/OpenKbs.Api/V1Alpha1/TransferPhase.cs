namespace OpenKbs.Api.V1Alpha1;

/// <summary>Where an AccountTransfer is.</summary>
public enum TransferPhase
{
    /// <summary>Not started (e.g. the ClientAccount is not Ready).</summary>
    Pending,

    /// <summary>The root email change was started; waiting for the verification code.</summary>
    VerifyingEmail,

    /// <summary>Waiting for the client to confirm the account can stand alone.</summary>
    AwaitingClient,

    /// <summary>Waiting for the removal approval.</summary>
    AwaitingApproval,

    /// <summary>The account is being removed from the organization.</summary>
    Removing,

    /// <summary>The account has left the organization.</summary>
    Completed,

    /// <summary>A step failed terminally; see the Ready condition and status.steps.</summary>
    Failed,
}
