using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>
/// An AuditRun's <c>spec.suppressions</c> for the engine's gate. The API server checks the shape (a fingerprint or a rule with an
/// optional path, a reason, a date); what it cannot check without a clock is checked here: an expiry more than
/// <see cref="Horizon"/> after the AuditRun was created is refused (the run ends <see cref="TerminalInvalidSuppression"/>
/// naming the entry). An expired suppression is kept: the gate does not apply it and the reports list it as expired.
/// </summary>
internal static class AuditSuppressions
{
    /// <summary>A suppression is not usable (its expiry is too far ahead, or the engine refuses it).</summary>
    public const string TerminalInvalidSuppression = "TerminalInvalidSuppression";

    /// <summary>How far after the AuditRun's creation an expiry may be: accepting a risk is reviewed at least yearly.</summary>
    public const int HorizonDays = 366;

    public static TimeSpan Horizon => TimeSpan.FromDays(HorizonDays);

    /// <summary>The engine's suppressions, or the problems (each naming its entry, <c>spec.suppressions[i]</c>).</summary>
    public static (IReadOnlyList<Suppression> Suppressions, IReadOnlyList<string> Problems) From(IList<AuditSuppression>? spec, DateTimeOffset created)
    {
        var suppressions = new List<Suppression>();
        var problems = new List<string>();
        var latest = DateOnly.FromDateTime(created.UtcDateTime.Add(Horizon));
        for (var i = 0; i < (spec?.Count ?? 0); i++)
        {
            var entry = spec![i];
            if (!DateOnly.TryParseExact(entry.Expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            {
                problems.Add($"spec.suppressions[{i}]: expires '{entry.Expires}' is not a date (YYYY-MM-DD)");
                continue;
            }

            var suppression = new Suppression
            {
                Fingerprint = entry.Fingerprint,
                RuleId = entry.RuleId,
                Path = entry.Path,
                Reason = entry.Reason,
                Expires = expires,
                ApprovedBy = entry.ApprovedBy,
            };
            var own = suppression.Problems().ToList();
            if (expires > latest)
            {
                own.Add($"{suppression.Describe()} expires more than {HorizonDays} days after the AuditRun was created (at the latest {latest:yyyy-MM-dd}): accept a finding for at most a year and renew it");
            }

            problems.AddRange(own.Select(p => $"spec.suppressions[{i}]: {p}"));
            suppressions.Add(suppression);
        }

        return (suppressions, problems);
    }

    /// <summary>
    /// A short digest of the suppressions as they apply on <paramref name="today"/> (each entry and whether it is in force), for the
    /// report folder: a run with other suppressions, or on a day one of them has expired, does not reuse an earlier report.
    /// Null when there are none.
    /// </summary>
    public static string? Key(IReadOnlyList<Suppression> suppressions, DateOnly today)
    {
        if (suppressions.Count == 0)
        {
            return null;
        }

        var canonical = string.Join('\n', suppressions.Select(s => string.Join('\u001f',
            s.Fingerprint ?? string.Empty, s.RuleId ?? string.Empty, s.Path ?? string.Empty, s.Reason, s.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            s.ApprovedBy ?? string.Empty, s.IsActive(today) ? "active" : "expired")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];
    }
}
