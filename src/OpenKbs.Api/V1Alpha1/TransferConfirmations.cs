using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>Confirmations of the human steps of an account transfer.</summary>
[CelRule(
    "!has(self.standaloneReady) || !self.standaloneReady || (has(self.passwordSet) && self.passwordSet)",
    StandaloneNeedsPassword,
    FieldPath = ".standaloneReady")]
[CelRule(
    "!has(self.removalApproved) || !self.removalApproved || (has(self.passwordSet) && self.passwordSet && has(self.standaloneReady) && self.standaloneReady)",
    ApprovalNeedsConfirmations,
    FieldPath = ".removalApproved")]
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

    /// <summary>The message when standaloneReady comes without passwordSet.</summary>
    public const string StandaloneNeedsPassword =
        "standaloneReady needs passwordSet: the client confirms that the account can stand alone signed in as the new root user, so the root password is set first";

    /// <summary>The message when removalApproved comes without both confirmations.</summary>
    public const string ApprovalNeedsConfirmations =
        "removalApproved needs passwordSet and standaloneReady: the removal from the organization is irreversible, approve it only once the client has set the root password and confirmed that the account can stand alone";
}
