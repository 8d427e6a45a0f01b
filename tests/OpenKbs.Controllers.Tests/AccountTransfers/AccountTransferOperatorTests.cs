using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

/// <summary>
/// The whole hand-over in the sandbox: the operator in process behind the AWS chaos proxy (realism on, the mailbox in a
/// folder), the example tenant (a ClientAccount and a Project with functions, bucket, database, CDN, schedule and API key),
/// driven with kubectl as the client would and checked with the aws CLI.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountTransferOperatorTests(MotoServerFixture moto, CrdSandboxFixture sandbox, ITestOutputHelper output) : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    private const string Role = "OrganizationAccountAccessRole";
    private readonly string _mail = Path.Combine(Path.GetTempPath(), "openkbs-xfer-mail-" + Guid.NewGuid().ToString("N")[..8]);
    private AwsChaosProxy? _proxy;

    private AwsChaosProxy Proxy => _proxy!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await SandboxAws.BootstrapAsync(moto.Endpoint, Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples"), TextWriter.Null);
        _proxy = await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions
        {
            Backend = moto.Endpoint,
            Spec = AwsChaosSpec.Parse("realism=on,org-polls=0,lambda-polls=1,cloudfront-polls=1,rds-polls=1,empty-pages=0"),
            MailDirectory = _mail,
        });
    }

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        if (Directory.Exists(_mail))
        {
            Directory.Delete(_mail, recursive: true);
        }
    }

    [Fact]
    public async Task The_account_is_handed_over_step_by_step_nothing_is_lost_and_AWS_is_never_called_for_it_again()
    {
        var ns = await sandbox.CreateNamespaceAsync("xfer");
        await using var op = await StartOperatorAsync(ns);
        await ApplyTenantAsync(ns);
        var project = await WaitAsync<Project>(ns, Project.KubePlural, "shop", p => IsReady(p?.Status?.Conditions), TimeSpan.FromMinutes(3));
        var accountId = project!.Status!.AccountId!;
        var bucket = project.Status.Storage!.BucketName!;
        var member = await SessionAsync(accountId);
        await PutVersionsAsync(member, bucket);

        // The transfer, with no confirmations yet: preflight holds everything, the code goes to the client's mailbox.
        await KubectlAsync(Transfer(ns, "it@acme.example"), "apply", "-f", "-");
        var transfer = await WaitTransferAsync(ns, t => Step(t, TransferStepName.VerifyEmail)?.State == TransferStepState.Waiting);
        Assert.Equal(TransferPhase.VerifyingEmail, transfer.Status!.Phase);
        Assert.Contains($"kubectl -n {ns} create secret generic acme-handover-code --from-literal=code=<CODE>", Step(transfer, TransferStepName.VerifyEmail)!.Message, StringComparison.Ordinal);
        Assert.Equal(["shop"], transfer.Status.HeldProjects);
        Assert.Equal(ConditionReasons.OnTransferHold, Synced((await GetAsync<Project>(ns, Project.KubePlural, "shop"))!.Status!.Conditions)?.Reason);
        Assert.Equal(ConditionReasons.OnTransferHold, Synced((await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme"))!.Status!.Conditions)?.Reason);
        var code = ReadCodeFromMailbox("it@acme.example");

        // A wrong code first: a precise wait, nothing changes; then the right one.
        await KubectlAsync(null, "-n", ns, "create", "secret", "generic", "acme-code", "--from-literal=code=WRONG1");
        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "acme-handover", "--type", "merge", "-p",
            "{\"spec\":{\"confirmations\":{\"verificationCodeSecretRef\":{\"name\":\"acme-code\",\"key\":\"code\"}}}}");
        transfer = await WaitTransferAsync(ns, t => Step(t, TransferStepName.VerifyEmail)?.Message?.Contains("AWS refused the code", StringComparison.Ordinal) == true);
        Assert.Equal("aws+acme@example.com", Json(await CliAsync("account", "get-primary-email", "--account-id", accountId)).GetProperty("PrimaryEmail").GetString());
        await KubectlAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: acme-code\n  namespace: {ns}\nstringData:\n  code: {code}\n", "apply", "-f", "-");
        transfer = await WaitTransferAsync(ns, t => Step(t, TransferStepName.StandaloneReadiness)?.State == TransferStepState.Waiting);
        Assert.Equal("it@acme.example", Json(await CliAsync("account", "get-primary-email", "--account-id", accountId)).GetProperty("PrimaryEmail").GetString());
        Assert.DoesNotContain(code, KubernetesJson.Serialize(transfer), StringComparison.Ordinal);
        Assert.Contains("passwordSet", Step(transfer, TransferStepName.StandaloneReadiness)!.Message, StringComparison.Ordinal);

        // The client confirms and approves; AWS still refuses until the account can stand alone.
        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "acme-handover", "--type", "merge", "-p",
            "{\"spec\":{\"confirmations\":{\"passwordSet\":true,\"standaloneReady\":true,\"removalApproved\":true}}}");
        transfer = await WaitTransferAsync(ns, t => Step(t, TransferStepName.RemoveFromOrganization)?.State == TransferStepState.Waiting);
        Assert.Equal(TransferPhase.AwaitingClient, transfer.Status!.Phase);
        Assert.Contains("verify the phone number", Step(transfer, TransferStepName.RemoveFromOrganization)!.Message, StringComparison.Ordinal);
        Proxy.Engine.SetStandaloneReadiness(accountId, StandaloneReadiness.Complete);

        // Removal, report, then the wait for the client to delete the role.
        transfer = await WaitTransferAsync(ns, t => Step(t, TransferStepName.AccessRevoked)?.State == TransferStepState.Waiting);
        Assert.Equal(TransferPhase.AwaitingAccessRevocation, transfer.Status!.Phase);
        Assert.Contains($"aws iam delete-role --role-name {Role}", Step(transfer, TransferStepName.AccessRevoked)!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Json(await CliAsync("organizations", "list-accounts")).GetProperty("Accounts").EnumerateArray(), a => a.GetProperty("Id").GetString() == accountId);
        var report = transfer.Status.Report!;
        var json = await DownloadAsync(member, report.S3!.Bucket, report.S3.Key + ".json");
        Assert.Equal(report.JsonSha256, Convert.ToHexStringLower(SHA256.HashData(json)));
        using (var document = JsonDocument.Parse(json))
        {
            Assert.True(document.RootElement.GetProperty("comparison").GetProperty("matches").GetBoolean(), document.RootElement.GetProperty("comparison").ToString());
            var before = document.RootElement.GetProperty("inventory").GetProperty("before");
            Assert.Equal(3, before.GetProperty("functions").GetArrayLength()); // the two client functions and the project's access function
            Assert.True(before.GetProperty("buckets")[0].GetProperty("versions").GetInt64() >= 3);
            Assert.Equal("available", before.GetProperty("databaseClusters")[0].GetProperty("status").GetString());
        }

        var summary = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("acme-handover-handover", ns);
        Assert.Equal(report.JsonSha256, summary.Data["report.json.sha256"]);
        Assert.Equal(report.MarkdownSha256, Convert.ToHexStringLower(SHA256.HashData(await DownloadAsync(member, report.S3.Bucket, report.S3.Key + ".md"))));

        // The client deletes the role from inside its account; OpenKBS notices and releases everything.
        var deleted = await AwsCli.RunAsync(Proxy.Endpoint, ["iam", "delete-role", "--role-name", Role], member);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        transfer = await WaitTransferAsync(ns, t => t?.Status?.Phase == TransferPhase.Completed);
        var calls = op.Log.Operations.Count;
        Assert.Equal(TransferPlan.Order, transfer.Status!.Steps!.Select(s => s.Name));
        Assert.All(transfer.Status.Steps!, s => Assert.Equal(TransferStepState.Succeeded, s.State));
        var times = transfer.Status.Steps!.Select(s => s.LastTransitionTime!.Value).ToList();
        Assert.Equal(times.Order(), times);
        Assert.True(IsReady(transfer.Status.Conditions));
        output.WriteLine(string.Join("\n", transfer.Status.Steps!.Select(s => $"{s.LastTransitionTime:O} {s.Name}: {s.Message}")));

        var account = await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme");
        Assert.Equal(AccountState.Transferred, account!.Status!.State);
        Assert.DoesNotContain(Finalizers.Default, account.Metadata.Finalizers ?? []);
        var released = await WaitAsync<Project>(ns, Project.KubePlural, "shop", p => p?.Status?.TransferredAt is not null);
        Assert.DoesNotContain(Finalizers.Default, released!.Metadata.Finalizers ?? []);
        var table = await KubectlAsync(null, "get", "ca,proj", "-n", ns);
        Assert.Matches($@"acme\s+{accountId}\s+aws\+acme@example.com\s+Transferred", table);

        // Deleting them afterwards makes no AWS call, and nothing else calls AWS for the account any more.
        await KubectlAsync(null, "delete", "proj,ca", "--all", "-n", ns, "--wait=false");
        await WaitAsync<Project>(ns, Project.KubePlural, "shop", p => p is null);
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", a => a is null);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(calls, op.Log.Operations.Count);

        // The client's functions still run in its account.
        var function = await AwsCli.RunAsync(Proxy.Endpoint, ["lambda", "get-function", "--function-name", project.Status.Functions![0].Arn!, "--region", "eu-central-1"], member);
        Assert.True(function.ExitCode == 0, function.ToString());
    }

    private async Task<OperatorHarness> StartOperatorAsync(string ns) => await OperatorHarness.StartAsync(sandbox, Proxy.Endpoint, [ns], new Dictionary<string, string?>
    {
        ["Project:ArtifactBucket"] = SandboxAws.ArtifactBucket,
        ["Project:WaitForLambda"] = "00:00:00.300",
        ["Project:WaitForIamPropagation"] = "00:00:00.300",
        ["Project:WaitForDatabase"] = "00:00:00.300",
        ["Project:WaitForDistribution"] = "00:00:00.300",
        ["Project:WaitForAccount"] = "00:00:00.500",
        ["AccountTransfer:WaitForClient"] = "00:00:01",
        ["AccountTransfer:WaitForHolds"] = "00:00:00.300",
        ["AccountTransfer:WaitBeforeLeaveRetry"] = "00:00:01",
        ["AccountTransfer:AccessCheckInterval"] = "00:00:01",
    });

    private async Task ApplyTenantAsync(string ns)
    {
        var tenant = await File.ReadAllTextAsync(Path.Combine(SandboxFixture.RepositoryRoot(), "docs", "examples", "tenant.yaml"));
        var manifests = tenant.Replace("namespace: acme", $"namespace: {ns}", StringComparison.Ordinal);
        manifests = manifests[manifests.IndexOf("apiVersion: openkbs.com", StringComparison.Ordinal)..];
        await KubectlAsync(manifests, "apply", "-f", "-");
    }

    private static string Transfer(string ns, string email) =>
        $"apiVersion: openkbs.com/v1alpha1\nkind: AccountTransfer\nmetadata:\n  name: acme-handover\n  namespace: {ns}\nspec:\n  clientAccountRef:\n    name: acme\n  newRootEmail: {email}\n";

    private string ReadCodeFromMailbox(string address)
    {
        // What the client reads: the newest file of the mailbox folder.
        var file = Directory.GetFiles(Path.Combine(_mail, address)).Order(StringComparer.Ordinal).Last();
        var line = File.ReadAllLines(file).Single(l => l.StartsWith("Verification code: ", StringComparison.Ordinal));
        return line["Verification code: ".Length..];
    }

    private async Task<IReadOnlyDictionary<string, string>> SessionAsync(string accountId)
    {
        var credentials = Json(await CliAsync("sts", "assume-role", "--role-arn", $"arn:aws:iam::{accountId}:role/{Role}", "--role-session-name", "client", "--duration-seconds", "900"))
            .GetProperty("Credentials");
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!,
        };
    }

    private async Task PutVersionsAsync(IReadOnlyDictionary<string, string> member, string bucket)
    {
        var file = Path.Combine(sandbox.WorkDirectory, "order.json");
        foreach (var version in new[] { "1", "2" })
        {
            await File.WriteAllTextAsync(file, $"{{\"order\":{version}}}");
            var put = await AwsCli.RunAsync(Proxy.Endpoint, ["s3api", "put-object", "--bucket", bucket, "--key", "orders/1.json", "--body", file, "--region", "eu-central-1"], member);
            Assert.True(put.ExitCode == 0, put.ToString());
        }
    }

    private async Task<byte[]> DownloadAsync(IReadOnlyDictionary<string, string> member, string bucket, string key)
    {
        var file = Path.Combine(sandbox.WorkDirectory, Guid.NewGuid().ToString("N"));
        var got = await AwsCli.RunAsync(Proxy.Endpoint, ["s3api", "get-object", "--bucket", bucket, "--key", key, file, "--region", "eu-central-1"], member);
        Assert.True(got.ExitCode == 0, got.ToString());
        return await File.ReadAllBytesAsync(file);
    }

    private async Task<AwsCliResult> CliAsync(params string[] args)
    {
        var result = await AwsCli.RunAsync(Proxy.Endpoint, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static JsonElement Json(AwsCliResult result) => result.Json();

    private async Task<string> KubectlAsync(string? input, params string[] args)
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync(sandbox.KubeconfigPath, input, args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    private async Task<AccountTransfer> WaitTransferAsync(string ns, Func<AccountTransfer?, bool> until) =>
        (await WaitAsync(ns, AccountTransfer.KubePlural, "acme-handover", until, TimeSpan.FromMinutes(2)))!;

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

    private async Task<T?> WaitAsync<T>(string ns, string plural, string name, Func<T?, bool> until, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var current = await GetAsync<T>(ns, plural, name);
            if (until(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{ns}/{name} did not reach the expected state: {(current is null ? "gone" : KubernetesJson.Serialize(current))}");
            }

            await Task.Delay(250);
        }
    }

    private static TransferStep? Step(AccountTransfer? transfer, TransferStepName name) => transfer?.Status?.Steps?.FirstOrDefault(s => s.Name == name);

    private static bool IsReady(IList<V1Condition>? conditions) => Runtime.Conditions.IsTrue(conditions, ConditionTypes.Ready);

    private static V1Condition? Synced(IList<V1Condition>? conditions) => Runtime.Conditions.Find(conditions, ConditionTypes.Synced);
}
