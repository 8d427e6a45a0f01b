using System.Text.Json;
using k8s;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// The audit gate end to end (issue 11): <c>openkbs run</c> as a process against the sandbox API server and moto behind the
/// realism proxy, the example tenant with <c>spec.audit.required: true</c> and nothing else: the operator creates the AuditRun
/// of every version itself. A version with a planted SQL injection and a hard-coded AWS key pair is refused (AuditRun Failed,
/// TerminalFindingsAboveThreshold; the Project's Audited condition names the run and the findings) while the previous version
/// keeps serving (the function's CodeSha256 in moto unchanged); the reports are read from the client account's project bucket
/// with the aws CLI through a 900 s session; the fixed version passes and deploys. Bad input at the gate: a wrong digest, a
/// missing artifact, an AuditRun naming a Project of another namespace: each says why, nothing is audited or deployed.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AuditGateTests(CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>
{
    private const string Sql = "js/sql-injection";
    private const string SecretKey = "q8Zr3Lm9Xv2Nw7Kp4Tb6Yc1Hd5Gf0Sj8Ue3Ra9Mz";

    /// <summary>A handler that builds SQL from the query string and carries an AWS key pair (both critical).</summary>
    private static readonly string PlantedOrders = $$"""
        const { Client } = require('pg');

        const awsAccessKeyId = 'AKIAQ7N3XJ5LMRTW2KPB';
        const awsSecretAccessKey = '{{SecretKey}}';

        exports.handler = async (event) => {
          const client = new Client();
          await client.connect();
          const id = event.queryStringParameters.id;
          const result = await client.query("SELECT * FROM orders WHERE id = '" + id + "'");
          await client.end();
          return { statusCode: 200, body: JSON.stringify({ rows: result.rows, keys: awsAccessKeyId.length + awsSecretAccessKey.length }) };
        };
        """;

    /// <summary>The same handler fixed: a parameterised query, no keys in the code.</summary>
    private const string FixedOrders = """
        const { Client } = require('pg');

        exports.handler = async (event) => {
          const client = new Client();
          await client.connect();
          const id = event.queryStringParameters.id;
          const result = await client.query('SELECT * FROM orders WHERE id = $1', [id]);
          await client.end();
          return { statusCode: 200, body: JSON.stringify({ rows: result.rows }) };
        };
        """;

    [Fact]
    public async Task A_planted_critical_finding_is_refused_the_running_version_keeps_serving_and_the_fixed_version_deploys()
    {
        await using var world = await TenantWorld.StartAsync(sandbox, settings: new Dictionary<string, string>
        {
            ["OPENKBS_AuditRun__AdvisoriesDirectory"] = Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "advisories"),
            ["OPENKBS_AuditRun__WaitForProject"] = "00:00:00.500",
            ["OPENKBS_AuditRun__ProjectGrace"] = "00:00:03",
        });
        var ns = await world.NamespaceAsync("gate");
        var other = await world.NamespaceAsync("gate-other");
        world.StartOperator();
        string Diagnostics() => world.Diagnostics() + "\nAuditRuns: " + string.Join("; ", RunsAsync(ns).GetAwaiter().GetResult().Select(Describe));

        // 1.0.0 under the gate: the operator creates its AuditRun (owned by the Project, pinned to version and digest), it
        // passes, the version deploys.
        await world.ApplyAsync(TenantWorld.ExampleTenant(ns)); // the example Project sets spec.audit.required
        var first = await world.WaitReadyAsync(ns);
        var firstSha = first.Spec.Source!.Sha256;
        var firstRun = Assert.Single(await RunsAsync(ns));
        Assert.Equal($"shop-1-0-0-{firstSha[..12]}", firstRun.Metadata.Name);
        Assert.Equal(AuditPhase.Passed, firstRun.Status!.Phase);
        Assert.Equal(("1.0.0", firstSha), (firstRun.Spec.Version, firstRun.Spec.Source!.Sha256));
        var owner = Assert.Single(firstRun.Metadata.OwnerReferences);
        Assert.Equal((Project.KubeKind, "shop", first.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal(("True", ConditionReasons.AuditPassed), Condition(first, ConditionTypes.Audited));
        Assert.Equal("1.0.0", first.Status!.DeployedVersion);

        var client = await world.ClientAsync(first.Status.AccountId!);
        var api = first.Status.Functions!.Single(f => f.Name == "api").Arn!;
        var servingCode = await CodeSha256Async(client, api);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(firstSha)), servingCode);

        // 1.1.0 with a planted SQL injection and AWS key pair: the AuditRun fails, the Project says why, 1.0.0 keeps serving.
        var plantedSha = await world.UploadArtifactAsync("examples/shop/1.1.0.zip", Files("1.1.0", PlantedOrders));
        await ProjectApi.PatchSpecAsync(world.Client, ns, "shop", Version("1.1.0", "examples/shop/1.1.0.zip", plantedSha));
        var refused = await ProjectApi.WaitAsync(world.Client, ns, "shop",
            p => Condition(p, ConditionTypes.Audited).Reason == ConditionReasons.TerminalAuditFailed, TenantWorld.Converge, Diagnostics);
        var plantedName = $"shop-1-1-0-{plantedSha[..12]}";
        var planted = (await KubeObjects.GetOrNullAsync<AuditRun>(world.Client, ns, AuditRun.KubePlural, plantedName))!;
        output.WriteLine(Describe(planted));
        Assert.Equal(AuditPhase.Failed, planted.Status!.Phase);
        Assert.True(planted.Status.Findings!.Critical >= 3, Describe(planted));
        var blocked = planted.Status.Conditions.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal(ConditionReasons.TerminalFindingsAboveThreshold, blocked.Reason);
        Assert.Contains($"{Sql} at orders.js:", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("secrets/aws-secret-access-key at orders.js:", blocked.Message, StringComparison.Ordinal);
        var audited = refused.Status!.Conditions.Single(c => c.Type == ConditionTypes.Audited);
        output.WriteLine($"Audited: {audited.Message}");
        Assert.Equal("False", audited.Status);
        Assert.Contains($"AuditRun '{plantedName}'", audited.Message, StringComparison.Ordinal);
        Assert.Contains(Sql, audited.Message, StringComparison.Ordinal);
        Assert.Contains("version 1.0.0 keeps serving", audited.Message, StringComparison.Ordinal);
        Assert.Equal(("False", ConditionReasons.TerminalAuditFailed), Condition(refused, ConditionTypes.Ready));
        Assert.Equal(("1.0.0", firstSha), (refused.Status.DeployedVersion, refused.Status.ArtifactSha256));
        Assert.Equal(servingCode, await CodeSha256Async(client, api));
        Assert.DoesNotContain(SecretKey, KubernetesJson.Serialize(planted), StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, KubernetesJson.Serialize(refused), StringComparison.Ordinal);

        // The reports, read from the client account's project bucket as the client (or a regulator) would.
        var report = planted.Status.ReportRef!.S3!;
        Assert.Equal(first.Status.Storage!.BucketName, report.Bucket);
        var markdown = await DownloadAsync(client, report.Bucket!, report.Key!);
        Assert.Contains("**FAILED**", markdown, StringComparison.Ordinal);
        Assert.Contains("SQL injection (blocks deployment)", markdown, StringComparison.Ordinal);
        Assert.Contains(plantedSha, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, markdown, StringComparison.Ordinal);
        var prefix = report.Key![..^"report.md".Length];
        using (var sarif = JsonDocument.Parse(await DownloadAsync(client, report.Bucket!, prefix + "report.sarif")))
        {
            var results = sarif.RootElement.GetProperty("runs").EnumerateArray().SelectMany(r => r.GetProperty("results").EnumerateArray()).ToList();
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == Sql);
        }

        Assert.DoesNotContain(SecretKey, await DownloadAsync(client, report.Bucket!, prefix + "report.json"), StringComparison.Ordinal);

        // Bad input at the gate. A wrong digest and a missing artifact stop at the Project's own artifact check: no AuditRun is
        // created, nothing is deployed. An AuditRun in another namespace cannot reach this Project.
        var runsBefore = (await RunsAsync(ns)).Count;
        await ProjectApi.PatchSpecAsync(world.Client, ns, "shop", Version("1.1.1", "examples/shop/1.1.0.zip", new string('a', 64)));
        var mismatch = await ProjectApi.WaitAsync(world.Client, ns, "shop",
            p => Condition(p, ConditionTypes.ArtifactVerified).Reason == ConditionReasons.TerminalArtifactMismatch, TenantWorld.Converge, Diagnostics);
        Assert.Equal("NotReached", Condition(mismatch, ConditionTypes.Audited).Reason);
        await ProjectApi.PatchSpecAsync(world.Client, ns, "shop", Version("1.1.2", "examples/shop/9.9.9.zip", new string('b', 64)));
        var missing = await ProjectApi.WaitAsync(world.Client, ns, "shop",
            p => Condition(p, ConditionTypes.ArtifactVerified).Reason == ConditionReasons.TerminalArtifactNotFound, TenantWorld.Converge, Diagnostics);
        Assert.Equal(("1.0.0", firstSha), (missing.Status!.DeployedVersion, missing.Status.ArtifactSha256));
        Assert.Equal(runsBefore, (await RunsAsync(ns)).Count);
        Assert.Equal(servingCode, await CodeSha256Async(client, api));

        await world.ApplyAsync($"""
            apiVersion: openkbs.com/v1alpha1
            kind: AuditRun
            metadata:
              name: foreign
              namespace: {other}
            spec:
              projectRef:
                name: shop
              version: 1.1.0
              source:
                s3:
                  bucket: openkbs-artifacts
                  key: examples/shop/1.1.0.zip
                sha256: {plantedSha}
            """);
        var foreign = await WaitRunAsync(world, other, "foreign", Diagnostics);
        var why = foreign.Status!.Conditions.Single(c => c.Type == ConditionTypes.Ready);
        Assert.Equal((AuditPhase.Error, "TerminalProjectNotFound"), (foreign.Status.Phase, why.Reason));
        Assert.Contains($"Project 'shop' does not exist in namespace '{other}'", why.Message, StringComparison.Ordinal);
        Assert.Null(foreign.Status.ReportRef);
        Assert.Null(foreign.Status.Findings);

        // The fixed version: its own AuditRun passes and it deploys; the function runs the new code.
        var fixedSha = await world.UploadArtifactAsync("examples/shop/1.2.0.zip", Files("1.2.0", FixedOrders));
        await ProjectApi.PatchSpecAsync(world.Client, ns, "shop", Version("1.2.0", "examples/shop/1.2.0.zip", fixedSha));
        var deployed = await ProjectApi.WaitAsync(world.Client, ns, "shop",
            p => p.Status?.DeployedVersion == "1.2.0" && ProjectApi.IsReady(p), TenantWorld.Converge, Diagnostics);
        Assert.Equal(fixedSha, deployed.Status!.ArtifactSha256);
        Assert.Equal(("True", ConditionReasons.AuditPassed), Condition(deployed, ConditionTypes.Audited));
        var fixedRun = (await KubeObjects.GetOrNullAsync<AuditRun>(world.Client, ns, AuditRun.KubePlural, $"shop-1-2-0-{fixedSha[..12]}"))!;
        Assert.Equal(AuditPhase.Passed, fixedRun.Status!.Phase);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(fixedSha)), await CodeSha256Async(client, api));
        Assert.Equal(3, (await RunsAsync(ns)).Count); // 1.0.0, 1.1.0, 1.2.0: one each, none for the bad inputs
        output.WriteLine(string.Join("\n", (await RunsAsync(ns)).Select(Describe)));
    }

    private static IReadOnlyDictionary<string, string> Files(string marker, string orders) =>
        new Dictionary<string, string>(TenantWorld.ShopFiles(marker)) { ["orders.js"] = orders };

    private static string Version(string version, string key, string sha256) =>
        $"{{\"version\":\"{version}\",\"source\":{{\"s3\":{{\"bucket\":\"openkbs-artifacts\",\"key\":\"{key}\"}},\"sha256\":\"{sha256}\"}}}}";

    private static (string Status, string Reason) Condition(Project project, string type) =>
        ProjectApi.Condition(project, type) is { } c ? (c.Status, c.Reason) : (string.Empty, string.Empty);

    private static string Describe(AuditRun run) =>
        $"{run.Metadata.Name} {run.Status?.Phase} critical={run.Status?.Findings?.Critical} "
        + string.Join("; ", run.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason} {c.Message}") ?? []);

    private async Task<IReadOnlyList<AuditRun>> RunsAsync(string ns)
    {
        var raw = await sandbox.Client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, ns, AuditRun.KubePlural);
        using var list = JsonDocument.Parse(((JsonElement)raw).GetRawText());
        return [.. list.RootElement.GetProperty("items").EnumerateArray().Select(i => KubernetesJson.Deserialize<AuditRun>(i.GetRawText()))];
    }

    private static async Task<AuditRun> WaitRunAsync(TenantWorld world, string ns, string name, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + TenantWorld.Converge;
        while (true)
        {
            var run = await KubeObjects.GetOrNullAsync<AuditRun>(world.Client, ns, AuditRun.KubePlural, name);
            if (run?.Status?.CompletedAt is not null)
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"AuditRun {ns}/{name} did not finish: {(run is null ? "gone" : Describe(run))}\n{diagnostics()}");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<string> CodeSha256Async(AccountSession client, string function) =>
        (await client.JsonAsync("lambda", "get-function", "--function-name", function)).GetProperty("Configuration").GetProperty("CodeSha256").GetString()!;

    private async Task<string> DownloadAsync(AccountSession client, string bucket, string key)
    {
        var file = Path.Combine(sandbox.WorkDirectory, "report-" + Guid.NewGuid().ToString("N")[..8]);
        var got = await client.RunAsync("s3api", "get-object", "--bucket", bucket, "--key", key, file);
        Assert.True(got.ExitCode == 0, got.ToString());
        return await File.ReadAllTextAsync(file);
    }
}
