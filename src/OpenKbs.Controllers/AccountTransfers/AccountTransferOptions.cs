namespace OpenKbs.Controllers.AccountTransfers;

/// <summary>Settings of the AccountTransfer controller (configuration section <c>AccountTransfer</c>, e.g. <c>OPENKBS_AccountTransfer__WaitForClient=00:00:05</c>).</summary>
public sealed class AccountTransferOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "AccountTransfer";

    /// <summary>Re-check of a step that waits for the client or the approver (a spec or Secret change wakes the transfer at once anyway).</summary>
    public TimeSpan WaitForClient { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Re-check while the ClientAccount and Projects acknowledge the hold or the release (their status writes wake the transfer too).</summary>
    public TimeSpan WaitForHolds { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The slow timer after AWS refused the removal (the client must still do something in the console).</summary>
    public TimeSpan WaitBeforeLeaveRetry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The slow timer of the access check (one fresh 900 s AssumeRole each time) until the client deleted the role.</summary>
    public TimeSpan AccessCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the access check runs before the step fails and the transfer stays open (a reconcile request restarts it).</summary>
    public TimeSpan AccessCheckPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a verification code is taken to be valid; AWS does not document it. A refused code older than this is
    /// treated as expired: a new one is sent.</summary>
    public TimeSpan CodeValidity { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Workers of this controller (transfers are rare and slow).</summary>
    public int? MaxConcurrentReconciles { get; set; } = 2;

    /// <summary>What is wrong with these settings (empty when nothing is).</summary>
    public IEnumerable<string> Failures() => Shared.OptionsRules.Check(
        SectionName,
        [(nameof(WaitForClient), WaitForClient), (nameof(WaitForHolds), WaitForHolds), (nameof(WaitBeforeLeaveRetry), WaitBeforeLeaveRetry),
         (nameof(AccessCheckInterval), AccessCheckInterval), (nameof(AccessCheckPeriod), AccessCheckPeriod), (nameof(CodeValidity), CodeValidity)],
        [(nameof(MaxConcurrentReconciles), MaxConcurrentReconciles)]);
}
