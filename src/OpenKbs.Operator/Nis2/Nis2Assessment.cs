using System.Globalization;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
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
            Continuity(managed, now),
            SupplyChain(managed, evidence.AuditRuns),
            Vulnerabilities(managed, evidence.AuditRuns),
            Effectiveness(evidence, managed),
            Hygiene(managed),
            Cryptography(managed),
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
        var gaps = new List<string>();
        foreach (var account in accounts)
        {
            var status = account.Status;
            var allowed = account.Spec.AllowedRegions;
            var outsideEu = allowed.Where(r => !EuRegions.All.Contains(r)).ToList();
            var guardrail = Condition(status, ConditionTypes.GuardrailsApplied);
            lines.Add($"ClientAccount {account.Metadata.Name}: account {status?.AccountId ?? "(not created)"}, state {status?.State?.ToString() ?? "unknown"}, "
                + $"home region {account.Spec.Region}, allowed regions {string.Join(", ", allowed)}; region guardrail SCP {status?.GuardrailPolicyId ?? "(none)"}, "
                + $"{ConditionText(guardrail)}");
            if (guardrail?.Status != "True" || string.IsNullOrEmpty(status?.GuardrailPolicyId))
            {
                gaps.Add($"{account.Metadata.Name}: guardrail not applied ({guardrail?.Reason ?? "no GuardrailsApplied condition"})");
            }

            if (outsideEu.Count > 0)
            {
                gaps.Add($"{account.Metadata.Name}: allowed regions outside the EU ({string.Join(", ", outsideEu)})");
            }
        }

        return gaps.Count > 0
            ? new Nis2Measure('a', Title, Nis2Verdict.NotCovered, string.Join("; ", gaps), lines, Outside)
            : new Nis2Measure('a', Title, Nis2Verdict.Partly, "every account is fenced into EU regions by an applied guardrail SCP; that is the technical policy only", lines, Outside);
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
            ? new Nis2Measure('b', Title, Nis2Verdict.Partly, $"every AWS change the operator made is recorded in a verified, tamper-evident trail (who, what, when, from where, outcome); {clock}", lines, Outside)
            : new Nis2Measure('b', Title, Nis2Verdict.NotCovered, $"the audit trail's chain is broken: {trail.Chain.Message}", lines, Outside);
    }

    /// <summary>One open incident with its three deadlines and how far each is at <paramref name="now"/>.</summary>
    internal static string IncidentLine(Incident incident, DateTimeOffset now) =>
        $"incident {incident.Id} {incident.State}: {incident.Cause} of {incident.Subject}, detected {Time(incident.DetectedAt)}; "
        + string.Join(", ", incident.Deadlines.Select(d => $"{d.Name} due {Time(d.Due)} ({Commands.IncidentCommand.Clock(d.Due, now, incident.IsOpen)})"));

    private static Nis2Measure Continuity(IReadOnlyList<Project> projects, DateTimeOffset now)
    {
        const string Title = "Business continuity: backups, disaster recovery, crisis management";
        const string Outside = "crisis management, restore drills and recovery objectives are the client's; the operator does not restore by itself";
        return PerProject('c', Title, Outside, projects, p =>
        {
            var lines = new List<string>();
            var hard = new List<string>();
            var soft = new List<string>();
            var storage = p.Status?.Storage;
            lines.Add($"bucket {storage?.BucketName ?? "(none)"}: versioning {storage?.Versioning ?? "unknown"}, noncurrent versions kept "
                + $"{(p.Spec.Storage?.NoncurrentVersionRetentionDays is { } keep ? keep + " days" : "without expiry")}; deletion policy {p.Spec.DeletionPolicy}");
            if (storage?.Versioning != "Enabled")
            {
                hard.Add($"bucket versioning is {storage?.Versioning ?? "not observed"}");
            }

            if (p.Spec.DeletionPolicy == ProjectDeletionPolicy.Delete)
            {
                soft.Add("deletionPolicy Delete (the database is snapshotted first and a non-empty bucket is kept)");
            }

            if (p.Spec.Database is { Enabled: true } database)
            {
                var db = p.Status?.Database;
                lines.Add($"database {db?.ClusterIdentifier ?? "(none)"}: backups kept {db?.BackupRetentionDays?.ToString(CultureInfo.InvariantCulture) ?? "?"} days, "
                    + $"restorable from {Time(db?.EarliestRestorableTime)} to {Time(db?.LatestRestorableTime)}, deletion protection {On(db?.DeletionProtection)}");
                lines.Add(db?.Standby is { } standby
                    ? $"standby {standby.InstanceIdentifier} in {standby.AvailabilityZone} ({standby.Status}), writer {db.WriterInstance} in {db.WriterAvailabilityZone}"
                    : $"no standby instance (spec.database.standbyReplica {(database.StandbyReplica ? "true, not in place yet" : "false")})");
                if (db?.BackupRetentionDays is not { } retention)
                {
                    hard.Add("no backup retention observed");
                }
                else if (retention < MinimumBackupRetentionDays)
                {
                    soft.Add($"backups kept {retention} days (< {MinimumBackupRetentionDays})");
                }

                if (db?.LatestRestorableTime is not { } latest || now - new DateTimeOffset(latest, TimeSpan.Zero) > RestorableLag)
                {
                    soft.Add($"latest restorable time {Time(db?.LatestRestorableTime)} is not within {RestorableLag.TotalHours:0} h");
                }

                if (db?.Standby is not { Status: "available" } ready || ready.AvailabilityZone == db.WriterAvailabilityZone)
                {
                    soft.Add("no available standby in another Availability Zone");
                }
            }
            else
            {
                lines.Add("no database");
            }

            return (lines, hard, soft);
        });
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

    private static Nis2Measure Hygiene(IReadOnlyList<Project> projects)
    {
        const string Title = "Basic cyber hygiene and cybersecurity training";
        const string Outside = "training of staff and the client's own hygiene practices are the client's";
        var measure = PerProject('g', Title, Outside, projects, p =>
        {
            var storage = p.Status?.Storage;
            var lines = new List<string>
            {
                $"bucket public access blocked: {Yes(storage?.PublicAccessBlocked)}",
                p.Spec.Cdn is { Enabled: true }
                    ? $"CDN {p.Status?.Cdn?.DistributionId ?? "(none)"}: HTTPS only, TLSv1.2_2021 for {string.Join(", ", p.Spec.Cdn.Aliases ?? [])} ({ConditionText(Condition(p.Status, ConditionTypes.CdnReady))})"
                    : "no CDN",
            };
            var hard = storage?.PublicAccessBlocked == true ? new List<string>() : ["bucket public access is not blocked (or not observed)"];
            return (lines, hard, new List<string>());
        });
        return measure.Verdict == Nis2Verdict.Evidenced
            ? measure with { Verdict = Nis2Verdict.Partly, Reason = "hygiene of the operator's resources is in place; training is not the operator's" }
            : measure;
    }

    private static Nis2Measure Cryptography(IReadOnlyList<Project> projects)
    {
        const string Title = "Cryptography and encryption";
        const string Outside = "the client's own key-management policy and encryption inside the application are the client's";
        return PerProject('h', Title, Outside, projects, p =>
        {
            var storage = p.Status?.Storage;
            var lines = new List<string> { $"bucket encryption {storage?.Encryption ?? "unknown"} with project key {storage?.KmsKeyArn ?? "(none)"}" };
            var hard = new List<string>();
            var soft = new List<string>();
            if (storage?.Encryption != "aws:kms" || string.IsNullOrEmpty(storage.KmsKeyArn))
            {
                hard.Add("bucket not observed encrypted with the project key");
            }

            if (p.Spec.Database is { Enabled: true })
            {
                var ready = Condition(p.Status, ConditionTypes.DatabaseReady);
                lines.Add($"database storage encrypted with the project key, password managed by AWS: {ConditionText(ready)} (Ready is only reported for an encrypted cluster)");
                if (ready?.Status != "True")
                {
                    soft.Add("database not Ready, so its encryption is not confirmed");
                }
            }

            if (p.Spec.Cdn is { Enabled: true })
            {
                var ready = Condition(p.Status, ConditionTypes.CdnReady);
                lines.Add($"CDN in transit: TLSv1.2_2021, HTTPS only ({ConditionText(ready)})");
                if (ready?.Status != "True")
                {
                    soft.Add("CDN not Ready, so its TLS policy is not confirmed");
                }
            }

            var keys = p.Status?.ApiKeys ?? [];
            if (keys.Count > 0)
            {
                lines.Add($"API keys kept as SHA-256 only: {string.Join(", ", keys.Select(k => $"{k.Name} ({(string.IsNullOrEmpty(k.Sha256) ? "no hash" : "hash")})"))}");
            }

            return (lines, hard, soft);
        });
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
