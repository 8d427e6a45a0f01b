namespace OpenKbs.Api.V1Alpha1;

/// <summary>Confirmations of the human steps of an account transfer.</summary>
public sealed record TransferConfirmations
{
    /// <summary>A Secret in this namespace holding the verification code AWS emailed to newRootEmail. The operator reads it
    /// once per change of the Secret to accept the email change; the code never appears in status, events, logs or
    /// anywhere else, and is never sent twice.</summary>
    public SecretKeyReference? VerificationCodeSecretRef { get; init; }

    /// <summary>The client confirms it signed in as the root user with newRootEmail ("Forgot password") and set a new password.</summary>
    public bool PasswordSet { get; init; }

    /// <summary>The client confirms, signed in as the new root user, that the account can stand alone: payment
    /// method, contact information, phone verification, customer agreement and support plan are set.</summary>
    public bool StandaloneReady { get; init; }

    /// <summary>The final, irreversible approval to remove the account from the organization. Withdrawing it before the
    /// removal stops the transfer there; after the removal it changes nothing.</summary>
    public bool RemovalApproved { get; init; }
}
