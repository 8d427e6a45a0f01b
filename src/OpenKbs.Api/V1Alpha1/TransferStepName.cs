namespace OpenKbs.Api.V1Alpha1;

/// <summary>The steps of an account transfer, in order.</summary>
public enum TransferStepName
{
    /// <summary>StartPrimaryEmailUpdate: AWS sends a verification code to newRootEmail.</summary>
    StartEmailUpdate,

    /// <summary>AcceptPrimaryEmailUpdate with the code from confirmations.verificationCodeSecretRef.</summary>
    VerifyEmail,

    /// <summary>The client's confirmation that the account can stand alone.</summary>
    StandaloneReadiness,

    /// <summary>The removal approval.</summary>
    Approval,

    /// <summary>RemoveAccountFromOrganization.</summary>
    RemoveFromOrganization,
}
