namespace OpenKbs.Aws.Audit;

/// <summary>The security-relevant changes that open a NIS2 Art. 23 incident (the <c>cause</c> of an <see cref="Incident"/>).</summary>
public static class IncidentCauses
{
    /// <summary>The region guard SCP was found detached from the client account (a drift pass; the operator re-attached it).</summary>
    public const string GuardrailDetached = "GuardrailDetached";

    /// <summary>A project bucket's public access block was found removed or weakened (a drift pass; the operator put it back).</summary>
    public const string BucketMadePublic = "BucketMadePublic";

    /// <summary>The deployed artifact's latest completed AuditRun reports unsuppressed critical findings (the Project controller, woken by the AuditRun).</summary>
    public const string CriticalFinding = "CriticalFindingDeployed";

    /// <summary>The audit trail's hash chain failed verification (the operator's background verifier, <c>AuditStore:VerifyInterval</c>).</summary>
    public const string AuditChainBroken = "AuditChainBroken";
}

/// <summary>The lifecycle of an incident record: opened by the operator, acknowledged and closed by a person (<c>openkbs incident</c>).</summary>
public static class IncidentStates
{
    public const string Open = "Open";

    public const string Acknowledged = "Acknowledged";

    public const string Closed = "Closed";

    /// <summary>
    /// Not a state but a change the operator records (<see cref="IIncidentRecorder.CauseClearedAsync"/>): the cause is gone (the guard
    /// re-attached, the public access block put back, a clean audit of the deployed version). The incident stays open until a person
    /// closes it: NIS2 Art. 23 reporting goes on after the cause clears.
    /// </summary>
    public const string CauseCleared = "CauseCleared";
}

/// <summary>What a pass saw cleared: the open incidents of <see cref="Cause"/> on <see cref="Subject"/> in <see cref="Namespace"/>.</summary>
public sealed record IncidentClearance
{
    public required string Namespace { get; init; }

    public required string Cause { get; init; }

    public required string Subject { get; init; }

    /// <summary>What cleared it (e.g. <c>region guard re-attached</c>), recorded as the change's note; identifiers only, no secret.</summary>
    public required string How { get; init; }

    /// <summary>Who saw it (controller and object), recorded as the change's actor.</summary>
    public required AwsActor Actor { get; init; }

    /// <summary>The clearance of what <paramref name="report"/> saw (its namespace, cause, subject and actor), cleared as <paramref name="how"/> says.</summary>
    public static IncidentClearance Of(IncidentReport report, string how)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new IncidentClearance { Namespace = report.Namespace, Cause = report.Cause, Subject = report.Subject, How = how, Actor = report.Actor };
    }
}

/// <summary>
/// What an incident is about, shared by the detector's <see cref="IncidentReport"/> and the stored <see cref="Incident"/>: the
/// cause, in which namespace, on what (<see cref="Subject"/>: the one thing the cause is about, e.g. <c>ClientAccount/acme</c> or
/// a bucket name; one open incident per namespace, cause and subject), and a human summary. No secret: <see cref="Details"/> holds
/// only identifiers (account id, policy id, bucket, region).
/// </summary>
public abstract record IncidentFacts
{
    public required string Namespace { get; init; }

    public required string Cause { get; init; }

    public required string Subject { get; init; }

    /// <summary>The AWS resource (ARN or id) the change was seen on.</summary>
    public string? Resource { get; init; }

    public required string Summary { get; init; }

    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public required DateTimeOffset DetectedAt { get; init; }
}

/// <summary>What a detector saw (<see cref="IncidentFacts"/>), and who saw it.</summary>
public sealed record IncidentReport : IncidentFacts
{
    /// <summary>Who saw it (controller and object), recorded as <c>opened_by</c>.</summary>
    public required AwsActor Actor { get; init; }

    /// <summary>
    /// For a condition that stays until a person acts (a critical finding in the deployed artifact): what identifies this
    /// occurrence (e.g. the AuditRun and digest), kept in the details as <c>occurrence</c>. An incident of the same cause, subject
    /// and occurrence that a person closed is not opened again for it; a new occurrence opens a new one. Null: a change the
    /// operator puts back, opened again whenever it is seen after the last one was closed.
    /// </summary>
    public string? Occurrence { get; init; }
}

/// <summary>
/// One incident record with its NIS2 Art. 23(4) clock: the early warning within 24 h of becoming aware, the incident notification
/// within 72 h, the final report one month after detection (conservative: the Directive counts the month from the notification,
/// which is at most 72 h later).
/// </summary>
public sealed record Incident : IncidentFacts
{
    public static readonly TimeSpan EarlyWarningWithin = TimeSpan.FromHours(24);

    public static readonly TimeSpan NotificationWithin = TimeSpan.FromHours(72);

    public required long Id { get; init; }

    public DateTimeOffset EarlyWarningDue => DetectedAt + EarlyWarningWithin;

    public DateTimeOffset NotificationDue => DetectedAt + NotificationWithin;

    public DateTimeOffset ReportDue => DetectedAt.AddMonths(1);

    /// <summary><c>namespace/kind/name</c> of the object whose pass saw it.</summary>
    public required string OpenedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? ClosedBy { get; init; }

    public string? ClosingNote { get; init; }

    /// <summary>When the operator saw the cause gone (<see cref="IncidentStates.CauseCleared"/>); null while it has not.</summary>
    public DateTimeOffset? CauseClearedAt { get; init; }

    /// <summary><c>namespace/kind/name</c> of the object whose pass saw the cause gone.</summary>
    public string? CauseClearedBy { get; init; }

    /// <summary>What cleared it (<see cref="IncidentClearance.How"/>).</summary>
    public string? CauseClearedHow { get; init; }

    public string State => ClosedAt is not null ? IncidentStates.Closed : AcknowledgedAt is not null ? IncidentStates.Acknowledged : IncidentStates.Open;

    /// <summary>Not closed yet.</summary>
    public bool IsOpen => ClosedAt is null;

    /// <summary>The next Art. 23 deadline not yet past at <paramref name="now"/> (null when all three are past).</summary>
    public (string Name, DateTimeOffset Due)? NextDeadline(DateTimeOffset now) =>
        Deadlines.Where(d => d.Due > now).Select(d => ((string, DateTimeOffset)?)d).FirstOrDefault();

    /// <summary>The three deadlines in order.</summary>
    public IReadOnlyList<(string Name, DateTimeOffset Due)> Deadlines =>
        [("early warning", EarlyWarningDue), ("notification", NotificationDue), ("final report", ReportDue)];
}

/// <summary>
/// The answer of <see cref="IIncidentRecorder.OpenAsync"/>: the incident, and whether this call opened it (false: one was already
/// open, or a person closed the one of the same <see cref="IncidentReport.Occurrence"/>: then <see cref="Incident.IsOpen"/> is false).
/// </summary>
public sealed record IncidentOpening(Incident Incident, bool Opened);

/// <summary>
/// Records NIS2 Art. 23 incidents in the durable store (<c>OpenKbs.AuditTrail</c>) and notifies the configured webhook. The
/// controllers call it when a pass sees a security-relevant change. Idempotent: while an incident of the same namespace, cause
/// and subject is open (and its cause not seen cleared), <see cref="OpenAsync"/> returns it and opens nothing. Throws
/// <see cref="AuditTrailUnavailableException"/> when the store cannot be reached (the caller raises its Warning event anyway).
/// </summary>
public interface IIncidentRecorder
{
    Task<IncidentOpening> OpenAsync(IncidentReport report, CancellationToken cancellationToken);

    /// <summary>The namespace's incidents not closed yet, oldest first.</summary>
    Task<IReadOnlyList<Incident>> OpenIncidentsAsync(string @namespace, CancellationToken cancellationToken);

    /// <summary>
    /// Records on each open incident of the clearance's namespace, cause and subject whose cause was not seen cleared yet that it is
    /// now (<see cref="IncidentStates.CauseCleared"/>, once per incident; the incident stays open for a person to close). Returns the
    /// incidents marked now (none: nothing open, or already marked). The same cause seen again afterwards opens a new incident.
    /// </summary>
    Task<IReadOnlyList<Incident>> CauseClearedAsync(IncidentClearance clearance, CancellationToken cancellationToken);
}
