using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Gate;

/// <summary>Applies an <see cref="AuditPolicy"/> to a run's findings and analyzer outcomes.</summary>
public static class GatePolicy
{
    /// <param name="findings">All findings of the run.</param>
    /// <param name="incompleteChecks">Checks that did not finish, with why ("dependencies: no advisory source ...").</param>
    /// <param name="policy">The threshold, the incomplete-run rule and the suppressions.</param>
    /// <param name="today">The date suppressions are judged on (UTC).</param>
    public static GateResult Evaluate(IReadOnlyList<Finding> findings, IReadOnlyList<string> incompleteChecks, AuditPolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var suppressions = policy.Suppressions;
        var matched = new int[suppressions.Count];
        var assessed = new List<AssessedFinding>();
        foreach (var finding in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Analyzer, StringComparer.Ordinal).ThenBy(f => f.Location?.Path ?? f.Resource, StringComparer.Ordinal).ThenBy(f => f.Location?.Line))
        {
            var matching = new List<Suppression>();
            for (var i = 0; i < suppressions.Count; i++)
            {
                if (suppressions[i].Matches(finding))
                {
                    matched[i]++;
                    matching.Add(suppressions[i]);
                }
            }

            var active = matching.FirstOrDefault(s => s.IsActive(today));
            var expired = active is null ? matching.FirstOrDefault() : null;
            var blocks = active is null && finding.Severity >= policy.FailOn;
            assessed.Add(new AssessedFinding(finding, active, blocks) { ExpiredSuppression = expired });
        }

        var outcomes = suppressions
            .Select((s, i) => new SuppressionOutcome(s, !s.IsActive(today) ? SuppressionState.Expired : matched[i] > 0 ? SuppressionState.Active : SuppressionState.Unused, matched[i]))
            .ToList();
        var reasons = new List<string>();
        var blocking = assessed.Where(a => a.Blocks).ToList();
        if (blocking.Count > 0)
        {
            reasons.Add($"{blocking.Count} finding(s) at or above {policy.FailOn.ToString().ToLowerInvariant()}: "
                + string.Join(", ", blocking.Take(10).Select(b => $"{b.Finding.RuleId} at {Where(b.Finding)}"))
                + (blocking.Count > 10 ? $" and {blocking.Count - 10} more" : string.Empty));
        }

        if (!policy.AllowIncomplete)
        {
            reasons.AddRange(incompleteChecks.Select(c => $"check incomplete (the policy fails closed): {c}"));
        }

        return new GateResult(reasons.Count == 0 ? Verdict.Passed : Verdict.Failed, policy.FailOn, assessed, outcomes, reasons);
    }

    /// <summary>"path:line" or the resource, for messages.</summary>
    public static string Where(Finding finding) =>
        finding.Location is { } l ? $"{l.Path}:{l.Line}" : finding.Resource ?? "(artifact)";
}
