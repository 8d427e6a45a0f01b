namespace OpenKbs.Api.V1Alpha1;

/// <summary>Confirmations of the human steps of an account transfer.</summary>
public sealed record TransferConfirmations
{
    /// <summary>A Secret in this namespace holding the verification code AWS emailed to newRootEmail. The operator
    /// reads it once to accept the email change; it never appears in status, events or logs.</summary>
    public SecretKeyReference? VerificationCodeSecretRef { get; init; }

    /// <summary>The client confirms, signed in as the new root user, that the account can stand alone: payment
    /// method, contact information and support plan are set.</summary>
    public bool StandaloneReady { get; init; }

    /// <summary>The final, irreversible approval to remove the account from the organization.</summary>
    public bool RemovalApproved { get; init; }
}
