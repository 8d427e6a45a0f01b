using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;
using OpenKbs.Operator.Commands;
using OpenKbs.Operator.Nis2;
using OpenKbs.Testing;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>The sandbox API server with the repository's CRDs installed.</summary>
public sealed class Nis2Sandbox : SandboxFixture
{
    protected override IEnumerable<string> CrdDirectories => [RepositoryCrdsDirectory];
}

/// <summary>One PostgreSQL audit store for the class (each test writes its own namespace's records).</summary>
public sealed class Nis2Store : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.CreateAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// `openkbs nis2 report` against the sandbox API server (objects created through the API, status written through the status
/// subresource the way the operator does) and a real PostgreSQL audit store: a fully evidenced tenant, then each piece of
/// evidence flipped and the matching measure turning partly or not covered.
/// </summary>
public sealed class Nis2ReportCommandTests(Nis2Sandbox sandbox, Nis2Store store) : IClassFixture<Nis2Sandbox>, IClassFixture<Nis2Store>
{
    private const string Sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Without AWS (<c>--no-aws</c>) every AWS item shows the status and says "not verified live": nothing read from AWS is
    /// claimed, so the measures resting on AWS are at best partly (Nis2LiveReportTests reads AWS).</summary>
    [Fact]
    public async Task Without_AWS_a_fully_recorded_tenant_gets_each_measure_answered_each_AWS_item_not_verified_live_and_a_seal_that_matches()
    {
        var ns = await TenantAsync();
        await RecordChangesAsync(ns, 3);
        var file = Path.Combine(sandbox.WorkDirectory, ns + ".md");

        var (code, output, error) = await ReportAsync(ns, file);

        Assert.True(code == 0, error);
        Assert.Empty(output);
        var report = await File.ReadAllTextAsync(file);
        Assert.Equal(["partly", "partly", "partly", "evidenced", "evidenced", "partly", "partly", "partly", "partly", "not covered"], Verdicts(report));
        Assert.Contains("database okbs-shop standby: okbs-shop-r1 in eu-central-1b (available), writer okbs-shop-w1 in eu-central-1a (as last recorded in status; not verified live: AWS not read (--no-aws))", report, StringComparison.Ordinal);
        Assert.Contains("bucket okbs-shop versioning not verified live", Rows(report)[2], StringComparison.Ordinal);
        Assert.DoesNotContain("(read live from AWS)", report, StringComparison.Ordinal);
        Assert.Contains("restorable from 2026-11-28T12:00:00Z to 2026-12-05T11:55:00Z", report, StringComparison.Ordinal);
        Assert.Contains("region guardrail SCP p-guard1", report, StringComparison.Ordinal);
        Assert.Contains("AuditRun shop-1-0-0 Passed", report, StringComparison.Ordinal);
        Assert.Matches(@"audit-trail chain verification: chain intact: \d+ record\(s\)", report);
        Assert.Contains("records of this namespace: 6", report, StringComparison.Ordinal);
        Assert.Contains("API key partner (fingerprint abcd1234) created 2026-11-20T12:00:00Z, 15 days old", report, StringComparison.Ordinal);

        var seal = report.IndexOf(Nis2Markdown.SealPrefix, StringComparison.Ordinal);
        Assert.Equal(Nis2Markdown.Seal(report[..seal]), report[(seal + Nis2Markdown.SealPrefix.Length)..].Trim());
        Assert.Contains(report[(seal + Nis2Markdown.SealPrefix.Length)..].Trim(), error, StringComparison.Ordinal);
        Assert.Contains("2 evidenced, 7 partly, 1 not covered", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, char, string, string> Flips => new()
    {
        { "versioning suspended", "projects/shop", 'c', "not covered", """{"status":{"storage":{"versioning":"Suspended"}}}""" },
        { "guardrail detached", "clientaccounts/acme", 'a', "not covered", """{"status":{"guardrailPolicyId":null}}""" },
        { "backup retention shortened", "projects/shop", 'c', "partly", """{"status":{"database":{"backupRetentionDays":3}}}""" },
        { "standby gone", "projects/shop", 'c', "partly", """{"status":{"database":{"standby":null}}}""" },
        { "PITR stale", "projects/shop", 'c', "partly", """{"status":{"database":{"latestRestorableTime":"2026-12-01T00:00:00Z"}}}""" },
        { "bucket not encrypted with the project key", "projects/shop", 'h', "not covered", """{"status":{"storage":{"encryption":"AES256","kmsKeyArn":null}}}""" },
        { "bucket public access not blocked", "projects/shop", 'g', "not covered", """{"status":{"storage":{"publicAccessBlocked":false}}}""" },
        { "a new artifact deployed, not audited", "projects/shop", 'e', "not covered", """{"status":{"artifactSha256":"0000000000000000000000000000000000000000000000000000000000000000"}}""" },
        { "the audit found critical issues", "auditruns/shop-1-0-0", 'e', "partly", """{"status":{"phase":"Failed","findings":{"critical":2,"high":0,"medium":0,"low":0}}}""" },
        { "an old API key", "projects/shop", 'i', "partly", """{"status":{"apiKeys":[{"name":"partner","fingerprint":"abcd1234","sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","secretRef":{"name":"shop-api-key-partner","key":"apiKey"},"createdAt":"2026-01-01T00:00:00Z"}]}}""" },
    };

    [Theory]
    [MemberData(nameof(Flips))]
    public async Task Flipping_one_piece_of_evidence_turns_the_matching_measure(string name, string target, char letter, string verdict, string statusPatch)
    {
        var ns = await TenantAsync();
        await RecordChangesAsync(ns, 1);
        var (_, before, _) = await ReportAsync(ns);

        var (plural, objectName) = (target.Split('/')[0], target.Split('/')[1]);
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(statusPatch, V1Patch.PatchType.MergePatch), ApiGroup.Name, ApiGroup.Version, ns, plural, objectName);
        var (code, after, error) = await ReportAsync(ns);

        Assert.True(code == 0, error);
        Assert.True(verdict == Verdicts(after)[letter - 'a'], $"{name}: ({letter}) is {Verdicts(after)[letter - 'a']}\n{after}");
        Assert.NotEqual(Rows(before)[letter - 'a'], Rows(after)[letter - 'a']);
    }

    [Fact]
    public async Task A_broken_audit_chain_and_a_missing_store_leave_incident_handling_not_covered()
    {
        // Its own store: breaking the chain must not touch the other tests'.
        await using var own = await PostgresServer.CreateAsync();
        var ns = await TenantAsync();
        await RecordChangesAsync(ns, 2, own);
        Assert.Equal("partly", Verdicts((await ReportAsync(ns, own: own)).Output)[1]);

        await own.PsqlAsync("ALTER TABLE openkbs_audit.record DISABLE TRIGGER USER; UPDATE openkbs_audit.record SET outcome = 'Failure' WHERE seq = 2; "
            + "ALTER TABLE openkbs_audit.record ENABLE TRIGGER USER;");
        var broken = (await ReportAsync(ns, own: own)).Output;
        Assert.Equal("not covered", Verdicts(broken)[1]);
        Assert.Contains("chain is broken", broken, StringComparison.Ordinal);

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await Nis2ReportCommand.RunAsync(sandbox.Client, null, ns, null, Now, output, error, CancellationToken.None));
        Assert.Equal("not covered", Verdicts(output.ToString())[1]);
        Assert.Contains("no audit store given", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Not_A_Namespace", "is not a namespace name")]
    [InlineData("", "is not a namespace name")]
    [InlineData("nobody-here", "holds no ClientAccount and no Project")]
    public async Task Bad_input_is_refused_and_writes_no_file(string ns, string message)
    {
        var file = Path.Combine(sandbox.WorkDirectory, $"bad-{Guid.NewGuid():N}.md");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await Nis2ReportCommand.RunAsync(sandbox.Client, store.Server.ConnectionString(), ns, file, Now, output, error, CancellationToken.None));

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task The_json_report_matches_the_markdown_lists_open_incidents_with_their_clocks_and_its_seal_is_listed_and_checkable()
    {
        var ns = await TenantAsync();
        await RecordChangesAsync(ns, 1);
        await using (var source = Npgsql.NpgsqlDataSource.Create(store.Server.ConnectionString()))
        {
            await PostgresIncidentStore.OpenAsync(source, new IncidentReport
            {
                Namespace = ns,
                Cause = IncidentCauses.BucketMadePublic,
                Subject = "Project/shop/bucket/okbs-shop",
                Summary = "the public access block of bucket okbs-shop was found removed",
                DetectedAt = Now.AddHours(-2),
                Actor = new AwsActor { Controller = "project", Namespace = ns, Kind = "Project", Name = "shop" },
            }, "test", CancellationToken.None);
            await PostgresIncidentStore.CauseClearedAsync(source, new IncidentClearance
            {
                Namespace = ns,
                Cause = IncidentCauses.BucketMadePublic,
                Subject = "Project/shop/bucket/okbs-shop",
                How = "public access block of bucket okbs-shop put back by the operator",
                Actor = new AwsActor { Controller = "project", Namespace = ns, Kind = "Project", Name = "shop" },
            }, CancellationToken.None);
        }

        var json = Path.Combine(sandbox.WorkDirectory, ns + ".json");
        var markdown = Path.Combine(sandbox.WorkDirectory, ns + "-report.md");
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await Nis2ReportCommand.RunAsync(sandbox.Client, store.Server.ConnectionString(), ns, "json", json, Now, output, error, null, CancellationToken.None));
        var (mdCode, _, mdError) = await ReportAsync(ns, markdown);
        Assert.True(mdCode == 0, mdError);
        Assert.Contains("seal listed in the audit store", error.ToString(), StringComparison.Ordinal);

        var text = await File.ReadAllTextAsync(json);
        var report = JsonNode.Parse(text)!;
        var md = await File.ReadAllTextAsync(markdown);
        Assert.Equal(Verdicts(md), report["measures"]!.AsArray().Select(m => (string)m!["verdict"]!).ToArray());
        var incident = report["incidents"]!.AsArray().Single()!;
        Assert.Equal(("Open", IncidentCauses.BucketMadePublic), ((string)incident["state"]!, (string)incident["cause"]!));
        Assert.Equal(["early warning|2026-12-06T10:00:00Z|in 22h 0m", "notification|2026-12-08T10:00:00Z|in 2d 22h", "final report|2027-01-05T10:00:00Z|in 30d 22h"],
            incident["deadlines"]!.AsArray().Select(d => $"{d!["name"]}|{d["due"]}|{d["clock"]}").ToArray());
        Assert.Contains("incident records (Art. 23): 1 open, 0 closed", md, StringComparison.Ordinal);
        var clearedAt = (string)incident["causeClearedAt"]!;
        Assert.Equal(($"{ns}/Project/shop", "public access block of bucket okbs-shop put back by the operator"), ((string)incident["causeClearedBy"]!, (string)incident["causeClearedHow"]!));
        Assert.Contains(
            $"BucketMadePublic of Project/shop/bucket/okbs-shop, detected 2026-12-05T10:00:00Z; cause cleared at {clearedAt} (public access block of bucket okbs-shop put back by the operator), "
            + "awaiting closure; early warning due 2026-12-06T10:00:00Z (in 22h 0m)",
            md, StringComparison.Ordinal);

        // The seal: what jq gives back, and what `nis2 check` finds listed in the store.
        var seal = (string)report["sha256"]!;
        Assert.Equal(seal, await JqSealAsync(json));
        Assert.Contains(seal, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("2", (await store.Server.PsqlAsync($"SELECT count(*) FROM openkbs_audit.report_seal WHERE namespace = '{ns}'")).Trim());
        Assert.Equal((0, "unchanged"), await CheckAsync(json));
        Assert.Equal((0, "unchanged"), await CheckAsync(markdown));

        // A changed copy, and a well-sealed report the store never listed, are refused.
        await File.WriteAllTextAsync(json, text.Replace("\"partly\"", "\"evidenced\"", StringComparison.Ordinal));
        Assert.Equal((1, "was changed"), await CheckAsync(json));
        var unlisted = Path.Combine(sandbox.WorkDirectory, ns + "-unlisted.md");
        await File.WriteAllTextAsync(unlisted, Nis2Markdown.Render(await Nis2Evidence.CollectAsync(sandbox.Client, ns, null, CancellationToken.None), [], Now));
        Assert.Equal((1, "never listed"), await CheckAsync(unlisted));
    }

    [Fact]
    public async Task An_unknown_format_is_refused_and_writes_no_file()
    {
        var ns = await TenantAsync();
        var file = Path.Combine(sandbox.WorkDirectory, $"bad-{Guid.NewGuid():N}.xml");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await Nis2ReportCommand.RunAsync(sandbox.Client, store.Server.ConnectionString(), ns, "xml", file, Now, output, error, null, CancellationToken.None));

        Assert.Contains("--format 'xml' is not md or json", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    private async Task<(int Code, string Word)> CheckAsync(string file)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Nis2Check.RunAsync(store.Server.ConnectionString(), file, output, error, CancellationToken.None);
        var text = output + error.ToString();
        var word = new[] { "unchanged", "was changed", "never listed" }.FirstOrDefault(w => text.Contains(w, StringComparison.Ordinal)) ?? text;
        return (code, word);
    }

    /// <summary>The documented check: <c>jq -cj 'del(.sha256)' FILE | sha256sum</c>.</summary>
    private static async Task<string> JqSealAsync(string file)
    {
        using var jq = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("jq", ["-cj", "del(.sha256)", file]) { RedirectStandardOutput = true })!;
        using var bytes = new MemoryStream();
        await jq.StandardOutput.BaseStream.CopyToAsync(bytes);
        await jq.WaitForExitAsync();
        Assert.Equal(0, jq.ExitCode);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
    }

    /// <summary>The ten rows of the summary table, (a) to (j).</summary>
    internal static string[] Rows(string report) => [.. report.Split('\n').Where(l => l.StartsWith("| (", StringComparison.Ordinal))];

    /// <summary>The ten verdict words of the summary table, (a) to (j).</summary>
    internal static string[] Verdicts(string report) => [.. Rows(report).Select(l => l.Split(" | ")[1])];

    private async Task<(int Code, string Output, string Error)> ReportAsync(string ns, string? file = null, PostgresServer? own = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Nis2ReportCommand.RunAsync(sandbox.Client, (own ?? store.Server).ConnectionString(), ns, file, Now, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task RecordChangesAsync(string ns, int count, PostgresServer? own = null)
    {
        await using var journal = new PostgresAuditJournal(
            Options.Create(new AuditStoreOptions { ConnectionString = (own ?? store.Server).ConnectionString(), OperatorIdentity = "test" }), NullLogger<PostgresAuditJournal>.Instance);
        for (var i = 0; i < count; i++)
        {
            var record = new AuditRecord
            {
                Time = Now.AddHours(-i),
                Action = "rds:CreateDBInstance",
                Resource = "arn:aws:rds:eu-central-1:111111111111:db:okbs-shop-r1",
                Details = AuditDetails.Empty,
                Actor = new AwsActor { Controller = "Project", Namespace = ns, Kind = "Project", Name = "shop" },
                SourceIp = "10.0.0.7",
                Region = "eu-central-1",
                Outcome = AuditOutcome.Pending,
            };
            var intent = await journal.AppendIntentAsync(record, CancellationToken.None);
            await journal.AppendOutcomeAsync(intent, record with { Outcome = AuditOutcome.Success }, CancellationToken.None);
        }
    }

    /// <summary>A namespace holding one client with everything in place, created through the API server as users and the operator would.</summary>
    private async Task<string> TenantAsync()
    {
        var ns = await sandbox.CreateNamespaceAsync("nis2");
        var account = new ClientAccount
        {
            Metadata = new V1ObjectMeta { Name = "acme", NamespaceProperty = ns },
            Spec = new ClientAccountSpec { Email = "aws+acme@example.com", Region = EuRegions.EuCentral1, AllowedRegions = [EuRegions.EuCentral1] },
        };
        await CreateAsync(ns, ClientAccount.KubePlural, account, new ClientAccountStatus
        {
            AccountId = "111111111111",
            State = AccountState.Active,
            GuardrailPolicyId = "p-guard1",
            Conditions = [Condition(ConditionTypes.Ready), Condition(ConditionTypes.GuardrailsApplied)],
            ObservedGeneration = 1,
        });
        var project = new Project
        {
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = ns },
            Spec = new ProjectSpec
            {
                ClientAccountRef = new LocalObjectReference { Name = "acme" },
                Version = "1.0.0",
                Audit = new ProjectAuditSpec { Required = true },
                Storage = new StorageSpec { NoncurrentVersionRetentionDays = 30 },
                Database = new DatabaseSpec { Enabled = true, BackupRetentionDays = 7, StandbyReplica = true },
                ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }],
            },
        };
        await CreateAsync(ns, Project.KubePlural, project, new ProjectStatus
        {
            AccountId = "111111111111",
            Region = EuRegions.EuCentral1,
            DeployedVersion = "1.0.0",
            ArtifactSha256 = Sha,
            Storage = new StorageStatus
            {
                BucketName = "okbs-shop", BucketArn = "arn:aws:s3:::okbs-shop", Versioning = "Enabled", Encryption = "aws:kms", PublicAccessBlocked = true,
                KmsKeyArn = "arn:aws:kms:eu-central-1:111111111111:key/1",
            },
            Database = new DatabaseStatus
            {
                ClusterIdentifier = "okbs-shop", Status = "available", BackupRetentionDays = 7, DeletionProtection = true,
                EarliestRestorableTime = Now.AddDays(-7).UtcDateTime, LatestRestorableTime = Now.AddMinutes(-5).UtcDateTime,
                WriterInstance = "okbs-shop-w1", WriterAvailabilityZone = "eu-central-1a",
                Standby = new DatabaseStandbyStatus { InstanceIdentifier = "okbs-shop-r1", AvailabilityZone = "eu-central-1b", Status = "available" },
            },
            ApiKeys = [new ApiKeyStatus { Name = "partner", Fingerprint = "abcd1234", Sha256 = Sha, SecretRef = new SecretKeyReference { Name = "shop-api-key-partner", Key = "apiKey" }, CreatedAt = Now.AddDays(-15).UtcDateTime }],
            Conditions = [Condition(ConditionTypes.Ready), Condition(ConditionTypes.ArtifactVerified), Condition(ConditionTypes.StorageReady), Condition(ConditionTypes.DatabaseReady), Condition(ConditionTypes.KeysRotated)],
            ObservedGeneration = 1,
        });
        var run = new AuditRun
        {
            Metadata = new V1ObjectMeta { Name = "shop-1-0-0", NamespaceProperty = ns },
            Spec = new AuditRunSpec { ProjectRef = new LocalObjectReference { Name = "shop" }, Version = "1.0.0" },
        };
        await CreateAsync(ns, AuditRun.KubePlural, run, new AuditRunStatus
        {
            Phase = AuditPhase.Passed,
            Version = "1.0.0",
            ArtifactSha256 = Sha,
            Findings = new FindingCounts { Medium = 1 },
            StartedAt = Now.AddDays(-1).UtcDateTime,
            CompletedAt = Now.AddDays(-1).AddMinutes(2).UtcDateTime,
            ObservedGeneration = 1,
        });
        return ns;
    }

    private Task CreateAsync<T>(string ns, string plural, T resource, object status)
        where T : IKubernetesObject<V1ObjectMeta> => CreateAsync(sandbox.Client, ns, plural, resource, status);

    /// <summary>Creates <paramref name="resource"/> through the API and writes <paramref name="status"/> through the status subresource, as the operator does.</summary>
    internal static async Task CreateAsync<T>(IKubernetes client, string ns, string plural, T resource, object status)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Name, ApiGroup.Version, ns, plural);
        var patch = new JsonObject { ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)) };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Name, ApiGroup.Version, ns, plural, resource.Metadata.Name);
    }

    private static V1Condition Condition(string type) =>
        new() { Type = type, Status = "True", Reason = ConditionReasons.Available, Message = "ready", LastTransitionTime = Now.AddDays(-1).UtcDateTime, ObservedGeneration = 1 };
}
