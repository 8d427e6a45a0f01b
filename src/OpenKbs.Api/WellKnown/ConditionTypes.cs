namespace OpenKbs.Api;

/// <summary>
/// The condition types of the four kinds (metav1.Condition semantics: type, status True/False/Unknown, reason,
/// message, lastTransitionTime, observedGeneration). Every kind has <see cref="Ready"/>.
/// </summary>
public static class ConditionTypes
{
    /// <summary>Every kind: the object is fully converged (or, for AuditRun and AccountTransfer, finished successfully).
    /// A terminal problem shows as Ready=False with a reason starting with <c>Terminal</c>.</summary>
    public const string Ready = "Ready";

    /// <summary>Optional, every kind: the last reconcile applied the current spec without error (Crossplane's Synced).</summary>
    public const string Synced = "Synced";

    /// <summary>ClientAccount: the AWS account exists (created or adopted) and is ACTIVE.</summary>
    public const string AccountCreated = "AccountCreated";

    /// <summary>ClientAccount: the account sits in the organizational unit the spec names.</summary>
    public const string Placed = "Placed";

    /// <summary>ClientAccount: the region guardrail (service control policy) is attached and the account is tagged.</summary>
    public const string GuardrailsApplied = "GuardrailsApplied";

    /// <summary>ClientAccount: a NIS2 Art. 23 incident of the namespace is open (True; the message names the earliest deadline),
    /// or none is (False). Not part of Ready: the operator has already put the change back; the clock is the client's.</summary>
    public const string IncidentOpen = "IncidentOpen";

    /// <summary>ClientAccount: a 900-second AssumeRole session into the access role works.</summary>
    public const string AccessVerified = "AccessVerified";

    /// <summary>Project, AuditRun: the deployment artifact's SHA-256 matches the spec.</summary>
    public const string ArtifactVerified = "ArtifactVerified";

    /// <summary>Project: the bucket exists with versioning, encryption, public access block, TLS-only policy and lifecycle rule.</summary>
    public const string StorageReady = "StorageReady";

    /// <summary>Project: the Aurora cluster and its instance are available as specified (True with reason Disabled when not enabled).</summary>
    public const string DatabaseReady = "DatabaseReady";

    /// <summary>Project: every function runs the spec's code and configuration and is Active.</summary>
    public const string FunctionsReady = "FunctionsReady";

    /// <summary>Project: the CloudFront distribution is deployed as specified (True with reason Disabled when not enabled).</summary>
    public const string CdnReady = "CdnReady";

    /// <summary>Project: every schedule exists as specified.</summary>
    public const string SchedulesReady = "SchedulesReady";

    /// <summary>Project: the artifact of the spec's version may be deployed under <c>spec.audit</c>: a Passed AuditRun exists for
    /// exactly that version and SHA-256, or the version already runs (True with reason Disabled when no audit is required).</summary>
    public const string Audited = "Audited";

    /// <summary>Project: the API keys of the deployed version are in place and old keys are revoked.</summary>
    public const string KeysRotated = "KeysRotated";

    /// <summary>AccountTransfer: the account's primary (root) email is the new one.</summary>
    public const string RootEmailUpdated = "RootEmailUpdated";

    /// <summary>AccountTransfer: the client confirmed the account can stand alone.</summary>
    public const string StandaloneReady = "StandaloneReady";

    /// <summary>AccountTransfer: the account has left the organization.</summary>
    public const string RemovedFromOrganization = "RemovedFromOrganization";

    /// <summary>AccountTransfer: the client deleted the access role; a 900 s AssumeRole into it is refused.</summary>
    public const string AccessRevoked = "AccessRevoked";
}
