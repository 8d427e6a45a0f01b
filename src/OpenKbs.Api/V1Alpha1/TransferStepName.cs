namespace OpenKbs.Api.V1Alpha1;

/// <summary>The steps of an account transfer, in order.</summary>
public enum TransferStepName
{
    /// <summary>The ClientAccount is Ready and free; its Projects are put on hold (no deployments, no AWS writes, deletion
    /// policy Retain); the inventory of the account is taken.</summary>
    Preflight,

    /// <summary>StartPrimaryEmailUpdate: AWS sends a verification code to newRootEmail.</summary>
    StartEmailUpdate,

    /// <summary>AcceptPrimaryEmailUpdate with the code from confirmations.verificationCodeSecretRef.</summary>
    VerifyEmail,

    /// <summary>The client's confirmations: the root password is set and the account can stand alone.</summary>
    StandaloneReadiness,

    /// <summary>The removal approval.</summary>
    Approval,

    /// <summary>RemoveAccountFromOrganization (AWS refuses until the account can stand alone).</summary>
    RemoveFromOrganization,

    /// <summary>The hand-over report (inventory before and after, steps, next steps) written to the project bucket.</summary>
    HandOverReport,

    /// <summary>The client deleted the access role: a 900 s AssumeRole into it is refused.</summary>
    AccessRevoked,

    /// <summary>The ClientAccount and its Projects are released: finalizers removed without touching AWS, never reconciled again.</summary>
    Release,
}
