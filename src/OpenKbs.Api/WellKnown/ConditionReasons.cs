namespace OpenKbs.Api;

/// <summary>
/// Condition reasons (CamelCase, as metav1.Condition requires). Reasons starting with <see cref="TerminalPrefix"/>
/// mark problems retrying cannot fix: the spec (or something outside the operator) must change first.
/// </summary>
public static class ConditionReasons
{
    /// <summary>The prefix of every terminal reason.</summary>
    public const string TerminalPrefix = "Terminal";

    // Progress and success.

    /// <summary>The condition holds.</summary>
    public const string Available = "Available";

    /// <summary>Work is in progress; see the message.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>ClientAccount: waiting for a free account-creation slot (at most 5 in flight); see status.queuePosition.</summary>
    public const string Queued = "Queued";

    /// <summary>An AWS object is being created.</summary>
    public const string Creating = "Creating";

    /// <summary>An AWS object is being changed.</summary>
    public const string Updating = "Updating";

    /// <summary>Finalizer steps are running.</summary>
    public const string Deleting = "Deleting";

    /// <summary>Project: the referenced ClientAccount does not exist yet or is not Ready.</summary>
    public const string WaitingForAccount = "WaitingForAccount";

    /// <summary>AuditRun: the referenced Project does not exist yet.</summary>
    public const string WaitingForProject = "WaitingForProject";

    /// <summary>AWS is still working (e.g. Lambda LastUpdateStatus InProgress, a distribution deploying).</summary>
    public const string WaitingForAws = "WaitingForAws";

    /// <summary>AccountTransfer: a human step of the client is pending.</summary>
    public const string WaitingForClient = "WaitingForClient";

    /// <summary>AccountTransfer: waiting for spec.confirmations.removalApproved.</summary>
    public const string WaitingForApproval = "WaitingForApproval";

    /// <summary>The object carries the <c>openkbs.com/paused</c> annotation; nothing is reconciled.</summary>
    public const string Paused = "Paused";

    /// <summary>The component is not enabled in the spec (the condition is True: nothing to do).</summary>
    public const string Disabled = "Disabled";

    /// <summary>ClientAccount: an existing account was taken over through spec.adoptAccountId.</summary>
    public const string Adopted = "Adopted";

    /// <summary>Retain deletion: the AWS resources were left in place and tagged <c>openkbs.com/released</c>.</summary>
    public const string Released = "Released";

    /// <summary>ClientAccount: CloseAccount was requested and AWS is closing the account.</summary>
    public const string Closing = "Closing";

    /// <summary>Project: spec.audit.required and no Passed AuditRun exists yet for the artifact to deploy; the running version keeps serving.</summary>
    public const string WaitingForAudit = "WaitingForAudit";

    /// <summary>AuditRun: no finding reached the failOn severity.</summary>
    public const string AuditPassed = "AuditPassed";

    /// <summary>AccountTransfer: the account left the organization; ClientAccount and Project: handed to the client.</summary>
    public const string Transferred = "Transferred";

    /// <summary>ClientAccount and Project: an AccountTransfer holds the account (no deployments, no AWS writes, deletion releases without touching AWS).</summary>
    public const string OnTransferHold = "OnTransferHold";

    /// <summary>A transient error (throttling, 5xx, timeout); retried with backoff.</summary>
    public const string TransientError = "TransientError";

    // Terminal: no retry until the spec changes (plus a slow re-check).

    /// <summary>The spec has a problem the schema could not catch; see the message.</summary>
    public const string TerminalInvalidSpec = "TerminalInvalidSpec";

    /// <summary>ClientAccount: AWS reports EMAIL_ALREADY_EXISTS for an account this resource does not own.</summary>
    public const string TerminalEmailAlreadyExists = "TerminalEmailAlreadyExists";

    /// <summary>ClientAccount: AWS reports INVALID_EMAIL.</summary>
    public const string TerminalInvalidEmail = "TerminalInvalidEmail";

    /// <summary>ClientAccount: the organization's account limit is reached (ACCOUNT_LIMIT_EXCEEDED).</summary>
    public const string TerminalAccountLimitExceeded = "TerminalAccountLimitExceeded";

    /// <summary>CreateAccount failed for another reason AWS gave; see the message.</summary>
    public const string TerminalCreateAccountFailed = "TerminalCreateAccountFailed";

    /// <summary>The email or account is owned by another ClientAccount (in any namespace).</summary>
    public const string TerminalOwnershipConflict = "TerminalOwnershipConflict";

    /// <summary>ClientAccount: spec.adoptAccountId is not an account of the organization.</summary>
    public const string TerminalNotInOrganization = "TerminalNotInOrganization";

    /// <summary>The AssumeRole into the access role is denied and retrying will not help.</summary>
    public const string TerminalAccessDenied = "TerminalAccessDenied";

    /// <summary>Project, AuditRun: the artifact's SHA-256 differs from spec.source.sha256; nothing was deployed.</summary>
    public const string TerminalArtifactMismatch = "TerminalArtifactMismatch";

    /// <summary>Project, AuditRun: the artifact named in spec.source does not exist.</summary>
    public const string TerminalArtifactNotFound = "TerminalArtifactNotFound";

    /// <summary>A region outside the allowed EU regions was involved; nothing was called there.</summary>
    public const string TerminalRegionNotAllowed = "TerminalRegionNotAllowed";

    /// <summary>AWS rejected a request as invalid (a terminal AWS error code); see the message.</summary>
    public const string TerminalAwsError = "TerminalAwsError";

    /// <summary>AuditRun: findings at or above spec.failOn were found.</summary>
    public const string TerminalFindingsAboveThreshold = "TerminalFindingsAboveThreshold";

    /// <summary>Project: spec.audit.required and the AuditRun of the artifact to deploy Failed (or could not audit it); nothing new is deployed.</summary>
    public const string TerminalAuditFailed = "TerminalAuditFailed";

    /// <summary>True when <paramref name="reason"/> marks a terminal problem.</summary>
    public static bool IsTerminal(string? reason) =>
        reason is not null && reason.StartsWith(TerminalPrefix, StringComparison.Ordinal);
}
