using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Dependencies;

public sealed class DependenciesAnalyzerTests
{
    private static readonly string Lock = Lockfiles.V3(
        ("node_modules/lodash", "4.17.15", false),
        ("node_modules/minimist", "1.2.5", false),
        ("node_modules/jsonwebtoken", "8.5.1", true),
        ("node_modules/node-serialize", "0.0.4", false),
        ("node_modules/express", "4.19.2", false),
        ("node_modules/semver", "7.5.4", false),
        ("node_modules/mkdirp/node_modules/minimist", "0.0.8", false));

    private static Artifacts.ArtifactContents Artifact(params (string Path, string Content)[] files) =>
        new ArtifactIntake().ReadArchive(Archives.Zip(files), null);

    private static DependenciesAnalyzer WithExampleAdvisories() => new(new DirectoryAdvisorySource(RepositoryFiles.ExampleAdvisories));

    [Fact]
    public async Task Installed_versions_are_matched_against_the_osv_directory()
    {
        var analyzer = WithExampleAdvisories();

        var findings = await analyzer.AnalyzeAsync(Artifact(("package.json", "{\"dependencies\":{\"lodash\":\"^4\"}}"), ("package-lock.json", Lock)), CancellationToken.None);

        var byRule = findings.Select(f => $"{f.RuleId} {f.Severity} {f.Location!.Line}").ToList();
        Assert.Equal(
            [
                "dependencies/GHSA-qwph-4952-7xr6 Low 21",
                "dependencies/GHSA-35jh-r3h4-6jhm High 11",
                "dependencies/GHSA-p6mc-m468-83gw High 11",
                "dependencies/GHSA-xvch-5gv4-984h Critical 16",
                "dependencies/GHSA-xvch-5gv4-984h Critical 42",
                "dependencies/GHSA-q4v7-4rhw-9hqm Critical 27",
            ],
            byRule);
        var lodash = findings.Single(f => f.RuleId == "dependencies/GHSA-p6mc-m468-83gw");
        Assert.Contains("lodash 4.17.15 (production dependency) is affected by GHSA-p6mc-m468-83gw (CVE-2020-8203)", lodash.Message, StringComparison.Ordinal);
        Assert.Contains("Fixed in 4.17.19.", lodash.Message, StringComparison.Ordinal);
        Assert.Equal(1321, findings.Single(f => f.RuleId.EndsWith("xvch-5gv4-984h", StringComparison.Ordinal) && f.Location!.Line == 16).Cwe);
        Assert.Contains("CVSS 7.4", lodash.Evidence, StringComparison.Ordinal);
        Assert.Contains("No fixed version is published", findings.Single(f => f.RuleId.EndsWith("q4v7-4rhw-9hqm", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
        Assert.Contains("10 advisories, snapshot sha256:", analyzer.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fingerprint_survives_a_version_bump_that_is_still_vulnerable()
    {
        var before = await WithExampleAdvisories().AnalyzeAsync(Artifact(("package-lock.json", Lockfiles.V3(("node_modules/minimist", "1.2.0", false)))), CancellationToken.None);
        var after = await WithExampleAdvisories().AnalyzeAsync(Artifact(("package-lock.json", Lockfiles.V3(("node_modules/left", "1.0.0", false), ("node_modules/minimist", "1.2.5", false)))), CancellationToken.None);

        Assert.Equal(Assert.Single(before).Fingerprint, Assert.Single(after).Fingerprint);
    }

    [Fact]
    public async Task A_deployment_zip_without_a_lockfile_is_inventoried_from_node_modules()
    {
        var findings = await WithExampleAdvisories().AnalyzeAsync(
            Artifact(
                ("index.js", "exports.handler = async () => ({});"),
                ("node_modules/axios/package.json", "{\"name\":\"axios\",\"version\":\"1.6.0\"}"),
                ("node_modules/axios/lib/package.json", "{\"name\":\"not-a-package\",\"version\":\"0.0.1\"}"),
                ("node_modules/@acme/util/package.json", "{\"name\":\"@acme/util\",\"version\":\"1.0.0\"}"),
                ("node_modules/flatmap-stream/package.json", "{\"name\":\"flatmap-stream\",\"version\":\"0.1.1\"}")),
            CancellationToken.None);

        Assert.Equal(["dependencies/GHSA-8hc4-vh64-cxmj", "dependencies/GHSA-9x64-5r7x-2q53"], findings.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        Assert.Equal(Severity.Critical, findings.Single(f => f.RuleId.EndsWith("2q53", StringComparison.Ordinal)).Severity);
        Assert.Equal("node_modules", findings[0].Location!.Path);
    }

    [Fact]
    public async Task A_v1_lockfile_and_dependencies_without_an_inventory_are_high_findings()
    {
        var findings = await WithExampleAdvisories().AnalyzeAsync(
            Artifact(
                ("old/package.json", "{\"dependencies\":{\"lodash\":\"^4\"}}"),
                ("old/package-lock.json", "{\"lockfileVersion\":1,\"dependencies\":{\"lodash\":{\"version\":\"4.17.15\"}}}"),
                ("new/package.json", "{\"dependencies\":{\"lodash\":\"^4\"}}"),
                ("tool/package.json", "{\"name\":\"no-deps\"}")),
            CancellationToken.None);

        Assert.Equal(
            [("dependencies/missing-lockfile", "new/package.json"), ("dependencies/unsupported-lockfile", "old/package-lock.json")],
            findings.Select(f => (f.RuleId, f.Location!.Path)));
        Assert.All(findings, f => Assert.Equal(Severity.High, f.Severity));
        Assert.Contains("lockfileVersion 1", findings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lockfile_hygiene_flags_git_and_http_sources_and_missing_integrity_without_leaking_credentials()
    {
        const string text = """
            { "lockfileVersion": 3, "packages": {
              "": {},
              "node_modules/internal": { "version": "1.0.0", "resolved": "git+https://deploy:ghp_abc123@github.com/acme/internal.git#0123456789abcdef" },
              "node_modules/plain": { "version": "1.0.0", "resolved": "http://registry.internal/plain/-/plain-1.0.0.tgz", "integrity": "sha512-x" },
              "node_modules/nohash": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/nohash/-/nohash-1.0.0.tgz" }
            } }
            """;

        var findings = await WithExampleAdvisories().AnalyzeAsync(Artifact(("package-lock.json", text)), CancellationToken.None);

        Assert.Equal(["dependencies/non-registry-source", "dependencies/non-registry-source", "dependencies/missing-integrity"], findings.Select(f => f.RuleId));
        Assert.DoesNotContain(findings, f => f.Message.Contains("ghp_abc123", StringComparison.Ordinal) || f.Evidence!.Contains("ghp_abc123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_source_or_an_unreadable_one_ends_incomplete_with_the_findings_so_far()
    {
        var artifact = Artifact(("package-lock.json", Lockfiles.V3(("node_modules/lodash", "4.17.15", false))), ("b/package.json", "{\"dependencies\":{\"x\":\"1\"}}"));

        var none = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() => new DependenciesAnalyzer(null).AnalyzeAsync(artifact, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() => new DependenciesAnalyzer(new DirectoryAdvisorySource("/nonexistent/osv")).AnalyzeAsync(artifact, CancellationToken.None));
        var empty = Directory.CreateTempSubdirectory("openkbs-osv-empty-").FullName;
        try
        {
            var nothing = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() => new DependenciesAnalyzer(new DirectoryAdvisorySource(empty)).AnalyzeAsync(artifact, CancellationToken.None));
            Assert.Contains("holds no OSV advisory", nothing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }

        Assert.Contains("no advisory source is configured", none.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/osv does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal("dependencies/missing-lockfile", Assert.Single(none.PartialFindings).RuleId);
    }

    [Fact]
    public async Task An_artifact_without_packages_needs_no_source()
    {
        var findings = await new DependenciesAnalyzer(null).AnalyzeAsync(Artifact(("index.js", "exports.handler = async () => 1;")), CancellationToken.None);

        Assert.Empty(findings);
    }

    [Fact]
    public async Task The_osv_api_is_queried_in_batches_and_records_fetched_once()
    {
        using var server = new OsvTestServer(RepositoryFiles.ExampleAdvisories);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var analyzer = new DependenciesAnalyzer(new OsvApiAdvisorySource(http, server.BaseUri));

        var findings = await analyzer.AnalyzeAsync(Artifact(("package-lock.json", Lock)), CancellationToken.None);

        Assert.Equal(6, findings.Count);
        Assert.Contains(findings, f => f.RuleId == "dependencies/GHSA-p6mc-m468-83gw" && f.Severity == Severity.High);
        var first = server.Batches[0]["queries"]!.AsArray();
        Assert.Equal(7, first.Count);
        Assert.Equal("npm", first[0]!["package"]!["ecosystem"]!.GetValue<string>());
        Assert.True(server.Batches.Count >= 2, "lodash has two advisories: the second comes on a next page");
        Assert.Equal(server.VulnRequests.Distinct().Count(), server.VulnRequests.Count);
        Assert.StartsWith("OSV API http://127.0.0.1:", analyzer.Provenance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_osv_api_that_fails_or_is_unreachable_ends_incomplete_and_a_fallback_source_is_used()
    {
        using var server = new OsvTestServer(RepositoryFiles.ExampleAdvisories) { FailWith = 503 };
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var artifact = Artifact(("package-lock.json", Lock));

        var failing = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() => new DependenciesAnalyzer(new OsvApiAdvisorySource(http, server.BaseUri)).AnalyzeAsync(artifact, CancellationToken.None));
        var unreachable = await Assert.ThrowsAsync<AnalyzerIncompleteException>(() =>
            new DependenciesAnalyzer(new OsvApiAdvisorySource(http, new Uri($"http://127.0.0.1:{OsvTestServer.FreePort()}/"))).AnalyzeAsync(artifact, CancellationToken.None));
        var fallback = new DependenciesAnalyzer(new FirstReachableAdvisorySource(new OsvApiAdvisorySource(http, server.BaseUri), new DirectoryAdvisorySource(RepositoryFiles.ExampleAdvisories)));
        var findings = await fallback.AnalyzeAsync(artifact, CancellationToken.None);

        Assert.Contains("answered 503", failing.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used", unreachable.Message, StringComparison.Ordinal);
        Assert.Equal(6, findings.Count);
        Assert.Contains("OSV directory", fallback.Provenance, StringComparison.Ordinal);
        Assert.Contains("unavailable: the OSV API", fallback.Provenance, StringComparison.Ordinal);
    }
}
