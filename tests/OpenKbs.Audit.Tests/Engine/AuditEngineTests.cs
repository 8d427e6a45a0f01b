using System.Diagnostics;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Secrets;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Engine;

public sealed class AuditEngineTests
{
    [Fact]
    public async Task A_run_reads_the_artifact_runs_every_check_and_fails_on_what_blocks()
    {
        var zip = Scenario.Package();

        var result = await Scenario.RunAsync(zip);

        Assert.Equal(Archives.Sha256(zip), result.Artifact.Sha256);
        Assert.Equal(["artifact", "secrets", "dependencies"], result.Checks.Select(c => c.Name));
        Assert.All(result.Checks, c => Assert.Equal(CheckStatus.Completed, c.Status));
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Equal(
            ["dependencies/GHSA-xvch-5gv4-984h", "secrets/stripe-secret-key"],
            result.Gate.Blocking.Select(b => b.Finding.RuleId).Order(StringComparer.Ordinal));
        Assert.Contains(result.Gate.Findings, f => f.Finding is { RuleId: "artifact/source-map", Severity: Severity.Info, Location.Path: "lib/format.js.map" });
        Assert.Contains("2 finding(s) at or above high", Assert.Single(result.Gate.Reasons), StringComparison.Ordinal);
        Assert.Contains("snapshot sha256:", result.Checks.Single(c => c.Name == "dependencies").Provenance, StringComparison.Ordinal);
        Assert.Equal(Scenario.Now, result.StartedAt);
    }

    [Fact]
    public async Task A_wrong_digest_stops_the_run_before_any_check()
    {
        var counting = new CountingAnalyzer();
        var engine = new AuditEngine([counting]);

        var refused = await Assert.ThrowsAsync<ArtifactRejectedException>(() => engine.RunAsync(
            new AuditRequest { ArtifactBytes = Scenario.Package(), ExpectedSha256 = new string('a', 64) }, CancellationToken.None));

        Assert.Equal(ArtifactRejection.DigestMismatch, refused.Reason);
        Assert.Equal(0, counting.Calls);
    }

    [Fact]
    public async Task The_time_limit_ends_a_stuck_check_and_the_run_fails_closed()
    {
        var engine = new AuditEngine([new StuckAnalyzer(TimeSpan.FromSeconds(20)), new SecretsAnalyzer()]);
        var clock = Stopwatch.StartNew();

        var result = await engine.RunAsync(new AuditRequest { ArtifactBytes = Archives.Zip(("a.js", "1")), TimeLimit = TimeSpan.FromMilliseconds(500) }, CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the run took {clock.Elapsed}");
        Assert.Equal(CheckStatus.TimedOut, result.Checks.Single(c => c.Name == "stuck").Status);
        Assert.Equal(CheckStatus.TimedOut, result.Checks.Single(c => c.Name == "secrets").Status);
        Assert.Equal(Verdict.Failed, result.Verdict);
        Assert.Contains(result.Gate.Reasons, r => r.Contains("stuck timedout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_check_that_throws_is_recorded_and_the_others_still_run()
    {
        var engine = new AuditEngine([new ThrowingAnalyzer(), new SecretsAnalyzer()]);

        var result = await engine.RunAsync(new AuditRequest { ArtifactBytes = Archives.Zip(("a.js", "1")) }, CancellationToken.None);

        var broken = result.Checks.Single(c => c.Name == "broken");
        Assert.Equal(CheckStatus.Failed, broken.Status);
        Assert.Equal("InvalidOperationException: parser state corrupted", broken.Message);
        Assert.Equal(CheckStatus.Completed, result.Checks.Single(c => c.Name == "secrets").Status);
        Assert.Equal(Verdict.Failed, result.Verdict);
    }

    [Fact]
    public async Task No_advisory_source_fails_closed_unless_the_policy_allows_incomplete_runs()
    {
        var engine = new AuditEngine([new DependenciesAnalyzer(null)]);
        var zip = Archives.Zip(("package-lock.json", Dependencies.Lockfiles.V3(("node_modules/left-pad", "1.3.0", false))));

        var strict = await engine.RunAsync(new AuditRequest { ArtifactBytes = zip }, CancellationToken.None);
        var lenient = await engine.RunAsync(new AuditRequest { ArtifactBytes = zip, Policy = new AuditPolicy { AllowIncomplete = true } }, CancellationToken.None);

        Assert.Equal(CheckStatus.Incomplete, strict.Checks.Single(c => c.Name == "dependencies").Status);
        Assert.Equal(Verdict.Failed, strict.Verdict);
        Assert.Contains("no advisory source is configured", Assert.Single(strict.Gate.Reasons), StringComparison.Ordinal);
        Assert.Equal(Verdict.Passed, lenient.Verdict);
        Assert.Equal(CheckStatus.Incomplete, lenient.Checks.Single(c => c.Name == "dependencies").Status);
    }

    [Fact]
    public async Task Checks_are_chosen_by_name_and_unknown_names_are_refused()
    {
        var engine = Scenario.Engine();

        var secretsOnly = await engine.RunAsync(new AuditRequest { ArtifactBytes = Scenario.Package(), Checks = ["secrets"] }, CancellationToken.None);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => engine.RunAsync(new AuditRequest { ArtifactBytes = Scenario.Package(), Checks = ["secrets", "sast"] }, CancellationToken.None));

        Assert.Equal(["artifact", "secrets"], secretsOnly.Checks.Select(c => c.Name));
        Assert.Contains("unknown check(s) sast; available: secrets, dependencies", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_analyzers_include_every_check_of_the_assembly()
    {
        var names = AuditEngine.DefaultAnalyzers(null).Select(a => a.Name).ToList();

        Assert.Contains("secrets", names);
        Assert.Contains("dependencies", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
