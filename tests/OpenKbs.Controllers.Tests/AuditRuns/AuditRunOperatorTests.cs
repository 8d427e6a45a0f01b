using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;
using OpenKbs.Controllers.AuditRuns;
using OpenKbs.Controllers.AuditRuns.Steps;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using OpenKbs.Testing.Postgres;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.AuditRuns;

/// <summary>
/// The AuditRun controller in the sandbox on moto: the operator in process, a ClientAccount and a Project (the example's
/// artifact), AuditRuns applied with kubectl, the reports read back from the client account with the aws CLI through a
/// 900 s session as the client would.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed partial class AuditRunOperatorTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    private const string Role = "OrganizationAccountAccessRole";
    private const string ShopSha256 = "db8738746d4db84a39318ff0fc955d9f4866557d6d9467c4371f4f67cde24a83";

    private AwsChaosProxy? _proxy;

    private Uri Endpoint => _proxy!.Endpoint;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await SandboxAws.BootstrapAsync(moto.Endpoint, Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples"), TextWriter.Null);
        _proxy = await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions
        {
            Backend = moto.Endpoint,
            Spec = AwsChaosSpec.Parse("realism=on,org-polls=0,lambda-polls=1,cloudfront-polls=1,rds-polls=1,empty-pages=0"),
        });
    }

    public async Task DisposeAsync() => await _proxy!.DisposeAsync();

    [Fact]
    public async Task An_audit_scans_once_stores_its_reports_in_the_client_account_and_blocks_a_planted_secret()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit");
        var settings = ProjectSettings();
        settings["AuditRun:ProjectGrace"] = "00:00:02";
        await using var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], settings);
        await KubectlAsync(Tenant(ns), "apply", "-f", "-");

        // The project's own artifact: passed, counts and report location in status, the reports in the client's bucket.
        await KubectlAsync(Run(ns, "shop-1", "shop", null), "apply", "-f", "-");
        var run = await WaitRunAsync(ns, "shop-1", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
        output.WriteLine(KubernetesJson.Serialize(run.Status));
        Assert.Equal(AuditPhase.Passed, run.Status!.Phase);
        Assert.Equal(ShopSha256, run.Status.ArtifactSha256);
        Assert.Equal("1.0.0", run.Status.Version);
        Assert.Equal(0, run.Status.Findings!.Critical);
        var ready = Runtime.Conditions.Find(run.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.True, ConditionReasons.AuditPassed), (ready.Status, ready.Reason));
        Assert.True(Runtime.Conditions.IsTrue(run.Status.Conditions, ConditionTypes.ArtifactVerified));
        var project = (await GetAsync<Project>(ns, Project.KubePlural, "shop"))!;
        var bucket = project.Status!.Storage!.BucketName!;
        var report = run.Status.ReportRef!;
        Assert.Equal(bucket, report.S3!.Bucket);
        // All four checks ran; the folder names the live configuration the infrastructure check read (its snapshot's digest).
        Assert.Matches($"^audits/sha256/{ShopSha256}/critical-code\\.dependencies\\.infrastructure\\.secrets-live\\.[0-9a-f]{{12}}/report\\.md$", report.S3.Key);
        var member = await SessionAsync(project.Status.AccountId!);
        var markdown = Encoding.UTF8.GetString(await DownloadAsync(member, bucket, report.S3.Key));
        Assert.Contains(ShopSha256, markdown, StringComparison.Ordinal);
        var prefix = report.S3.Key[..^"report.md".Length];
        using (var sarif = JsonDocument.Parse(await DownloadAsync(member, bucket, prefix + "report.sarif")))
        {
            Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        }

        var json = await DownloadAsync(member, bucket, prefix + "report.json");
        var head = await AwsCli.RunAsync(Endpoint, ["s3api", "head-object", "--bucket", bucket, "--key", prefix + "report.json", "--region", "eu-central-1"], member);
        Assert.Equal("aws:kms", head.Json().GetProperty("ServerSideEncryption").GetString());
        var map = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync(report.ConfigMapName, ns);
        using (var summary = JsonDocument.Parse(map.Data[ReportStore.SummaryKey]))
        {
            Assert.Equal("Passed", summary.RootElement.GetProperty("verdict").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(json)), summary.RootElement.GetProperty("reports").GetProperty("jsonSha256").GetString());
        }

        Assert.Equal("shop-1", map.Metadata.OwnerReferences.Single().Name);
        var audits = op.Log.Operations.Count(o => o.Contains("/audits/", StringComparison.Ordinal));
        await KubectlAsync(null, "-n", ns, "annotate", "auditrun", "shop-1", $"{Annotations.ReconcileRequestedAt}={DateTime.UtcNow:O}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(audits, op.Log.Operations.Count(o => o.Contains("/audits/", StringComparison.Ordinal)));

        // A second AuditRun of the same digest under the same policy is not scanned again: the report is reused, not rewritten.
        await KubectlAsync(Run(ns, "shop-again", "shop", null), "apply", "-f", "-");
        var again = await WaitRunAsync(ns, "shop-again", r => r?.Status?.CompletedAt is not null);
        Assert.Equal(AuditPhase.Passed, again.Status!.Phase);
        Assert.Equal(report.S3.Key, again.Status.ReportRef!.S3!.Key);
        var versions = await AwsCli.RunAsync(Endpoint, ["s3api", "list-object-versions", "--bucket", bucket, "--prefix", prefix + "report.json", "--region", "eu-central-1"], member);
        Assert.Single(versions.Json().GetProperty("Versions").EnumerateArray());

        // A version with a planted private key: Failed, terminal, the message names what blocks; the key is never in status.
        var planted = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("deploy.pem", PrivateKey));
        var plantedSha = await UploadAsync("examples/shop/1.0.1.zip", planted);
        await KubectlAsync(Run(ns, "shop-planted", "shop", ("examples/shop/1.0.1.zip", plantedSha), "1.0.1"), "apply", "-f", "-");
        var failed = await WaitRunAsync(ns, "shop-planted", r => r?.Status?.CompletedAt is not null);
        Assert.Equal(AuditPhase.Failed, failed.Status!.Phase);
        Assert.Equal("1.0.1", failed.Status.Version);
        Assert.True(failed.Status.Findings!.Critical >= 1);
        var blocked = Runtime.Conditions.Find(failed.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(ConditionReasons.TerminalFindingsAboveThreshold, blocked.Reason);
        Assert.Contains("secrets/private-key at deploy.pem", blocked.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIE", KubernetesJson.Serialize(failed), StringComparison.Ordinal);

        // The gate: with spec.audit.required the planted version is refused and 1.0.0 keeps serving; a fixed version waits for
        // its audit, then deploys.
        await KubectlAsync(null, "-n", ns, "patch", "project", "shop", "--type", "merge", "-p",
            $"{{\"spec\":{{\"audit\":{{\"required\":true,\"createRuns\":false}},\"version\":\"1.0.1\",\"source\":{{\"s3\":{{\"key\":\"examples/shop/1.0.1.zip\"}},\"sha256\":\"{plantedSha}\"}}}}}}");
        var refused = await WaitProjectAsync(ns, p => Reason(p, ConditionTypes.Audited) == ConditionReasons.TerminalAuditFailed);
        Assert.Equal("1.0.0", refused.Status!.DeployedVersion);
        Assert.Contains("AuditRun 'shop-planted'", Runtime.Conditions.Find(refused.Status.Conditions, ConditionTypes.Audited)!.Message, StringComparison.Ordinal);
        Assert.Contains("secrets/private-key", Runtime.Conditions.Find(refused.Status.Conditions, ConditionTypes.Audited)!.Message, StringComparison.Ordinal);
        var code = await AwsCli.RunAsync(Endpoint, ["lambda", "get-function", "--function-name", refused.Status.Functions![0].Arn!, "--region", "eu-central-1"], member);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(ShopSha256)), code.Json().GetProperty("Configuration").GetProperty("CodeSha256").GetString());
        var fixedZip = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200, body: 'fixed' });\n"));
        var fixedSha = await UploadAsync("examples/shop/1.0.2.zip", fixedZip);
        await KubectlAsync(null, "-n", ns, "patch", "project", "shop", "--type", "merge", "-p",
            $"{{\"spec\":{{\"version\":\"1.0.2\",\"source\":{{\"s3\":{{\"key\":\"examples/shop/1.0.2.zip\"}},\"sha256\":\"{fixedSha}\"}}}}}}");
        var waiting = await WaitProjectAsync(ns, p => Reason(p, ConditionTypes.FunctionsReady) == ConditionReasons.WaitingForAudit);
        Assert.Equal("1.0.0", waiting.Status!.DeployedVersion);
        await KubectlAsync(Run(ns, "shop-fixed", "shop", null), "apply", "-f", "-");
        var deployed = await WaitProjectAsync(ns, p => p?.Status?.DeployedVersion == "1.0.2");
        Assert.Equal(fixedSha, deployed.Status!.ArtifactSha256);

        // Bad input: each a precise terminal reason, phase Error, nothing scanned.
        await KubectlAsync(Run(ns, "wrong-digest", "shop", ("examples/shop/1.0.0.zip", new string('a', 64))), "apply", "-f", "-");
        await AssertErrorAsync(ns, "wrong-digest", ConditionReasons.TerminalArtifactMismatch, "is " + ShopSha256);
        await KubectlAsync(Run(ns, "missing-artifact", "shop", ("examples/shop/9.9.9.zip", new string('b', 64))), "apply", "-f", "-");
        await AssertErrorAsync(ns, "missing-artifact", ConditionReasons.TerminalArtifactNotFound, "examples/shop/9.9.9.zip does not exist");
        var corrupt = Encoding.ASCII.GetBytes("PK\u0003\u0004 this is not a zip archive at all");
        var corruptSha = await UploadAsync("examples/shop/corrupt.zip", corrupt);
        await KubectlAsync(Run(ns, "corrupt", "shop", ("examples/shop/corrupt.zip", corruptSha)), "apply", "-f", "-");
        await AssertErrorAsync(ns, "corrupt", ScanStep.TerminalArtifactUnreadable, "cannot be audited");
        var escape = Zip(("../../etc/cron.d/x", "* * * * * root id\n"));
        var escapeSha = await UploadAsync("examples/shop/slip.zip", escape);
        await KubectlAsync(Run(ns, "zip-slip", "shop", ("examples/shop/slip.zip", escapeSha)), "apply", "-f", "-");
        await AssertErrorAsync(ns, "zip-slip", ScanStep.TerminalArtifactUnreadable, "PathEscape");
        await KubectlAsync(Run(ns, "no-project", "elsewhere", null), "apply", "-f", "-");

        // While it waits for the Project (the grace period), Ready says so: never a TransientError from a later step
        // that ran without the Project (a defect the example tenant showed in `make run`).
        var reasons = new List<string>();
        while (await GetAsync<AuditRun>(ns, AuditRun.KubePlural, "no-project") is { } pending && pending.Status?.CompletedAt is null)
        {
            if (Runtime.Conditions.Find(pending.Status?.Conditions, ConditionTypes.Ready) is { } seen)
            {
                reasons.Add(seen.Reason);
            }

            await Task.Delay(50);
        }

        Assert.DoesNotContain(ConditionReasons.TransientError, reasons);
        await AssertErrorAsync(ns, "no-project", TargetStep.TerminalProjectNotFound, $"Project 'elsewhere' does not exist in namespace '{ns}'");

        var table = await KubectlAsync(null, "get", "auditrun", "-n", ns);
        output.WriteLine(table);
        Assert.Matches(@"shop-1\s+shop\s+1\.0\.0\s+Passed\s+0\s+", table);
        Assert.Matches(@"shop-planted\s+shop\s+1\.0\.1\s+Failed\s+[1-9]", table);
    }

    [Fact]
    public async Task Suppressions_accept_findings_with_a_reason_until_they_expire_and_a_project_passes_its_own_to_the_runs_it_creates()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit-sup");
        await using var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], ProjectSettings());
        await KubectlAsync(Tenant(ns), "apply", "-f", "-");
        var planted = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("deploy.pem", PrivateKey));
        var key = $"examples/shop/sup-{ns}.zip";
        var plantedSha = await UploadAsync(key, planted);
        var source = (key, plantedSha);

        // Without suppressions the planted key blocks; the JSON report gives each finding's fingerprint.
        await KubectlAsync(Run(ns, "planted", "shop", source, "2.0.0") + "  checks: [code, secrets]\n", "apply", "-f", "-");
        var blocked = await WaitRunAsync(ns, "planted", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
        Assert.Equal(AuditPhase.Failed, blocked.Status!.Phase);
        var project = (await GetAsync<Project>(ns, Project.KubePlural, "shop"))!;
        var bucket = project.Status!.Storage!.BucketName!;
        var member = await SessionAsync(project.Status.AccountId!);
        var prefix = blocked.Status.ReportRef!.S3!.Key[..^"report.md".Length];
        List<string> fingerprints;
        using (var report = JsonDocument.Parse(await DownloadAsync(member, bucket, prefix + "report.json")))
        {
            fingerprints = [.. report.RootElement.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("blocks").GetBoolean()).Select(f => f.GetProperty("fingerprint").GetString()!)];
        }

        Assert.NotEmpty(fingerprints);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Accepted until a date ahead: Passed, the suppressed findings counted in status, every suppression in the reports.
        await KubectlAsync(Suppressed(ns, "accepted", source, fingerprints, today.AddDays(30)), "apply", "-f", "-");
        var accepted = await WaitRunAsync(ns, "accepted", r => r?.Status?.CompletedAt is not null);
        output.WriteLine(KubernetesJson.Serialize(accepted.Status));
        Assert.Equal(AuditPhase.Passed, accepted.Status!.Phase);
        Assert.Equal(0, accepted.Status.Findings!.Critical);
        Assert.Equal(fingerprints.Count, accepted.Status.Findings.Suppressed);
        Assert.Contains($"{fingerprints.Count} suppressed", Runtime.Conditions.Find(accepted.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Matches("-sup\\.[0-9a-f]{12}/report\\.md$", accepted.Status.ReportRef!.S3!.Key);
        var acceptedPrefix = accepted.Status.ReportRef.S3.Key[..^"report.md".Length];
        Assert.NotEqual(prefix, acceptedPrefix);
        var markdown = Encoding.UTF8.GetString(await DownloadAsync(member, bucket, acceptedPrefix + "report.md"));
        Assert.Contains("the key is a revoked test fixture", markdown, StringComparison.Ordinal);
        using (var sarif = JsonDocument.Parse(await DownloadAsync(member, bucket, acceptedPrefix + "report.sarif")))
        {
            var suppressedResults = sarif.RootElement.GetProperty("runs").EnumerateArray()
                .SelectMany(r => r.GetProperty("results").EnumerateArray())
                .Count(r => r.TryGetProperty("suppressions", out var list) && list.GetArrayLength() > 0);
            Assert.Equal(fingerprints.Count, suppressedResults);
        }

        using (var json = JsonDocument.Parse(await DownloadAsync(member, bucket, acceptedPrefix + "report.json")))
        {
            var states = json.RootElement.GetProperty("suppressions").EnumerateArray().Select(e => e.GetProperty("state").GetString()).ToList();
            Assert.Equal(fingerprints.Count, states.Count);
            Assert.All(states, state => Assert.Equal("Active", state));
        }

        // Expired: it suppresses nothing, the run fails as without it, and the status message and an Event name it as expired.
        await KubectlAsync(Suppressed(ns, "expired", source, fingerprints, today.AddDays(-1)), "apply", "-f", "-");
        var expired = await WaitRunAsync(ns, "expired", r => r?.Status?.CompletedAt is not null);
        Assert.Equal(AuditPhase.Failed, expired.Status!.Phase);
        Assert.Equal(0, expired.Status.Findings!.Suppressed);
        var expiredReady = Runtime.Conditions.Find(expired.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(ConditionReasons.TerminalFindingsAboveThreshold, expiredReady.Reason);
        Assert.Contains($"suppression(s) expired and suppressed nothing: fingerprint {fingerprints[0]} (expired {today.AddDays(-1):yyyy-MM-dd})", expiredReady.Message, StringComparison.Ordinal);

        // Too far ahead (more than a year after the run's creation): terminal, naming the entry; nothing scanned.
        await KubectlAsync(Suppressed(ns, "too-long", source, fingerprints, today.AddDays(400)), "apply", "-f", "-");
        await AssertErrorAsync(ns, "too-long", AuditSuppressions.TerminalInvalidSuppression, "spec.suppressions[0]: fingerprint " + fingerprints[0]);

        // What the API server refuses: no reason, both a fingerprint and a rule, a path without a rule.
        var refusals = new[]
        {
            ($"  suppressions:\n    - fingerprint: {fingerprints[0]}\n      expires: \"{today.AddDays(1):yyyy-MM-dd}\"\n", "spec.suppressions[0].reason: Required value"),
            ($"  suppressions:\n    - fingerprint: {fingerprints[0]}\n      ruleId: secrets/private-key\n      reason: r\n      expires: \"{today.AddDays(1):yyyy-MM-dd}\"\n", "a suppression names either a fingerprint or a ruleId"),
            ($"  suppressions:\n    - fingerprint: {fingerprints[0]}\n      path: deploy.pem\n      reason: r\n      expires: \"{today.AddDays(1):yyyy-MM-dd}\"\n", "a suppression with a path needs a ruleId"),
            ($"  suppressions:\n    - ruleId: secrets/private-key\n      reason: \"   \"\n      expires: \"{today.AddDays(1):yyyy-MM-dd}\"\n", "spec.suppressions[0].reason"),
        };
        foreach (var (yaml, says) in refusals)
        {
            var (exit, _, stderr) = await Kubectl.RunAsync(sandbox.KubeconfigPath, Run(ns, "refused", "shop", source) + yaml, "apply", "-f", "-");
            Assert.NotEqual(0, exit);
            Assert.Contains(says, stderr, StringComparison.Ordinal);
        }

        Assert.Null(await GetAsync<AuditRun>(ns, AuditRun.KubePlural, "refused"));

        // A Project's own suppressions go into the AuditRun it creates, which passes, so the version deploys. (Another artifact
        // with the same planted key: the runs above audit the first one, so the Project would create none for it.)
        var next = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200, body: 'v2.1' });\n"), ("deploy.pem", PrivateKey));
        key = $"examples/shop/sup-next-{ns}.zip";
        plantedSha = await UploadAsync(key, next);
        var rules = string.Join(",", fingerprints.Select(f => $"{{\"fingerprint\":\"{f}\",\"reason\":\"the key is a revoked test fixture\",\"expires\":\"{today.AddDays(30):yyyy-MM-dd}\"}}"));
        await KubectlAsync(null, "-n", ns, "patch", "project", "shop", "--type", "merge", "-p",
            $"{{\"spec\":{{\"audit\":{{\"required\":true,\"suppressions\":[{rules}]}},\"version\":\"2.1.0\",\"source\":{{\"s3\":{{\"key\":\"{key}\"}},\"sha256\":\"{plantedSha}\"}}}}}}");
        var deployed = await WaitProjectAsync(ns, p => p?.Status?.DeployedVersion == "2.1.0");
        Assert.Equal(plantedSha, deployed.Status!.ArtifactSha256);
        var created = (await GetAsync<AuditRun>(ns, AuditRun.KubePlural, AuditStep.RunName("shop", "2.1.0", plantedSha)))!;
        Assert.Equal(fingerprints.Order(StringComparer.Ordinal), created.Spec.Suppressions!.Select(s => s.Fingerprint!).Order(StringComparer.Ordinal));
        Assert.All(created.Spec.Suppressions!, s => Assert.Equal("the key is a revoked test fixture", s.Reason));
        Assert.Equal(AuditPhase.Passed, created.Status!.Phase);
        Assert.Equal(fingerprints.Count, created.Status.Findings!.Suppressed);
    }

    [Fact]
    public async Task An_isolated_scan_runs_openkbs_as_a_child_and_one_over_its_time_limit_is_killed_and_fails_closed()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit-iso");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var openkbs = Path.Combine(SandboxFixture.RepositoryRoot(), "src", "OpenKbs.Operator", "bin", configuration, "net10.0", "openkbs.dll");
        Assert.True(File.Exists(openkbs), $"build src/OpenKbs.Operator first ({openkbs} is missing)");
        var settings = new Dictionary<string, string?>
        {
            ["Project:ArtifactBucket"] = SandboxAws.ArtifactBucket,
            ["Project:WaitForAccount"] = "00:00:00.500",
            ["AuditRun:WaitForProject"] = "00:00:00.500",
            ["AuditRun:AdvisoriesDirectory"] = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories"),
            ["AuditRun:Isolation"] = "ChildProcess",
            ["AuditRun:ScanCommand"] = openkbs,
        };
        var planted = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200 });\n"), ("deploy.pem", PrivateKey));
        var key = $"examples/shop/iso-{ns}.zip";
        var plantedSha = await UploadAsync(key, planted);
        await using (var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], settings))
        {
            await KubectlAsync(Tenant(ns), "apply", "-f", "-");

            // The real engine in a child process (clean environment, no network, heap limit): the same verdicts and reports.
            await KubectlAsync(Run(ns, "child-pass", "shop", null) + "  checks: [code, secrets, dependencies]\n", "apply", "-f", "-");
            var passed = await WaitRunAsync(ns, "child-pass", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
            output.WriteLine(KubernetesJson.Serialize(passed.Status));
            Assert.Equal(AuditPhase.Passed, passed.Status!.Phase);
            await KubectlAsync(Run(ns, "child-planted", "shop", (key, plantedSha), "3.0.0") + "  checks: [code, secrets]\n", "apply", "-f", "-");
            var failed = await WaitRunAsync(ns, "child-planted", r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(2));
            Assert.Equal(AuditPhase.Failed, failed.Status!.Phase);
            Assert.Contains("secrets/private-key at deploy.pem", Runtime.Conditions.Find(failed.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
            var project = (await GetAsync<Project>(ns, Project.KubePlural, "shop"))!;
            var member = await SessionAsync(project.Status!.AccountId!);
            var markdown = Encoding.UTF8.GetString(await DownloadAsync(member, project.Status.Storage!.BucketName!, failed.Status.ReportRef!.S3!.Key));
            Assert.Contains("secrets/private-key", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("MIIE", markdown, StringComparison.Ordinal);
            // The reports name the real artifact (project, version, where it is published, its digest), not the child's private copy.
            Assert.Contains($"# Security audit report: {ns}/shop@3.0.0", markdown, StringComparison.Ordinal);
            Assert.Contains($"| Source | `s3://{SandboxAws.ArtifactBucket}/{key}` |", markdown, StringComparison.Ordinal);
            Assert.Contains($"| SHA-256 | `{plantedSha}` |", markdown, StringComparison.Ordinal);
            Assert.DoesNotContain("artifact.zip", markdown, StringComparison.Ordinal);

            // A digest the child refuses (zip-slip): the child's typed refusal, as in process.
            var escapeSha = await UploadAsync($"examples/shop/iso-slip-{ns}.zip", Zip(("../../etc/cron.d/x", "* * * * * root id\n")));
            await KubectlAsync(Run(ns, "child-slip", "shop", ($"examples/shop/iso-slip-{ns}.zip", escapeSha)), "apply", "-f", "-");
            await AssertErrorAsync(ns, "child-slip", ScanStep.TerminalArtifactUnreadable, "PathEscape");
        }

        // A scan that does not end (a stand-in program that hangs) is killed at the time limit; the run fails closed.
        var hang = Path.Combine(sandbox.WorkDirectory, $"hang-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(hang, "#!/bin/sh\nexec sleep 300\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hang, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        settings["AuditRun:ScanCommand"] = hang;
        settings["AuditRun:TimeLimit"] = "00:00:02";
        await using (var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], settings))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await KubectlAsync(Run(ns, "child-hangs", "shop", (key, plantedSha), "3.0.1") + "  checks: [secrets]\n", "apply", "-f", "-");
            await AssertErrorAsync(ns, "child-hangs", ScanStep.TerminalAuditTimeout, "did not finish within 2 s and was killed");
            output.WriteLine($"killed and concluded after {clock.Elapsed}");
            var run = (await GetAsync<AuditRun>(ns, AuditRun.KubePlural, "child-hangs"))!;
            Assert.Contains("clean environment", Runtime.Conditions.Find(run.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_version_deployed_without_the_audit_gate_whose_audit_finds_a_critical_opens_an_incident()
    {
        var ns = await sandbox.CreateNamespaceAsync("audit-incident");
        await using var postgres = await PostgresServer.CreateAsync();
        var store = Options.Create(new AuditStoreOptions { ConnectionString = postgres.ConnectionString(), OperatorIdentity = "test" });
        await using (var journal = new PostgresAuditJournal(store, NullLogger<PostgresAuditJournal>.Instance))
        {
            await journal.InitializeAsync(CancellationToken.None);
        }

        using var webhook = new IncidentWebhook(Options.Create(new IncidentOptions()), NullLogger<IncidentWebhook>.Instance);
        await using var recorder = new PostgresIncidentRecorder(store, webhook, NullLogger<PostgresIncidentRecorder>.Instance);
        await using var op = await OperatorHarness.StartAsync(sandbox, Endpoint, [ns], ProjectSettings(), services: s => s.AddSingleton<IIncidentRecorder>(recorder));
        await KubectlAsync(Tenant(ns), "apply", "-f", "-");
        var planted = Zip(("api.js", "exports.handler = async () => ({ statusCode: 200, body: 'v3' });\n"), ("deploy.pem", PrivateKey));
        var key = $"examples/shop/incident-{ns}.zip";
        var sha = await UploadAsync(key, planted);

        // Deployed at once (audit.required false), audited after (createRuns): the audit finds the planted key, a critical.
        await KubectlAsync(null, "-n", ns, "patch", "project", "shop", "--type", "merge", "-p",
            $"{{\"spec\":{{\"audit\":{{\"required\":false,\"createRuns\":true}},\"version\":\"3.0.0\",\"source\":{{\"s3\":{{\"key\":\"{key}\"}},\"sha256\":\"{sha}\"}}}}}}");
        await WaitProjectAsync(ns, p => p?.Status?.ArtifactSha256 == sha);
        var run = await WaitRunAsync(ns, AuditStep.RunName("shop", "3.0.0", sha), r => r?.Status?.CompletedAt is not null, TimeSpan.FromMinutes(3));
        Assert.True(run.Status!.Findings!.Critical > 0, KubernetesJson.Serialize(run.Status));

        // The AuditRun's completion wakes the Project: one incident, the ClientAccount's IncidentOpen True.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        IReadOnlyList<OpenKbs.Aws.Audit.Incident> open;
        while ((open = await recorder.OpenIncidentsAsync(ns, CancellationToken.None)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var incident = Assert.Single(open);
        Assert.Equal((IncidentCauses.CriticalFinding, "Project/shop", run.Metadata.Name, sha), (incident.Cause, incident.Subject, incident.Details["auditRun"], incident.Details["sha256"]));
        Assert.Equal($"{ns}/Project/shop", incident.OpenedBy);
        Assert.DoesNotContain("PRIVATE KEY", incident.Summary + string.Concat(incident.Details.Values), StringComparison.Ordinal);
        var account = await WaitAsync<ClientAccount>(ns, ClientAccount.KubePlural, "acme", a => Runtime.Conditions.IsTrue(a?.Status?.Conditions, ConditionTypes.IncidentOpen));
        Assert.Contains($"{incident.Id} CriticalFindingDeployed of Project/shop", Runtime.Conditions.Find(account.Status!.Conditions, ConditionTypes.IncidentOpen)!.Message, StringComparison.Ordinal);
    }

    private static string Suppressed(string ns, string name, (string Key, string Sha256) source, IEnumerable<string> fingerprints, DateOnly expires) =>
        Run(ns, name, "shop", source, "2.0.0") + "  checks: [code, secrets]\n  suppressions:\n"
        + string.Concat(fingerprints.Select(f => $"    - fingerprint: {f}\n      reason: the key is a revoked test fixture\n      expires: \"{expires:yyyy-MM-dd}\"\n      approvedBy: security@acme.example\n"));

    private const string PrivateKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\n-----END RSA PRIVATE KEY-----\n";

    private async Task AssertErrorAsync(string ns, string name, string reason, string says)
    {
        var run = await WaitRunAsync(ns, name, r => r?.Status?.CompletedAt is not null);
        Assert.Equal(AuditPhase.Error, run.Status!.Phase);
        var ready = Runtime.Conditions.Find(run.Status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, reason), (ready.Status, ready.Reason));
        Assert.Contains(says, ready.Message, StringComparison.Ordinal);
        Assert.Null(run.Status.ReportRef);
    }

    /// <summary>A zip of text files (also for <see cref="ScanJobK3sTests"/>).</summary>
    internal static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }

    private async Task<string> UploadAsync(string key, byte[] bytes)
    {
        var file = Path.Combine(sandbox.WorkDirectory, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, bytes);
        var put = await AwsCli.RunAsync(Endpoint, ["s3api", "put-object", "--bucket", SandboxAws.ArtifactBucket, "--key", key, "--body", file]);
        Assert.True(put.ExitCode == 0, put.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static string Tenant(string ns) => $"""
        apiVersion: openkbs.com/v1alpha1
        kind: ClientAccount
        metadata:
          name: acme
          namespace: {ns}
        spec:
          email: aws+acme-audit@example.com
          region: eu-central-1
          allowedRegions: [eu-central-1]
        ---
        apiVersion: openkbs.com/v1alpha1
        kind: Project
        metadata:
          name: shop
          namespace: {ns}
        spec:
          clientAccountRef:
            name: acme
          version: 1.0.0
          source:
            s3:
              bucket: {SandboxAws.ArtifactBucket}
              key: examples/shop/1.0.0.zip
            sha256: {ShopSha256}
          functions:
            - name: api
              handler: api.handler
        """;

    private static string Run(string ns, string name, string project, (string Key, string Sha256)? source, string? version = null)
    {
        var text = $"apiVersion: openkbs.com/v1alpha1\nkind: AuditRun\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  projectRef:\n    name: {project}\n";
        if (version is not null)
        {
            text += $"  version: {version}\n";
        }

        if (source is var (key, sha))
        {
            text += $"  source:\n    s3:\n      bucket: {SandboxAws.ArtifactBucket}\n      key: {key}\n    sha256: {sha}\n";
        }

        return text;
    }

    private async Task<IReadOnlyDictionary<string, string>> SessionAsync(string accountId)
    {
        var assumed = await AwsCli.RunAsync(Endpoint, ["sts", "assume-role", "--role-arn", $"arn:aws:iam::{accountId}:role/{Role}", "--role-session-name", "client", "--duration-seconds", "900"]);
        Assert.True(assumed.ExitCode == 0, assumed.ToString());
        var credentials = assumed.Json().GetProperty("Credentials");
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!,
        };
    }

    private async Task<byte[]> DownloadAsync(IReadOnlyDictionary<string, string> member, string bucket, string key)
    {
        var file = Path.Combine(sandbox.WorkDirectory, Guid.NewGuid().ToString("N"));
        var got = await AwsCli.RunAsync(Endpoint, ["s3api", "get-object", "--bucket", bucket, "--key", key, file, "--region", "eu-central-1"], member);
        Assert.True(got.ExitCode == 0, got.ToString());
        return await File.ReadAllBytesAsync(file);
    }

    private async Task<string> KubectlAsync(string? input, params string[] args)
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync(sandbox.KubeconfigPath, input, args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    private Task<AuditRun> WaitRunAsync(string ns, string name, Func<AuditRun?, bool> until, TimeSpan? timeout = null) =>
        WaitAsync(ns, AuditRun.KubePlural, name, until, timeout);

    private async Task<T> WaitAsync<T>(string ns, string plural, string name, Func<T?, bool> until, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var current = await GetAsync<T>(ns, plural, name);
            if (until(current))
            {
                return current!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{ns}/{name} did not reach the expected state: {(current is null ? "gone" : KubernetesJson.Serialize(current))}");
            }

            await Task.Delay(250);
        }
    }

    private Task<Project> WaitProjectAsync(string ns, Func<Project?, bool> until) => WaitAsync(ns, Project.KubePlural, "shop", until);

    private static string? Reason(Project? project, string type) => Runtime.Conditions.Find(project?.Status?.Conditions, type)?.Reason;

    private async Task<T?> GetAsync<T>(string ns, string plural, string name)
        where T : class
    {
        try
        {
            var raw = await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, ns, plural, name);
            return KubernetesJson.Deserialize<T>(((JsonElement)raw).GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The operator settings of the tests that run a Project under the audit: short waits, the example advisories.</summary>
    private static Dictionary<string, string?> ProjectSettings() => new()
    {
        ["Project:ArtifactBucket"] = SandboxAws.ArtifactBucket,
        ["Project:WaitForLambda"] = "00:00:00.300",
        ["Project:WaitForIamPropagation"] = "00:00:00.300",
        ["Project:WaitForAccount"] = "00:00:00.500",
        ["AuditRun:WaitForProject"] = "00:00:00.500",
        ["AuditRun:AdvisoriesDirectory"] = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories"),
    };
}
