using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.AccountTransfers;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.AccountTransfers;

/// <summary>
/// The bad input of an account hand-over, each with a precise status message and nothing half-done: wrong and expired codes,
/// missing and foreign Secrets, an address another account uses, a ClientAccount of another namespace, a second transfer for
/// the same account, the account's current email, approval withdrawn before the removal, cancellation (which releases the
/// holds), and after the removal: a spec change and a deletion that cannot cancel. The operator in process behind the sandbox's
/// AWS (Account API, mailbox, leave checks), driven with kubectl.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccountTransferBadInputTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _awsTime = new(DateTimeOffset.UtcNow);
    private AwsChaosProxy? _proxy;

    private AwsChaosProxy Proxy => _proxy!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        Assert.Equal(0, (await AwsCli.RunAsync(moto.Endpoint, "organizations", "create-organization", "--feature-set", "ALL")).ExitCode);
        
        // The sandbox's AWS on a clock of its own: codes expire (otp-ttl, 1 h) when the test says so.
        _proxy = await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions { Backend = moto.Endpoint, Spec = AwsChaosSpec.None, Time = _awsTime });
    }

    public async Task DisposeAsync() => await Proxy.DisposeAsync();

    [Fact]
    public async Task Missing_and_foreign_Secrets_bad_values_wrong_and_expired_codes_are_waits_that_say_what_to_do()
    {
        var ns = await sandbox.CreateNamespaceAsync("xcode");
        await using var op = await StartOperatorAsync(ns);
        await ReadyAccountAsync(ns, "acme", "aws+acme@example.com");
        await KubectlAsync(Transfer(ns, "acme-handover", "acme", "it@acme.example", "    verificationCodeSecretRef: {name: acme-code, key: code}\n"), "apply", "-f", "-");

        var message = await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "does not exist");
        Assert.Contains($"Secret {ns}/acme-code does not exist. AWS emailed a verification code to it@acme.example", message, StringComparison.Ordinal);

        await KubectlAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: acme-code\n  namespace: {ns}\n  ownerReferences:\n  - {{apiVersion: v1, kind: ConfigMap, name: someone-else, uid: 1b1b1b1b-0000-0000-0000-000000000000}}\nstringData:\n  code: ABC123\n", "apply", "-f", "-");
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "belongs to ConfigMap someone-else (ownerReferences)");

        await KubectlAsync(null, "-n", ns, "delete", "secret", "acme-code");
        await KubectlAsync(null, "-n", ns, "create", "secret", "generic", "acme-code", "--from-literal=otp=ABC123");
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, $"Secret {ns}/acme-code has no key code");

        await KubectlAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: acme-code\n  namespace: {ns}\nstringData:\n  code: not-a-code\n", "apply", "-f", "-");
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "is not a verification code (6 letters or digits)");

        // The first code, once it expired: AWS refuses it, a new code is mailed, the wait says so.
        var first = Proxy.Engine.Mailbox.Latest("it@acme.example")!.Code!;
        _awsTime.Advance(AwsChaosSpec.DefaultOtpTtl);
        await PutCodeAsync(ns, first);
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "had expired; AWS sent a new code to it@acme.example");
        var second = Proxy.Engine.Mailbox.Latest("it@acme.example")!.Code!;
        Assert.Equal(2, Proxy.Engine.Mailbox.To("it@acme.example").Count);

        // A wrong code: refused, never sent again while the Secret is unchanged.
        await PutCodeAsync(ns, second == "WRONG1" ? "WRONG2" : "WRONG1");
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "AWS refused the code in Secret");
        var accepts = op.Log.Count("AcceptPrimaryEmailUpdate");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(accepts, op.Log.Count("AcceptPrimaryEmailUpdate"));

        // The refusal's status write lost (a crash after AWS answered): the step says from what it knows that the code was
        // refused, and the code is still not sent again.
        var verify = (await WaitTransferAsync(ns, "acme-handover", _ => true)).Status!.Steps!.ToList().FindIndex(s => s.Name == TransferStepName.VerifyEmail);
        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "acme-handover", "--subresource=status", "--type", "json", "-p",
            $"[{{\"op\":\"replace\",\"path\":\"/status/steps/{verify}/message\",\"value\":\"AWS emailed a verification code to it@acme.example.\"}}]");
        await WaitMessageAsync(ns, "acme-handover", TransferStepName.VerifyEmail, "AWS refused the code in Secret " + ns + "/acme-code (key code) when it was sent");
        Assert.Equal(accepts, op.Log.Count("AcceptPrimaryEmailUpdate"));

        await PutCodeAsync(ns, second);
        var transfer = await WaitTransferAsync(ns, "acme-handover", t => Step(t, TransferStepName.VerifyEmail)?.State == TransferStepState.Succeeded);
        var stored = KubernetesJson.Serialize(transfer) + string.Join('\n', (await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Select(e => e.Message));
        Assert.DoesNotContain(first, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(second, stored, StringComparison.Ordinal);
        Assert.Equal(2, op.Log.Count("StartPrimaryEmailUpdate"));
    }

    [Fact]
    public async Task An_address_of_another_account_a_foreign_namespace_a_second_transfer_and_the_current_email_are_refused_precisely()
    {
        var ns = await sandbox.CreateNamespaceAsync("xbad");
        var elsewhere = await sandbox.CreateNamespaceAsync("xother");
        await using var op = await StartOperatorAsync(ns, elsewhere);
        await ReadyAccountAsync(ns, "acme", "aws+acme2@example.com");
        await ReadyAccountAsync(ns, "beta", "aws+beta@example.com");

        // A ClientAccount of another namespace: terminal, nothing held.
        await KubectlAsync(Transfer(elsewhere, "steal", "acme", "x@evil.example"), "apply", "-f", "-");
        var stolen = await WaitTransferAsync(elsewhere, "steal", t => Step(t, TransferStepName.Preflight)?.State == TransferStepState.Failed);
        Assert.Contains($"ClientAccount 'acme' exists in namespace '{ns}', not in '{elsewhere}'", Step(stolen, TransferStepName.Preflight)!.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionReasons.TerminalInvalidSpec, Ready(stolen)!.Reason);
        Assert.Null(stolen.Status!.AccountId);

        // The account's own current email.
        await KubectlAsync(Transfer(ns, "same", "beta", "AWS+beta@example.com"), "apply", "-f", "-");
        var same = await WaitTransferAsync(ns, "same", t => Step(t, TransferStepName.Preflight)?.State == TransferStepState.Failed);
        Assert.Contains("is the account's current root email", Step(same, TransferStepName.Preflight)!.Message, StringComparison.Ordinal);
        await KubectlAsync(null, "-n", ns, "delete", "accounttransfer", "same");

        // An address another AWS account uses: terminal until the spec changes, then it goes on.
        await KubectlAsync(Transfer(ns, "first", "acme", "aws+beta@example.com"), "apply", "-f", "-");
        var taken = await WaitTransferAsync(ns, "first", t => Step(t, TransferStepName.StartEmailUpdate)?.State == TransferStepState.Failed);
        Assert.Equal(ConditionReasons.TerminalEmailAlreadyExists, Ready(taken)!.Reason);
        Assert.Contains($"kubectl -n {ns} patch accounttransfer first --type merge -p '{{\"spec\":{{\"newRootEmail\":\"<ADDRESS>\"}}}}'", Step(taken, TransferStepName.StartEmailUpdate)!.Message, StringComparison.Ordinal);

        // A second transfer for the same account while the first holds it.
        await KubectlAsync(Transfer(ns, "second", "acme", "it2@acme.example"), "apply", "-f", "-");
        var second = await WaitTransferAsync(ns, "second", t => Step(t, TransferStepName.Preflight)?.State == TransferStepState.Failed);
        Assert.Equal(ConditionReasons.TerminalOwnershipConflict, Ready(second)!.Reason);
        Assert.Contains("AccountTransfer 'first' already transfers ClientAccount 'acme'", Step(second, TransferStepName.Preflight)!.Message, StringComparison.Ordinal);
        Assert.Null(second.Status!.AccountId);

        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "first", "--type", "merge", "-p", "{\"spec\":{\"newRootEmail\":\"it@acme.example\"}}");
        var fixedUp = await WaitTransferAsync(ns, "first", t => Step(t, TransferStepName.StartEmailUpdate)?.State == TransferStepState.Succeeded);
        Assert.Equal(TransferPhase.VerifyingEmail, fixedUp.Status!.Phase);
        Assert.Single(Proxy.Engine.Mailbox.To("it@acme.example"));
        Assert.Empty(Proxy.Engine.Mailbox.To("aws+beta@example.com"));
        Assert.Equal(0, op.Log.Count("RemoveAccountFromOrganization"));
    }

    [Fact]
    public async Task Withdrawn_approval_stops_before_the_removal_cancellation_releases_the_holds_and_after_the_removal_nothing_can_undo_it()
    {
        var ns = await sandbox.CreateNamespaceAsync("xcancel");
        await using var op = await StartOperatorAsync(ns);
        var accountId = await ReadyAccountAsync(ns, "acme", "aws+acme3@example.com");
        await KubectlAsync(Transfer(ns, "t1", "acme", "it@acme.example", "    verificationCodeSecretRef: {name: acme-code, key: code}\n    passwordSet: true\n    standaloneReady: true\n    removalApproved: true\n"), "apply", "-f", "-");
        await WaitMessageAsync(ns, "t1", TransferStepName.VerifyEmail, "does not exist");
        await PutCodeAsync(ns, Proxy.Engine.Mailbox.Latest("it@acme.example")!.Code!);
        await WaitMessageAsync(ns, "t1", TransferStepName.RemoveFromOrganization, "AWS refused the removal (ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION)");

        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "t1", "--type", "merge", "-p", "{\"spec\":{\"confirmations\":{\"removalApproved\":false}}}");
        await WaitMessageAsync(ns, "t1", TransferStepName.Approval, "the approval was withdrawn before the removal; nothing was removed");
        Assert.Equal(ConditionReasons.OnTransferHold, Synced(await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme"))!.Reason);

        // Cancelled before the removal: the object goes, the holds with it, the account stays in the organization.
        await KubectlAsync(null, "-n", ns, "delete", "accounttransfer", "t1", "--wait=false");
        await WaitTransferAsync(ns, "t1", t => t is null);
        await ClientAccountApi.WaitAsync(sandbox.Client, ns, "acme", a => Synced(a)?.Reason != ConditionReasons.OnTransferHold && ClientAccountApi.IsReady(a));
        Assert.Equal(accountId, (await AwsCli.RunAsync(Proxy.Endpoint, "organizations", "describe-account", "--account-id", accountId)).Json().GetProperty("Account").GetProperty("Id").GetString());

        // A new transfer goes all the way to the removal (the email is already the client's).
        Proxy.Engine.SetStandaloneReadiness(accountId, StandaloneReadiness.Complete);
        await KubectlAsync(Transfer(ns, "t2", "acme", "it@acme.example", "    passwordSet: true\n    standaloneReady: true\n    removalApproved: true\n"), "apply", "-f", "-");
        var removed = await WaitTransferAsync(ns, "t2", t => Step(t, TransferStepName.AccessRevoked)?.State == TransferStepState.Waiting);
        Assert.Contains("already it@acme.example", Step(removed, TransferStepName.StartEmailUpdate)!.Message, StringComparison.Ordinal);
        Assert.Equal("AccountNotFoundException", (await AwsCli.RunAsync(Proxy.Endpoint, "organizations", "describe-account", "--account-id", accountId)).ErrorCode);

        // After the removal: a spec change applies nothing and says so; a deletion cannot cancel.
        await KubectlAsync(null, "-n", ns, "patch", "accounttransfer", "t2", "--type", "merge", "-p", "{\"spec\":{\"newRootEmail\":\"other@acme.example\"}}");
        var frozen = await WaitTransferAsync(ns, "t2", t => Synced(t)?.Reason == TransferRecipe.SpecIgnoredAfterRemoval);
        Assert.Contains("the removal cannot be undone", Synced(frozen)!.Message, StringComparison.Ordinal);
        await KubectlAsync(null, "-n", ns, "delete", "accounttransfer", "t2", "--wait=false");
        var deleting = await WaitTransferAsync(ns, "t2", t => Ready(t)?.Reason == ConditionReasons.Deleting);
        Assert.Contains("cannot be cancelled after its removal", Ready(deleting)!.Message, StringComparison.Ordinal);
        Assert.Empty(Proxy.Engine.Mailbox.To("other@acme.example"));

        // The client deletes the role: the transfer completes, then goes.
        var session = (await AwsCli.RunAsync(Proxy.Endpoint, "sts", "assume-role", "--role-arn", $"arn:aws:iam::{accountId}:role/OrganizationAccountAccessRole", "--role-session-name", "client", "--duration-seconds", "900"))
            .Json().GetProperty("Credentials");
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = session.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = session.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = session.GetProperty("SessionToken").GetString()!,
        };
        Assert.Equal(0, (await AwsCli.RunAsync(Proxy.Endpoint, ["iam", "delete-role", "--role-name", "OrganizationAccountAccessRole"], env)).ExitCode);
        await WaitTransferAsync(ns, "t2", t => t is null);
        Assert.Equal(AccountState.Transferred, (await ClientAccountApi.GetAsync(sandbox.Client, ns, "acme"))!.Status!.State);
    }

    private Task<OperatorHarness> StartOperatorAsync(params string[] namespaces) => OperatorHarness.StartAsync(sandbox, Proxy.Endpoint, namespaces, new Dictionary<string, string?>
    {
        ["AccountTransfer:WaitForClient"] = "00:00:00.500",
        ["AccountTransfer:WaitForHolds"] = "00:00:00.300",
        ["AccountTransfer:WaitBeforeLeaveRetry"] = "00:00:00.500",
        ["AccountTransfer:AccessCheckInterval"] = "00:00:00.500",
        ["AccountTransfer:CodeValidity"] = "01:00:00",
    });

    private async Task<string> ReadyAccountAsync(string ns, string name, string email)
    {
        await KubectlAsync(ClientAccountApi.Manifest(ns, name, email), "apply", "-f", "-");
        return (await ClientAccountApi.WaitAsync(sandbox.Client, ns, name, ClientAccountApi.IsReady))!.Status!.AccountId!;
    }

    private Task PutCodeAsync(string ns, string code) =>
        KubectlAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: acme-code\n  namespace: {ns}\nstringData:\n  code: {code}\n", "apply", "-f", "-");

    private static string Transfer(string ns, string name, string account, string email, string? confirmations = null) =>
        $"apiVersion: openkbs.com/v1alpha1\nkind: AccountTransfer\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  clientAccountRef:\n    name: {account}\n  newRootEmail: {email}\n"
        + (confirmations is null ? string.Empty : "  confirmations:\n" + confirmations);

    private async Task<string> KubectlAsync(string? input, params string[] args)
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync(sandbox.KubeconfigPath, input, args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    private async Task<string> WaitMessageAsync(string ns, string name, TransferStepName step, string fragment) =>
        Step(await WaitTransferAsync(ns, name, t => Step(t, step)?.Message?.Contains(fragment, StringComparison.Ordinal) == true), step)!.Message!;

    private async Task<AccountTransfer> WaitTransferAsync(string ns, string name, Func<AccountTransfer?, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            AccountTransfer? current;
            try
            {
                var raw = await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, ns, AccountTransfer.KubePlural, name);
                current = KubernetesJson.Deserialize<AccountTransfer>(((JsonElement)raw).GetRawText());
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                current = null;
            }

            if (until(current))
            {
                return current!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{ns}/{name} did not reach the expected state: {(current is null ? "gone" : KubernetesJson.Serialize(current.Status))}");
            }

            await Task.Delay(200);
        }
    }

    private static TransferStep? Step(AccountTransfer? transfer, TransferStepName name) => transfer?.Status?.Steps?.FirstOrDefault(s => s.Name == name);

    private static V1Condition? Ready(AccountTransfer? transfer) => Runtime.Conditions.Find(transfer?.Status?.Conditions, ConditionTypes.Ready);

    private static V1Condition? Synced(AccountTransfer? transfer) => Runtime.Conditions.Find(transfer?.Status?.Conditions, ConditionTypes.Synced);

    private static V1Condition? Synced(ClientAccount? account) => Runtime.Conditions.Find(account?.Status?.Conditions, ConditionTypes.Synced);
}
