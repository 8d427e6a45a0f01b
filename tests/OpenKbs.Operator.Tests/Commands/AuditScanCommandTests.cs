using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Operator.Commands;
using OpenKbs.Testing;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>`openkbs audit scan`: exit codes, reports and refusals, in-process and as the built executable.</summary>
public sealed class AuditScanCommandTests : IDisposable
{
    private static readonly string StripeKey = "sk_live_" + "51HxQ2eLkP9wRt7Ys3Vu6Zi8Ao";

    private static readonly string Advisories = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories");

    private readonly string _dir = Directory.CreateTempSubdirectory("openkbs-audit-scan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Lock = """
        { "name": "shop", "lockfileVersion": 3, "packages": {
          "": { "name": "shop" },
          "node_modules/minimist": { "version": "MINIMIST", "resolved": "https://registry.npmjs.org/minimist/-/minimist-MINIMIST.tgz", "integrity": "sha512-x" }
        } }
        """;

    /// <summary>Version 1 plants a live Stripe key and a vulnerable minimist; version 2 is the fixed one.</summary>
    private string Artifact(int version, params (string Name, string Content)[] extra)
    {
        var path = Path.Combine(_dir, $"shop-{version}-{Guid.NewGuid():N}.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var handler = version == 1
                ? $"const stripe = require('stripe')('{StripeKey}');\nexports.handler = async () => ({{ statusCode: 200 }});\n"
                : "const stripe = require('stripe')(process.env.STRIPE_KEY);\nexports.handler = async () => ({ statusCode: 200 });\n";
            foreach (var (name, content) in new[] { ("index.js", handler), ("package-lock.json", Lock.Replace("MINIMIST", version == 1 ? "1.2.5" : "1.2.8", StringComparison.Ordinal)) }.Concat(extra))
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return path;
    }

    private static async Task<(int Code, string Output, string Error)> ScanAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parse = AuditScanCommand.Create().Parse(args);
        var code = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A snapshot file (as the AuditRun collector reads it) with one function URL open to the internet.</summary>
    private const string OpenFunctionUrl = """
        { "schema": "openkbs.infrastructure/v1", "accountId": "123456789012", "region": "eu-central-1", "subject": "Project team-a/shop",
          "functions": [ { "name": "team-a-shop-1a2b3c4d-api", "arn": "arn:aws:lambda:eu-central-1:123456789012:function:team-a-shop-1a2b3c4d-api", "urlAuthType": "NONE" } ] }
        """;

    [Fact]
    public async Task The_infrastructure_check_runs_on_a_snapshot_file_is_skipped_without_one_and_refuses_a_bad_file()
    {
        var snapshot = Path.Combine(_dir, "live.json");
        await File.WriteAllTextAsync(snapshot, OpenFunctionUrl);
        var sarif = Path.Combine(_dir, "infra.sarif");

        var (code, output, error) = await ScanAsync(Artifact(2), "--checks", "infrastructure", "--infrastructure", snapshot, "--sarif", sarif);

        Assert.Equal(AuditScanCommand.Failed, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("[HIGH] LMB-URL-001 at arn:aws:lambda:eu-central-1:123456789012:function:team-a-shop-1a2b3c4d-api", output, StringComparison.Ordinal);
        Assert.Contains("openkbs-audit-infrastructure", await File.ReadAllTextAsync(sarif), StringComparison.Ordinal);

        // Without a snapshot: a default run says the check did not run; naming it is a usage error; a bad file is one too.
        (code, output, _) = await ScanAsync(Artifact(2), "--checks", "code");
        Assert.Equal(AuditScanCommand.Passed, code);
        Assert.Contains("infrastructure not run: it reads a snapshot of the live AWS configuration (--infrastructure FILE)", output, StringComparison.Ordinal);
        (code, _, error) = await ScanAsync(Artifact(2), "--checks", "infrastructure");
        Assert.Equal(AuditScanCommand.UsageError, code);
        Assert.Contains("--infrastructure FILE", error, StringComparison.Ordinal);
        await File.WriteAllTextAsync(snapshot, "{ \"schema\": \"openkbs.infrastructure/v1\", \"region\": \"eu-central-1\" }");
        (code, _, error) = await ScanAsync(Artifact(2), "--infrastructure", snapshot);
        Assert.Equal(AuditScanCommand.UsageError, code);
        Assert.Contains("not an infrastructure snapshot", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_planted_secret_and_vulnerable_dependency_fail_with_exit_1_and_reports_are_written()
    {
        var sarif = Path.Combine(_dir, "out", "audit.sarif");
        var markdown = Path.Combine(_dir, "out", "audit.md");
        var json = Path.Combine(_dir, "out", "audit.json");

        var (code, output, error) = await ScanAsync(Artifact(1), "--advisories", Advisories, "--sarif", sarif, "--markdown", markdown, "--json", json);

        Assert.Equal(AuditScanCommand.Failed, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("[HIGH] secrets/stripe-secret-key at index.js:1", output, StringComparison.Ordinal);
        Assert.Contains("[CRITICAL] dependencies/GHSA-xvch-5gv4-984h at package-lock.json:3", output, StringComparison.Ordinal);
        Assert.Contains("verdict: FAILED", output, StringComparison.Ordinal);
        var sarifBytes = await File.ReadAllBytesAsync(sarif);
        Assert.Contains($"wrote sarif report {sarif} (sha256 {Convert.ToHexStringLower(SHA256.HashData(sarifBytes))})", output, StringComparison.Ordinal);
        Assert.Equal("2.1.0", JsonNode.Parse(sarifBytes)!["version"]!.GetValue<string>());
        Assert.Equal("Failed", JsonNode.Parse(await File.ReadAllTextAsync(json))!["verdict"]!.GetValue<string>());
        Assert.Contains("Article 21(2)(e)", await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
        foreach (var file in new[] { sarif, markdown, json })
        {
            Assert.DoesNotContain(StripeKey[8..], await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(StripeKey[8..], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fixed_version_passes_with_exit_0()
    {
        var path = Artifact(2);
        var digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));

        var (code, output, _) = await ScanAsync(path, "--advisories", Advisories, "--sha256", digest, "--checks", "secrets,dependencies");

        Assert.Equal(AuditScanCommand.Passed, code);
        Assert.Contains($"sha256 {digest}", output, StringComparison.Ordinal);
        Assert.Contains("verdict: PASSED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reports_name_the_subject_and_source_given_and_else_the_file()
    {
        var path = Artifact(2);
        var digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        var markdown = Path.Combine(_dir, "named.md");
        var json = Path.Combine(_dir, "named.json");
        var sarif = Path.Combine(_dir, "named.sarif");

        var (code, output, _) = await ScanAsync(path, "--checks", "secrets", "--subject", "team-a/shop@2.0.0", "--source", "s3://openkbs-artifacts/team-a/shop-2.0.0.zip",
            "--markdown", markdown, "--json", json, "--sarif", sarif);

        Assert.Equal(AuditScanCommand.Passed, code);
        Assert.Contains($"audited team-a/shop@2.0.0 from s3://openkbs-artifacts/team-a/shop-2.0.0.zip: sha256 {digest}", output, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(markdown);
        Assert.Contains("# Security audit report: team-a/shop@2.0.0", text, StringComparison.Ordinal);
        Assert.Contains("| Source | `s3://openkbs-artifacts/team-a/shop-2.0.0.zip` |", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetFileName(path), text, StringComparison.Ordinal);
        var artifact = JsonNode.Parse(await File.ReadAllTextAsync(json))!["artifact"]!;
        Assert.Equal(("team-a/shop@2.0.0", "s3://openkbs-artifacts/team-a/shop-2.0.0.zip", digest),
            (artifact["subject"]!.GetValue<string>(), artifact["source"]!.GetValue<string>(), artifact["sha256"]!.GetValue<string>()));
        var properties = JsonNode.Parse(await File.ReadAllTextAsync(sarif))!["runs"]![0]!["properties"]!;
        Assert.Equal(("team-a/shop@2.0.0", "s3://openkbs-artifacts/team-a/shop-2.0.0.zip", digest),
            (properties["artifact"]!.GetValue<string>(), properties["artifactSource"]!.GetValue<string>(), properties["artifactSha256"]!.GetValue<string>()));

        // Without --subject the file's name, and no source row.
        (_, output, _) = await ScanAsync(path, "--checks", "secrets", "--markdown", markdown);
        Assert.Contains($"audited {Path.GetFileName(path)}: sha256 {digest}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("| Source |", await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_threshold_and_suppressions_decide_the_exit_code()
    {
        var suppressions = Path.Combine(_dir, "suppressions.json");
        await File.WriteAllTextAsync(suppressions, """
            { "suppressions": [
              { "ruleId": "secrets/stripe-secret-key", "path": "index.js", "reason": "test-mode key, revoked 2026-12-01", "expires": "2099-01-01", "approvedBy": "security@example.com" },
              { "ruleId": "dependencies/GHSA-xvch-5gv4-984h", "reason": "argv parsing is not reachable", "expires": "2020-01-01" }
            ] }
            """);

        var criticalOnly = await ScanAsync(Artifact(1), "--advisories", Advisories, "--fail-on", "critical", "--suppressions", suppressions);
        var dependenciesOff = await ScanAsync(Artifact(1), "--checks", "secrets", "--suppressions", suppressions);

        Assert.Equal(AuditScanCommand.Failed, criticalOnly.Code);
        Assert.Contains("expired suppression: rule dependencies/GHSA-xvch-5gv4-984h until 2020-01-01", criticalOnly.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[HIGH] secrets/stripe-secret-key", criticalOnly.Output, StringComparison.Ordinal);
        Assert.Equal(AuditScanCommand.Passed, dependenciesOff.Code);
        Assert.Contains("suppressed 1", dependenciesOff.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_advisory_source_the_run_fails_closed_unless_allowed()
    {
        var closed = await ScanAsync(Artifact(2));
        var allowed = await ScanAsync(Artifact(2), "--allow-incomplete");

        Assert.Equal(AuditScanCommand.Failed, closed.Code);
        Assert.Contains("dependencies  incomplete", closed.Output, StringComparison.Ordinal);
        Assert.Contains("no advisory source is configured", closed.Output, StringComparison.Ordinal);
        Assert.Equal(AuditScanCommand.Passed, allowed.Code);
    }

    [Theory]
    [InlineData("--sha256", "0000000000000000000000000000000000000000000000000000000000000000", "DigestMismatch")]
    [InlineData("--fail-on", "low", "--fail-on must be critical, high or medium")]
    [InlineData("--checks", "secrets,sast", "unknown check(s) sast")]
    [InlineData("--timeout", "0", "--timeout must be a positive number")]
    [InlineData("--no-such-option", "x", "unrecognized argument '--no-such-option'")]
    public async Task Usage_and_input_errors_exit_2_and_write_no_report(string option, string value, string message)
    {
        var sarif = Path.Combine(_dir, "never.sarif");

        var (code, output, error) = await ScanAsync(Artifact(1), option, value, "--sarif", sarif);

        Assert.Equal(AuditScanCommand.UsageError, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.False(File.Exists(sarif));
    }

    [Fact]
    public async Task A_zip_slip_artifact_and_a_missing_one_exit_2()
    {
        var slip = await ScanAsync(Artifact(2, ("../../etc/cron.d/evil", "* * * * * root sh")));
        var missing = await ScanAsync(Path.Combine(_dir, "nope.zip"));
        var none = await ScanAsync();

        Assert.Equal(AuditScanCommand.UsageError, slip.Code);
        Assert.Contains("climbs out of the artifact root", slip.Error, StringComparison.Ordinal);
        Assert.Contains("(PathEscape)", slip.Error, StringComparison.Ordinal);
        Assert.Equal(AuditScanCommand.UsageError, missing.Code);
        Assert.Contains("(Missing)", missing.Error, StringComparison.Ordinal);
        Assert.Equal(AuditScanCommand.UsageError, none.Code);
    }

    [Fact]
    public async Task The_built_executable_gives_the_same_exit_codes()
    {
        var dll = OpenKbsDll();

        var failing = await RunProcessAsync(dll, "audit", "scan", Artifact(1), "--advisories", Advisories, "--json", Path.Combine(_dir, "p.json"));
        var passing = await RunProcessAsync(dll, "audit", "scan", Artifact(2), "--advisories", Advisories);
        var usage = await RunProcessAsync(dll, "audit", "scan", Artifact(2), "--fail-on", "nope");

        Assert.Equal(1, failing.Code);
        Assert.Contains("verdict: FAILED", failing.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "p.json")));
        Assert.Equal(0, passing.Code);
        Assert.Equal(2, usage.Code);
    }

    private static string OpenKbsDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(SandboxFixture.RepositoryRoot(), "src", "OpenKbs.Operator", "bin", configuration, "net10.0", "openkbs.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build src/OpenKbs.Operator first ({dll} is missing)", dll);
    }

    private static async Task<(int Code, string Output)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
