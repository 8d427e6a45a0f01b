using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;

namespace OpenKbs.Audit.Tests.Gate;

public sealed class GatePolicyTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);

    private static Finding Make(string rule, Severity severity, string path, string fingerprint) => new()
    {
        Analyzer = "secrets",
        RuleId = rule,
        Severity = severity,
        Title = rule,
        Message = rule,
        Location = new SourceLocation(path, 3),
        Fingerprint = fingerprint,
    };

    private static readonly Finding Critical = Make("secrets/private-key", Severity.Critical, "certs/dev.pem", "aaa");
    private static readonly Finding High = Make("secrets/hardcoded-credential", Severity.High, "src/legacy/db.js", "bbb");
    private static readonly Finding Medium = Make("secrets/high-entropy-string", Severity.Medium, "src/sign.js", "ccc");

    [Theory]
    [InlineData(Severity.Critical, 1)]
    [InlineData(Severity.High, 2)]
    [InlineData(Severity.Medium, 3)]
    public void Findings_at_or_above_the_threshold_block(Severity failOn, int blocking)
    {
        var gate = GatePolicy.Evaluate([Medium, High, Critical], [], new AuditPolicy { FailOn = failOn }, Today);

        Assert.Equal(blocking, gate.Blocking.Count());
        Assert.Equal(Verdict.Failed, gate.Verdict);
        Assert.Equal(Severity.Critical, gate.Findings[0].Finding.Severity);
    }

    [Fact]
    public void Suppressions_match_by_fingerprint_or_rule_and_path_glob_and_expire_after_their_day()
    {
        var policy = new AuditPolicy
        {
            Suppressions =
            [
                new Suppression { Fingerprint = "AAA", Reason = "dev certificate, rotated out of prod", Expires = Today, ApprovedBy = "security@example.com" },
                new Suppression { RuleId = "secrets/hardcoded-credential", Path = "src/legacy/**", Reason = "legacy module being removed", Expires = Today.AddDays(-1) },
                new Suppression { RuleId = "secrets/jwt", Reason = "nothing matches this", Expires = Today.AddDays(30) },
            ],
        };

        var gate = GatePolicy.Evaluate([Critical, High, Medium], [], policy, Today);

        var critical = gate.Findings.Single(f => f.Finding == Critical);
        var high = gate.Findings.Single(f => f.Finding == High);
        Assert.Same(policy.Suppressions[0], critical.SuppressedBy);
        Assert.False(critical.Blocks);
        Assert.Null(high.SuppressedBy);
        Assert.Same(policy.Suppressions[1], high.ExpiredSuppression);
        Assert.True(high.Blocks);
        Assert.Equal([SuppressionState.Active, SuppressionState.Expired, SuppressionState.Unused], gate.Suppressions.Select(s => s.State));
        Assert.Equal([1, 1, 0], gate.Suppressions.Select(s => s.Matched));
        Assert.Equal(Verdict.Failed, gate.Verdict);
        Assert.Contains("secrets/hardcoded-credential at src/legacy/db.js:3", Assert.Single(gate.Reasons), StringComparison.Ordinal);

        var nextDay = GatePolicy.Evaluate([Critical], [], policy, Today.AddDays(1));
        Assert.True(Assert.Single(nextDay.Findings).Blocks);
    }

    [Theory]
    [InlineData("src/legacy/db.js", "src/legacy/*.js", true)]
    [InlineData("src/legacy/deep/db.js", "src/legacy/*.js", false)]
    [InlineData("src/legacy/deep/db.js", "src/**/db.js", true)]
    [InlineData("src/legacy/db.js", "src/legacy/db.js", true)]
    [InlineData("src/legacy/db.jsx", "src/legacy/db.js", false)]
    public void Path_globs_keep_star_within_a_folder(string path, string glob, bool matches) =>
        Assert.Equal(matches, new Suppression { RuleId = "r", Path = glob, Reason = "x", Expires = Today }.Matches(Make("r", Severity.High, path, "f")));

    [Fact]
    public void A_passing_run_has_no_reasons_and_incomplete_checks_fail_it_unless_allowed()
    {
        Assert.Equal(Verdict.Passed, GatePolicy.Evaluate([Medium], [], AuditPolicy.Default, Today).Verdict);
        var closed = GatePolicy.Evaluate([Medium], ["dependencies incomplete: no source"], AuditPolicy.Default, Today);
        Assert.Equal(Verdict.Failed, closed.Verdict);
        Assert.Equal("check incomplete (the policy fails closed): dependencies incomplete: no source", Assert.Single(closed.Reasons));
        Assert.Equal(Verdict.Passed, GatePolicy.Evaluate([Medium], ["dependencies incomplete: no source"], new AuditPolicy { AllowIncomplete = true }, Today).Verdict);
    }

    [Fact]
    public void Unusable_suppressions_are_refused_with_every_problem_named()
    {
        var policy = new AuditPolicy
        {
            Suppressions =
            [
                new Suppression { RuleId = "r", Reason = " ", Expires = Today },
                new Suppression { Reason = "why", Expires = Today },
                new Suppression { Fingerprint = "f", RuleId = "r", Reason = "why", Expires = Today },
            ],
        };

        var refused = Assert.Throws<FormatException>(() => GatePolicy.Evaluate([], [], policy, Today));

        Assert.Contains("has no reason", refused.Message, StringComparison.Ordinal);
        Assert.Contains("needs a fingerprint, or a ruleId", refused.Message, StringComparison.Ordinal);
        Assert.Contains("must not also name a rule or path", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_suppressions_file_is_read_and_checked()
    {
        var suppressions = AuditPolicy.ReadSuppressions("""
            { "suppressions": [
              { "fingerprint": "aaa", "reason": "test key", "expires": "2027-03-31", "approvedBy": "ciso@example.com" },
              { "ruleId": "dependencies/GHSA-c2qf-rxjj-qqgw", "path": "package-lock.json", "reason": "no user input reaches semver", "expires": "2027-01-15" }
            ] }
            """);

        Assert.Equal(2, suppressions.Count);
        Assert.Equal(new DateOnly(2027, 3, 31), suppressions[0].Expires);
        Assert.Throws<FormatException>(() => AuditPolicy.ReadSuppressions("""{ "suppressions": [ { "ruleId": "r", "reason": "x" } ] }"""));
        Assert.Throws<FormatException>(() => AuditPolicy.ReadSuppressions("""{ "suppressions": [ { "ruleId": "r", "reason": "x", "expires": "2027-01-01", "owner": "me" } ] }"""));
        Assert.Throws<FormatException>(() => AuditPolicy.ReadSuppressions("""{ "other": [] }"""));
        Assert.Equal(Severity.Medium, AuditPolicy.ParseFailOn("MEDIUM"));
        Assert.Throws<FormatException>(() => AuditPolicy.ParseFailOn("low"));
    }
}
