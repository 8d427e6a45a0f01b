using System.Globalization;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Operator.Nis2;

/// <summary>How far the operator's own evidence covers a measure.</summary>
internal enum Nis2Verdict
{
    /// <summary>The operator's part of the measure is in place for every resource, and the evidence is listed.</summary>
    Evidenced,

    /// <summary>In place for some resources or some aspects only; the reason names what is missing.</summary>
    Partly,

    /// <summary>The operator holds no evidence for it (or the evidence shows it is not in place).</summary>
    NotCovered,
}

/// <summary>One NIS2 Art. 21(2) measure: the verdict, why, the evidence lines, and what stays with the client.</summary>
internal sealed record Nis2Measure(char Letter, string Title, Nis2Verdict Verdict, string Reason, IReadOnlyList<string> Evidence, string OutsideOperator);

/// <summary>
/// NIS2 Art. 21(2)(a)-(j) answered from <see cref="Nis2Evidence"/> (pure, table-tested). Each measure is judged only on what the
/// operator records; what it cannot know (written policies, training, HR, MFA of people) is named and never claimed. Measures
/// (a), (b), (f), (g) and (i) are at best <see cref="Nis2Verdict.Partly"/> because part of them is by nature outside the operator;
/// (j) is never covered by it.
/// </summary>
internal static class Nis2Assessment
{
    /// <summary>Below this many days of backups the PITR window counts as only partly in place (the operator's default is 7).</summary>
    public const int MinimumBackupRetentionDays = 7;

    /// <summary>A latest restorable time older than this means PITR is not (or no longer observed) working.</summary>
    public static readonly TimeSpan RestorableLag = TimeSpan.FromHours(24);

    /// <summary>API keys older than this count as not rotated.</summary>
    public static readonly TimeSpan KeyRotation = TimeSpan.FromDays(90);

    public static IReadOnlyList<Nis2Measure> Assess(Nis2Evidence evidence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var managed = evidence.Projects.Where(p => p.Status?.TransferredAt is null).ToList();
        return
        [
            RiskPolicies(evidence),
            IncidentHandling(evidence.AuditTrail, now),
            Continuity(managed, evidence.Live, now),
            SupplyChain(managed, evidence.AuditRuns),
            Vulnerabilities(managed, evidence.AuditRuns),
            Effectiveness(evidence, managed),
            Hygiene(managed, evidence.Live),
            Cryptography(managed, evidence.Live),
            AccessAndAssets(evidence, managed, now),
            new Nis2Measure('j', "Multi-factor authentication, secured communications", Nis2Verdict.NotCovered,
                "the operator manages no human sign-in: it cannot show MFA or secured voice, video, text or emergency communications",
                [.. managed.Select(p => $"Project {p.Metadata.Name}: {p.Status?.ApiKeys?.Count ?? 0} API key(s), single-factor bearer tokens (stored only as SHA-256)")],
                "MFA on the AWS account's root user and on every person's sign-in, and secured communications, are the client's"),
        ];
    }

    private static Nis2Measure RiskPolicies(Nis2Evidence evidence)
    {
        const string Title = "Risk analysis and information system security policies";
        const string Outside = "the risk analysis itself and the written security policies are the client's";
        var accounts = evidence.Accounts.Where(a => a.Status?.State != AccountState.Transferred).ToList();
        if (accounts.Count == 0)
        {
            return new Nis2Measure('a', Title, Nis2Verdict.NotCovered, "no ClientAccount managed by the operator in this namespace", [], Outside);
        }

        var lines = new List<string>();
        var hard = new List<string>();
        var soft = new List<string>();
        foreach (var account in accounts)
        {
            var status = account.Status;
            var allowed = account.Spec.AllowedRegions;
            var outsideEu = allowed.Where(r => !EuRegions.All.Contains(r)).ToList();
            var guardrail = Condition(status, ConditionTypes.GuardrailsApplied);
            var name = account.Metadata.Name;
            lines.Add($"ClientAccount {name}: account {status?.AccountId ?? "(not created)"}, state {status?.State?.ToString() ?? "unknown"}, "
                + $"home region {account.Spec.Region}, allowed regions {string.Join(", ", allowed)}; region guardrail SCP {status?.GuardrailPolicyId ?? "(none)"}, "
                + $"{ConditionText(guardrail)}");
            if (guardrail?.Status != "True" || string.IsNullOrEmpty(status?.GuardrailPolicyId))
            {
                hard.Add($"{name}: guardrail not applied ({guardrail?.Reason ?? "no GuardrailsApplied condition"})");
            }

            var live = evidence.Live.Guardrail(name);
            var policy = status?.GuardrailPolicyId;
            var attached = live.Value is { } scps ? (policy is not null && scps.AttachedPolicyIds.Contains(policy) ? "attached" : "not attached") : null;
            Check(new Judged(lines, hard, soft), $"ClientAccount {name}: guardrail SCP {policy ?? "(none)"} in AWS Organizations", guardrail?.Status == "True" ? "attached" : "not attached",
                live.NotVerified, attached, v => v == "attached" ? null : $"{name}: the guardrail SCP is not attached to account {status?.AccountId} (AWS Organizations)", hardGap: true);
            if (live.Value is { } all)
            {
                lines.Add($"ClientAccount {name}: SCPs AWS Organizations reports attached to account {status?.AccountId}: {(all.AttachedPolicyIds.Count == 0 ? "none" : string.Join(", ", all.AttachedPolicyIds))}");
            }

            if (outsideEu.Count > 0)
            {
                hard.Add($"{name}: allowed regions outside the EU ({string.Join(", ", outsideEu)})");
            }
        }

        return hard.Count > 0
            ? new Nis2Measure('a', Title, Nis2Verdict.NotCovered, string.Join("; ", hard.Concat(soft)), lines, Outside)
            : new Nis2Measure('a', Title, Nis2Verdict.Partly, "every account is fenced into EU regions by an applied guardrail SCP; that is the technical policy only"
                + (soft.Count > 0 ? "; " + string.Join("; ", soft) : string.Empty), lines, Outside);
    }

    private static Nis2Measure IncidentHandling(AuditTrailEvidence trail, DateTimeOffset now)
    {
        const string Title = "Incident handling";
        const string Outside = "detecting every other incident, triaging, and reporting to the CSIRT or authority (Art. 23) are the client's; the operator opens "
            + "incident records only for the changes it sees in the client's AWS account (guardrail detached, bucket made public) and keeps their deadlines";
        if (!trail.Configured)
        {
            return new Nis2Measure('b', Title, Nis2Verdict.NotCovered, "no audit store given (--connection-string): the audit trail and the incident records were not checked", [], Outside);
        }

        if (trail.Error is not null)
        {
            return new Nis2Measure('b', Title, Nis2Verdict.NotCovered, $"the audit store could not be read: {trail.Error}", [], Outside);
        }

        var open = trail.Incidents.Where(i => i.IsOpen).ToList();
        var lines = new List<string>
        {
            $"audit-trail chain verification: {trail.Chain!.Message}",
            $"audit-trail head outside the database: {trail.Chain.Anchoring ?? ChainAnchoring.NotAnchored}",
            $"records of this namespace: {trail.Records} ({Time(trail.First)} to {Time(trail.Last)}); failed: {trail.Failures}; outcome unknown: {trail.Unknown}",
            $"retention: {(trail.RetentionDays is { } days ? days.ToString(CultureInfo.InvariantCulture) + " days" : "not set")}",
            $"incident records (Art. 23): {open.Count} open, {trail.Incidents.Count - open.Count} closed",
        };
        lines.AddRange(open.Select(i => IncidentLine(i, now)));
        var overdue = open.Where(i => i.AcknowledgedAt is null && i.EarlyWarningDue <= now).Select(i => i.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        var clock = open.Count == 0
            ? "the operator keeps the Art. 23 clock of the incidents it detects (none open)"
            : $"the operator keeps the Art. 23 clock of the incidents it detects ({open.Count} open"
                + (overdue.Count > 0 ? $"; early warning overdue and not acknowledged: {string.Join(", ", overdue)})" : ")");
        return trail.Chain.Intact
            ? new Nis2Measure('b', Title, Nis2Verdict.Partly, $"every AWS change the operator made is recorded in a verified, tamper-evident trail (who, what, when, from where, outcome); {Anchored(trail.Chain)}; {clock}", lines, Outside)
            : new Nis2Measure('b', Title, Nis2Verdict.NotCovered, $"the audit trail's chain is broken: {trail.Chain.Message}", lines, Outside);
    }

    /// <summary>Whether the trail's head is anchored outside the database, and what that leaves undetected when it is not.</summary>
    private static string Anchored(AuditChainReport chain) =>
        chain.Anchoring is { } anchoring && anchoring.StartsWith("anchored", StringComparison.Ordinal)
            ? "its head is anchored outside the database, so deleting the newest records is detected too"
            : "its head is NOT anchored outside the database (no AuditStore:AnchorBucket, or the checkpoints unreadable), so deleting the newest records would go unseen";

    /// <summary>One open incident with its three deadlines and how far each is at <paramref name="now"/>.</summary>
    internal static string IncidentLine(Incident incident, DateTimeOffset now) =>
        $"incident {incident.Id} {incident.State}: {incident.Cause} of {incident.Subject}, detected {Time(incident.DetectedAt)}; "
        + (incident.CauseClearedAt is { } cleared ? $"cause cleared at {Time(cleared)} ({incident.CauseClearedHow}), awaiting closure; " : string.Empty)
        + string.Join(", ", incident.Deadlines.Select(d => $"{d.Name} due {Time(d.Due)} ({Commands.IncidentCommand.Clock(d.Due, now, incident.IsOpen)})"));

    private static Nis2Measure Continuity(IReadOnlyList<Project> projects, Nis2Live live, DateTimeOffset now)
    {
        const string Title = "Business continuity: backups, disaster recovery, crisis management";
        const string Outside = "crisis management, restore drills and recovery objectives are the client's; the operator does not restore by itself";
        return PerProject('c', Title, Outside, projects, p =>
        {
            var j = new Judged([], [], []);
            var aws = live.Project(p.Metadata.Name);
            var storage = p.Status?.Storage;
            j.Lines.Add($"bucket {storage?.BucketName ?? "(none)"}: noncurrent versions kept "
                + $"{(p.Spec.Storage?.NoncurrentVersionRetentionDays is { } keep ? keep + " days" : "without expiry")}; deletion policy {p.Spec.DeletionPolicy}");
            Check(j, $"bucket {storage?.BucketName ?? "(none)"} versioning", storage?.Versioning ?? "not observed", aws.Bucket.NotVerified,
                aws.Bucket.Value is { } bucket ? bucket.Exists ? bucket.Versioning ?? "never enabled" : "no such bucket" : null,
                v => v == "Enabled" ? null : $"bucket versioning is {v}", hardGap: true);
            if (p.Spec.DeletionPolicy == ProjectDeletionPolicy.Delete)
            {
                j.Soft.Add("deletionPolicy Delete (the database is snapshotted first and a non-empty bucket is kept)");
            }

            if (p.Spec.Database is { Enabled: true } database)
            {
                var db = p.Status?.Database;
                var cluster = aws.Database ?? Live<LiveDatabase>.Unverified("not read");
                var found = cluster.Value is { Exists: true } c ? c : null;
                var gone = cluster.Value is { Exists: false } ? "no such cluster" : null;
                var label = $"database {db?.ClusterIdentifier ?? "(none)"}";
                Check(j, $"{label} backup retention", Days(db?.BackupRetentionDays), cluster.NotVerified, gone ?? Days(found?.BackupRetentionDays),
                    v => RetentionGap(v), hardGap: false);
                if ((cluster.NotVerified is null ? found?.BackupRetentionDays : db?.BackupRetentionDays) is null)
                {
                    j.Hard.Add(cluster.NotVerified is null ? "no backup retention in AWS" : "no backup retention observed");
                }

                var latest = cluster.NotVerified is null ? found?.LatestRestorableTime : db?.LatestRestorableTime is { } recorded ? new DateTimeOffset(recorded, TimeSpan.Zero) : null;
                var earliest = cluster.NotVerified is null ? found?.EarliestRestorableTime : db?.EarliestRestorableTime is { } first ? new DateTimeOffset(first, TimeSpan.Zero) : null;
                j.Lines.Add($"{label}: restorable from {Time(earliest)} to {Time(latest)} ({(cluster.NotVerified is null ? "read live from AWS" : "as last recorded in status; not verified live")})");
                if (latest is not { } l || now - l > RestorableLag)
                {
                    j.Soft.Add($"latest restorable time {Time(latest)} is not within {RestorableLag.TotalHours:0} h");
                }

                Check(j, $"{label} deletion protection", On(db?.DeletionProtection), cluster.NotVerified, gone ?? On(found?.DeletionProtection),
                    v => v == "on" || !database.DeletionProtection ? null : $"deletion protection is {v}", hardGap: false);
                var recordedStandby = db?.Standby is { } standby
                    ? StandbyText(standby.InstanceIdentifier, standby.AvailabilityZone, standby.Status, db.WriterInstance, db.WriterAvailabilityZone)
                    : $"none (spec.database.standbyReplica {(database.StandbyReplica ? "true" : "false")})";
                var liveStandby = found is null ? gone
                    : found.Reader is null ? $"none (spec.database.standbyReplica {(database.StandbyReplica ? "true" : "false")})"
                    : StandbyText(found.Reader, found.ReaderZone, found.ReaderStatus, found.Writer, found.WriterZone);
                Check(j, $"{label} standby", recordedStandby, cluster.NotVerified, liveStandby, _ => null, hardGap: false);
                var (reader, readerZone, readerStatus, writerZone) = cluster.NotVerified is null
                    ? (found?.Reader, found?.ReaderZone, found?.ReaderStatus, found?.WriterZone)
                    : (db?.Standby?.InstanceIdentifier, db?.Standby?.AvailabilityZone, db?.Standby?.Status, db?.WriterAvailabilityZone);
                if (reader is null || readerStatus != "available" || readerZone == writerZone)
                {
                    j.Soft.Add(reader is not null && readerZone == writerZone
                        ? $"the standby {reader} is in the writer's Availability Zone {writerZone}"
                        : "no available standby in another Availability Zone");
                }
            }
            else
            {
                j.Lines.Add("no database");
            }

            return (j.Lines, j.Hard, j.Soft);
        });

        static string? Days(int? days) => days is { } d ? d.ToString(CultureInfo.InvariantCulture) + " days" : null;

        static string? RetentionGap(string? value) =>
            value is null || !int.TryParse(value.Split(' ')[0], CultureInfo.InvariantCulture, out var days) ? null
            : days < MinimumBackupRetentionDays ? $"backups kept {days} days (< {MinimumBackupRetentionDays})"
            : null;

        static string StandbyText(string? instance, string? zone, string? status, string? writer, string? writerZone) =>
            $"{instance} in {zone} ({status}), writer {writer} in {writerZone}";
    }

    private static Nis2Measure SupplyChain(IReadOnlyList<Project> projects, IReadOnlyList<AuditRun> runs)
    {
        const string Title = "Supply chain security";
        const string Outside = "the choice and contracts of suppliers and the client's own build pipeline are the client's";
        return PerProject('d', Title, Outside, projects.Where(Deployed).ToList(), p =>
        {
            var verified = Condition(p.Status, ConditionTypes.ArtifactVerified);
            var audited = PassedFor(p, runs);
            var lines = new List<string>
            {
                $"deployed version {p.Status!.DeployedVersion}, artifact SHA-256 {p.Status.ArtifactSha256} ({ConditionText(verified)})",
                audited is null ? "no Passed AuditRun for this artifact" : $"AuditRun {audited.Metadata.Name} Passed for this artifact at {Time(audited.Status!.CompletedAt)}",
                $"spec.audit.required {(p.Spec.Audit?.Required == true ? "true: nothing unaudited is deployed" : "false")}",
            };
            var hard = new List<string>();
            var soft = new List<string>();
            if (verified?.Status != "True")
            {
                hard.Add("the artifact's SHA-256 is not verified");
            }

            if (audited is null)
            {
                soft.Add("the deployed artifact has no Passed audit");
            }

            return (lines, hard, soft);
        }, "nothing deployed: no artifact to show");
    }

    private static Nis2Measure Vulnerabilities(IReadOnlyList<Project> projects, IReadOnlyList<AuditRun> runs)
    {
        const string Title = "Security in acquisition, development and maintenance; vulnerability handling and disclosure";
        const string Outside = "secure development practice and coordinated vulnerability disclosure are the client's";
        return PerProject('e', Title, Outside, projects.Where(Deployed).ToList(), p =>
        {
            var latest = runs
                .Where(r => r.Spec.ProjectRef.Name == p.Metadata.Name && r.Status is { CompletedAt: not null } run && run.ArtifactSha256 == p.Status!.ArtifactSha256)
                .OrderByDescending(r => r.Status!.CompletedAt)
                .FirstOrDefault();
            var lines = new List<string>();
            var hard = new List<string>();
            var soft = new List<string>();
            if (latest is null)
            {
                lines.Add($"version {p.Status!.DeployedVersion}: no completed AuditRun for the deployed artifact");
                hard.Add("the deployed artifact was never audited");
                return (lines, hard, soft);
            }

            var f = latest.Status!.Findings ?? new FindingCounts();
            lines.Add($"version {p.Status!.DeployedVersion}: AuditRun {latest.Metadata.Name} {latest.Status.Phase} at {Time(latest.Status.CompletedAt)} "
                + $"(fails on {latest.Spec.FailOn}); open findings: {f.Critical} critical, {f.High} high, {f.Medium} medium, {f.Low} low");
            if (latest.Status.Phase != AuditPhase.Passed)
            {
                soft.Add($"latest audit {latest.Status.Phase}");
            }

            if (f.Critical + f.High > 0)
            {
                soft.Add($"{f.Critical} critical and {f.High} high findings open");
            }

            return (lines, hard, soft);
        }, "nothing deployed: no artifact to audit");
    }

    private static Nis2Measure Effectiveness(Nis2Evidence evidence, IReadOnlyList<Project> projects)
    {
        const string Title = "Assessing the effectiveness of the risk-management measures";
        const string Outside = "the assessment procedures, reviews and their conclusions are the client's";
        var completed = evidence.AuditRuns.Where(r => r.Status?.CompletedAt is not null).OrderBy(r => r.Status!.CompletedAt).ToList();
        var lines = new List<string>
        {
            $"AuditRuns: {evidence.AuditRuns.Count}, completed {completed.Count}"
                + (completed.Count > 0 ? $", last {completed[^1].Metadata.Name} {completed[^1].Status!.Phase} at {Time(completed[^1].Status!.CompletedAt)}" : string.Empty),
        };
        lines.AddRange(projects.Select(p =>
        {
            var ready = Condition(p.Status, ConditionTypes.Ready);
            var current = p.Status?.ObservedGeneration == p.Metadata.Generation ? "current" : $"generation {p.Status?.ObservedGeneration?.ToString(CultureInfo.InvariantCulture) ?? "none"} of {p.Metadata.Generation}";
            return $"Project {p.Metadata.Name}: drift-checked state {ConditionText(ready)}, status {current}, last requested reconcile handled {p.Status?.LastHandledReconcileAt ?? "never"}";
        }));
        if (evidence.AuditTrail.Chain is { } chain)
        {
            lines.Add($"audit trail verified at report time: {(chain.Intact ? "intact" : "broken")}");
        }

        return completed.Count > 0 || evidence.AuditTrail.Chain?.Intact == true
            ? new Nis2Measure('f', Title, Nis2Verdict.Partly, "the operator checks what it deploys (audits, drift checks, trail verification); judging effectiveness is not its part", lines, Outside)
            : new Nis2Measure('f', Title, Nis2Verdict.NotCovered, "no completed audit and no verified audit trail", lines, Outside);
    }

    private static Nis2Measure Hygiene(IReadOnlyList<Project> projects, Nis2Live live)
    {
        const string Title = "Basic cyber hygiene and cybersecurity training";
        const string Outside = "training of staff and the client's own hygiene practices are the client's";
        var measure = PerProject('g', Title, Outside, projects, p =>
        {
            var j = new Judged([], [], []);
            var aws = live.Project(p.Metadata.Name);
            var storage = p.Status?.Storage;
            Check(j, $"bucket {storage?.BucketName ?? "(none)"} public access blocked", Yes(storage?.PublicAccessBlocked), aws.Bucket.NotVerified,
                aws.Bucket.Value is { } bucket ? bucket.Exists ? Yes(bucket.PublicAccessBlocked) : "no such bucket" : null,
                v => v == "yes" ? null : "bucket public access is not blocked (or not observed)", hardGap: true);
            if (p.Spec.Cdn is { Enabled: true })
            {
                var cdn = aws.Cdn ?? Live<LiveCdn>.Unverified("not read");
                var label = $"CDN {p.Status?.Cdn?.DistributionId ?? "(none)"} for {string.Join(", ", p.Spec.Cdn.Aliases ?? [])}";
                Check(j, $"{label}: viewer protocol policy", null, cdn.NotVerified, cdn.Value is { } d ? d.Exists ? d.ViewerProtocolPolicy ?? "not set" : "no such distribution" : null,
                    v => v is "redirect-to-https" or "https-only" ? null : $"the CDN lets viewers use HTTP ({v})", hardGap: false);
                Check(j, $"{label}: price class", null, cdn.NotVerified, cdn.Value is { } e ? e.Exists ? e.PriceClass ?? "not set" : "no such distribution" : null,
                    v => v == EuropePriceClass ? null : $"the CDN's price class is {v}, not {EuropePriceClass} (edge locations beyond Europe and North America)", hardGap: false);
            }
            else
            {
                j.Lines.Add("no CDN");
            }

            return (j.Lines, j.Hard, j.Soft);
        });
        return measure.Verdict == Nis2Verdict.Evidenced
            ? measure with { Verdict = Nis2Verdict.Partly, Reason = "hygiene of the operator's resources is in place; training is not the operator's" }
            : measure;
    }

    private static Nis2Measure Cryptography(IReadOnlyList<Project> projects, Nis2Live live)
    {
        const string Title = "Cryptography and encryption";
        const string Outside = "the client's own key-management policy and encryption inside the application are the client's";
        return PerProject('h', Title, Outside, projects, p =>
        {
            var j = new Judged([], [], []);
            var aws = live.Project(p.Metadata.Name);
            var storage = p.Status?.Storage;
            var projectKey = storage?.KmsKeyArn;
            Check(j, $"bucket {storage?.BucketName ?? "(none)"} default encryption", EncryptionText(storage?.Encryption, storage?.KmsKeyArn, projectKey), aws.Bucket.NotVerified,
                aws.Bucket.Value is { } bucket ? bucket.Exists ? EncryptionText(bucket.Encryption, bucket.KmsKeyId, projectKey) : "no such bucket" : null,
                v => v == UnderProjectKey ? null : "bucket not encrypted with the project key", hardGap: true);
            Check(j, $"project key {projectKey ?? "(none)"} automatic rotation", null, aws.Key.NotVerified,
                aws.Key.Value is { } key ? key.Exists ? (key.RotationEnabled ? "on" + (key.RotationPeriodDays is { } days ? $", every {days} days" : string.Empty) : "off") + $"; key {key.State ?? "state unknown"}, created {Time(key.Created)}" : "no such key" : null,
                v => v?.StartsWith("on", StringComparison.Ordinal) == true ? null : "the project key is not rotated automatically", hardGap: false);
            if (p.Spec.Database is { Enabled: true })
            {
                var cluster = aws.Database ?? Live<LiveDatabase>.Unverified("not read");
                var ready = Condition(p.Status, ConditionTypes.DatabaseReady);
                Check(j, $"database {p.Status?.Database?.ClusterIdentifier ?? "(none)"} storage encryption", null, cluster.NotVerified,
                    cluster.Value is { } c ? c.Exists ? c.StorageEncrypted ? c.KmsKeyId is not null && SameKey(c.KmsKeyId, projectKey) ? UnderProjectKey : $"encrypted with key {c.KmsKeyId}, not the project key" : "not encrypted" : "no such cluster" : null,
                    v => v == UnderProjectKey ? null : $"database storage is {v}", hardGap: true);
                if (cluster.NotVerified is not null)
                {
                    j.Lines.Add($"database: {ConditionText(ready)} (Ready is only reported for an encrypted cluster)");
                    if (ready?.Status != "True")
                    {
                        j.Soft.Add("database not Ready, so its encryption is not confirmed");
                    }
                }
            }

            if (p.Spec.Cdn is { Enabled: true })
            {
                var cdn = aws.Cdn ?? Live<LiveCdn>.Unverified("not read");
                Check(j, $"CDN {p.Status?.Cdn?.DistributionId ?? "(none)"} minimum viewer TLS", null, cdn.NotVerified,
                    cdn.Value is { } d ? d.Exists ? d.MinimumProtocolVersion ?? "not set" : "no such distribution" : null,
                    v => v is not null && v.StartsWith("TLSv1.2_", StringComparison.Ordinal) && string.CompareOrdinal(v, MinimumTls) >= 0 ? null : $"the CDN accepts viewer TLS below {MinimumTls} ({v})",
                    hardGap: false);
            }

            var keys = p.Status?.ApiKeys ?? [];
            if (keys.Count > 0)
            {
                j.Lines.Add($"API keys kept as SHA-256 only: {string.Join(", ", keys.Select(k => $"{k.Name} ({(string.IsNullOrEmpty(k.Sha256) ? "no hash" : "hash")})"))}");
            }

            return (j.Lines, j.Hard, j.Soft);
        });

        static string EncryptionText(string? algorithm, string? key, string? projectKey) =>
            algorithm is null ? "none"
            : algorithm == "aws:kms" && key is not null && SameKey(key, projectKey) ? UnderProjectKey
            : algorithm == "aws:kms" ? $"aws:kms with key {key ?? "(AWS managed)"}, not the project key"
            : algorithm;
    }

    private static Nis2Measure AccessAndAssets(Nis2Evidence evidence, IReadOnlyList<Project> projects, DateTimeOffset now)
    {
        const string Title = "Human resources security, access control and asset management";
        const string Outside = "HR security (screening, joiners and leavers) and access of the client's own people are the client's";
        var measure = PerProject('i', Title, Outside, projects, p =>
        {
            var s = p.Status;
            var lines = new List<string>
            {
                $"assets: account {s?.AccountId ?? "?"} in {s?.Region ?? "?"}; bucket {s?.Storage?.BucketName ?? "-"}; database {s?.Database?.ClusterIdentifier ?? "-"}; "
                    + $"{s?.Functions?.Count ?? 0} function(s); CDN {s?.Cdn?.DistributionId ?? "-"}; {s?.Schedules?.Count ?? 0} schedule(s)",
            };
            var soft = new List<string>();
            foreach (var key in s?.ApiKeys ?? [])
            {
                var age = key.CreatedAt is { } created ? now - new DateTimeOffset(created, TimeSpan.Zero) : (TimeSpan?)null;
                lines.Add($"API key {key.Name} (fingerprint {key.Fingerprint}) created {Time(key.CreatedAt)}{(age is { } a ? $", {a.TotalDays:0} days old" : string.Empty)}");
                if (age is null || age > KeyRotation)
                {
                    soft.Add($"API key {key.Name} not rotated within {KeyRotation.TotalDays:0} days");
                }
            }

            if (Condition(s, ConditionTypes.KeysRotated) is { } rotated)
            {
                lines.Add($"key rotation: {ConditionText(rotated)}");
            }

            return (lines, new List<string>(), soft);
        });
        var transfers = evidence.Transfers
            .Select(t => $"AccountTransfer {t.Metadata.Name} of {t.Spec.ClientAccountRef.Name}: {t.Status?.Phase?.ToString() ?? "Pending"}"
                + (t.Status?.AccessRevokedAt is { } revoked ? $", operator access revoked {Time(revoked)}" : string.Empty))
            .Concat(evidence.Accounts.Where(a => a.Status?.State == AccountState.Transferred)
                .Select(a => $"ClientAccount {a.Metadata.Name}: handed to the client {Time(a.Status!.TransferredAt)}; the operator no longer manages it"))
            .Concat(evidence.Projects.Where(p => p.Status?.TransferredAt is not null)
                .Select(p => $"Project {p.Metadata.Name}: handed to the client {Time(p.Status!.TransferredAt)}; not assessed"));
        measure = measure with { Evidence = [.. measure.Evidence, .. transfers, .. evidence.Accounts.Select(a => $"ClientAccount {a.Metadata.Name}: operator access through role {a.Spec.AccessRoleName}")] };
        return measure.Verdict == Nis2Verdict.Evidenced
            ? measure with { Verdict = Nis2Verdict.Partly, Reason = "the operator's assets are inventoried and its keys rotated; HR security is not the operator's" }
            : measure;
    }

    /// <summary>Judges each project: a hard gap makes it not covered, a soft gap partly; the measure is evidenced when every
    /// project is, not covered when none is even partly, partly otherwise.</summary>
    private static Nis2Measure PerProject(
        char letter, string title, string outside, IReadOnlyList<Project> projects,
        Func<Project, (List<string> Lines, List<string> Hard, List<string> Soft)> judge, string? empty = null)
    {
        if (projects.Count == 0)
        {
            return new Nis2Measure(letter, title, Nis2Verdict.NotCovered, empty ?? "no Project managed by the operator in this namespace", [], outside);
        }

        var lines = new List<string>();
        var gaps = new List<string>();
        var verdicts = new List<Nis2Verdict>();
        foreach (var project in projects)
        {
            var (projectLines, hard, soft) = judge(project);
            lines.AddRange(projectLines.Select(l => $"Project {project.Metadata.Name}: {l}"));
            gaps.AddRange(hard.Concat(soft).Select(g => $"{project.Metadata.Name}: {g}"));
            verdicts.Add(hard.Count > 0 ? Nis2Verdict.NotCovered : soft.Count > 0 ? Nis2Verdict.Partly : Nis2Verdict.Evidenced);
        }

        var verdict = verdicts.All(v => v == Nis2Verdict.Evidenced) ? Nis2Verdict.Evidenced
            : verdicts.All(v => v == Nis2Verdict.NotCovered) ? Nis2Verdict.NotCovered
            : Nis2Verdict.Partly;
        var reason = gaps.Count == 0
            ? $"in place for all {projects.Count} project(s)"
            : string.Join("; ", gaps);
        return new Nis2Measure(letter, title, verdict, reason, lines, outside);
    }

    /// <summary>The price class of edge locations in Europe (and North America): the only one the operator sets.</summary>
    public const string EuropePriceClass = "PriceClass_100";

    /// <summary>The lowest viewer TLS policy the report accepts (the operator sets it).</summary>
    public const string MinimumTls = "TLSv1.2_2021";

    private const string UnderProjectKey = "aws:kms with the project key";

    /// <summary>The lines and the hard (not covered) and soft (partly) gaps of one project or account.</summary>
    private sealed record Judged(List<string> Lines, List<string> Hard, List<string> Soft);

    /// <summary>
    /// One item judged by what AWS says when it was read (a difference from what the status records is named and is itself a gap),
    /// else by the status with a "not verified live" gap: the report never passes the status off as AWS's answer.
    /// </summary>
    /// <param name="j">Where the line and the gaps go.</param>
    /// <param name="label">What the item is (resource and setting).</param>
    /// <param name="recorded">What the status records (null: the status does not record this item).</param>
    /// <param name="notVerified">Why AWS could not be read, or null when it was.</param>
    /// <param name="live">What AWS says (when read).</param>
    /// <param name="problem">The gap a value means, or null when it is in place.</param>
    /// <param name="hardGap">Whether the item's gap makes the project not covered (else partly).</param>
    private static void Check(Judged j, string label, string? recorded, string? notVerified, string? live, Func<string?, string?> problem, bool hardGap)
    {
        var gaps = hardGap ? j.Hard : j.Soft;
        if (notVerified is not null)
        {
            j.Lines.Add($"{label}: {recorded ?? "not recorded in status"} (as last recorded in status; not verified live: {notVerified})");
            j.Soft.Add($"{label} not verified live");
            if (recorded is not null && problem(recorded) is { } recordedGap)
            {
                gaps.Add(recordedGap);
            }

            return;
        }

        if (recorded is not null && recorded != live)
        {
            j.Lines.Add($"{label}: AWS says {live}, status says {recorded}: they disagree (read live from AWS)");
            j.Soft.Add($"{label}: AWS says {live} but status says {recorded}");
        }
        else
        {
            j.Lines.Add($"{label}: {live} (read live from AWS)");
        }

        if (problem(live) is { } gap)
        {
            gaps.Add(gap);
        }
    }

    /// <summary>Whether a key id, ARN or alias AWS reports names the project key <paramref name="projectKey"/> (an ARN).</summary>
    private static bool SameKey(string key, string? projectKey) =>
        projectKey is not null && (key == projectKey || projectKey.EndsWith("/" + key, StringComparison.Ordinal) || key.EndsWith("/" + projectKey.Split('/')[^1], StringComparison.Ordinal));

    private static bool Deployed(Project project) => !string.IsNullOrEmpty(project.Status?.ArtifactSha256);

    private static AuditRun? PassedFor(Project project, IReadOnlyList<AuditRun> runs) =>
        runs.Where(r => r.Spec.ProjectRef.Name == project.Metadata.Name && r.Status?.Phase == AuditPhase.Passed && r.Status.ArtifactSha256 == project.Status?.ArtifactSha256)
            .OrderByDescending(r => r.Status!.CompletedAt)
            .FirstOrDefault();

    private static V1Condition? Condition(ResourceStatus? status, string type) => status?.Conditions.FirstOrDefault(c => c.Type == type);

    private static string ConditionText(V1Condition? condition) =>
        condition is null ? "no condition recorded" : $"{condition.Type} {condition.Status} ({condition.Reason}) since {Time(condition.LastTransitionTime)}";

    internal static string Time(DateTime? time) => time is { } t ? (t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "unknown";

    private static string Time(DateTimeOffset? time) => Time(time?.UtcDateTime);

    private static string On(bool? value) => value switch { true => "on", false => "off", _ => "unknown" };

    private static string Yes(bool? value) => value switch { true => "yes", false => "no", _ => "not observed" };
}
