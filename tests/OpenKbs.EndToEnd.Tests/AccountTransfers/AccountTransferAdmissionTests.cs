using System.Text.Json;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;

namespace OpenKbs.EndToEnd.Tests.AccountTransfers;

/// <summary>
/// Issue 12's bad input that admission refuses: kubectl apply (or patch) of an AccountTransfer against the sandbox API server
/// with the repository's CRDs. Each is refused with kube-apiserver's message naming the field, and nothing is stored or changed
/// (so nothing reaches the operator or AWS). The input only the controller can judge (codes, Secrets, addresses AWS knows, the
/// account's namespace and other transfers) is in AccountTransferBadInputTests (tests/OpenKbs.Controllers.Tests).
/// </summary>
public sealed class AccountTransferAdmissionTests(CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    private const string StandaloneNeedsPassword =
        "spec.confirmations.standaloneReady: Invalid value: \"object\": standaloneReady needs passwordSet: the client confirms that the account can stand alone signed in as the new root user, so the root password is set first";

    private const string ApprovalNeedsConfirmations =
        "spec.confirmations.removalApproved: Invalid value: \"object\": removalApproved needs passwordSet and standaloneReady: the removal from the organization is irreversible, approve it only once the client has set the root password and confirmed that the account can stand alone";

    /// <summary>change, spec YAML (under <c>spec:</c>), the refusal kubectl prints.</summary>
    public static TheoryData<string, string, string> BadInput => new()
    {
        { "email without a domain", "  clientAccountRef: {name: acme}\n  newRootEmail: it.client.example\n", "spec.newRootEmail: Invalid value: \"string\": newRootEmail must be an email address such as it@client.example" },
        { "email with a space", "  clientAccountRef: {name: acme}\n  newRootEmail: it @client.example\n", "spec.newRootEmail: Invalid value: \"string\": newRootEmail must be an email address such as it@client.example" },
        { "email longer than AWS takes", $"  clientAccountRef: {{name: acme}}\n  newRootEmail: {new string('a', 60)}@client.example\n", "spec.newRootEmail: Too long: may not be more than 64 bytes" },
        { "no email", "  clientAccountRef: {name: acme}\n", "spec.newRootEmail: Required value" },
        { "no account", "  newRootEmail: it@client.example\n", "spec.clientAccountRef: Required value" },
        { "account of another namespace", "  clientAccountRef: {name: acme, namespace: other}\n  newRootEmail: it@client.example\n", "unknown field \"spec.clientAccountRef.namespace\"" },
        { "Secret reference without a name", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    verificationCodeSecretRef: {key: code}\n", "spec.confirmations.verificationCodeSecretRef.name: Required value" },
        { "Secret reference without a key", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    verificationCodeSecretRef: {name: acme-code}\n", "spec.confirmations.verificationCodeSecretRef.key: Required value" },
        { "Secret name that is no object name", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    verificationCodeSecretRef: {name: Acme_Code, key: code}\n", "spec.confirmations.verificationCodeSecretRef.name: Invalid value: \"Acme_Code\": spec.confirmations.verificationCodeSecretRef.name in body should match" },
        { "standalone before the password", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    standaloneReady: true\n", StandaloneNeedsPassword },
        { "approval alone", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    removalApproved: true\n", ApprovalNeedsConfirmations },
        { "approval without standalone readiness", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    passwordSet: true\n    removalApproved: true\n", ApprovalNeedsConfirmations },
        { "confirmation that is not a boolean", "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n  confirmations:\n    passwordSet: \"yes\"\n", "spec.confirmations.passwordSet: Invalid value: \"string\": spec.confirmations.passwordSet in body must be of type boolean: \"string\"" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_with_a_precise_message_and_nothing_is_stored(string change, string spec, string expected)
    {
        var ns = await sandbox.CreateNamespaceAsync("xadm");

        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, Manifest(ns, spec), "apply", "-f", "-");
        var stored = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "get", "accounttransfers", "-n", ns, "-o", "name");

        Assert.True(apply.ExitCode != 0, $"{change}: kubectl apply succeeded:\n{apply.Output}");
        Assert.True(apply.Error.Contains(expected, StringComparison.Ordinal), $"{change}: '{expected}' not in:\n{apply.Error}");
        Assert.Equal(0, stored.ExitCode);
        Assert.Equal(string.Empty, stored.Output.Trim());
    }

    [Fact]
    public async Task A_stored_transfer_refuses_another_account_and_an_early_approval_and_stays_as_it_was()
    {
        var ns = await sandbox.CreateNamespaceAsync("xadm");
        var apply = await Kubectl.RunAsync(sandbox.KubeconfigPath, Manifest(ns, "  clientAccountRef: {name: acme}\n  newRootEmail: it@client.example\n"), "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.Error);
        var before = await SpecAsync(ns);

        var (moved, _, movedError) = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "-n", ns, "patch", "accounttransfer", "handover", "--type", "merge", "-p",
            "{\"spec\":{\"clientAccountRef\":{\"name\":\"beta\"}}}");
        Assert.NotEqual(0, moved);
        Assert.Contains("spec.clientAccountRef: Forbidden: clientAccountRef is immutable: create another AccountTransfer for another account", movedError, StringComparison.Ordinal);

        var (early, _, earlyError) = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "-n", ns, "patch", "accounttransfer", "handover", "--type", "merge", "-p",
            "{\"spec\":{\"confirmations\":{\"passwordSet\":true,\"removalApproved\":true}}}");
        Assert.NotEqual(0, early);
        Assert.Contains(ApprovalNeedsConfirmations, earlyError, StringComparison.Ordinal);
        Assert.Equal(before, await SpecAsync(ns));

        // In order, the same confirmations are accepted; withdrawing the approval again is allowed (before the removal it stops
        // the transfer there).
        foreach (var confirmations in new[] { "{\"passwordSet\":true}", "{\"standaloneReady\":true}", "{\"removalApproved\":true}", "{\"removalApproved\":false}" })
        {
            var (exit, _, error) = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "-n", ns, "patch", "accounttransfer", "handover", "--type", "merge", "-p",
                "{\"spec\":{\"confirmations\":" + confirmations + "}}");
            Assert.True(exit == 0, $"{confirmations}: {error}");
        }

        using var final = JsonDocument.Parse(await SpecAsync(ns));
        Assert.Equal("acme", final.RootElement.GetProperty("clientAccountRef").GetProperty("name").GetString());
        Assert.False(final.RootElement.GetProperty("confirmations").GetProperty("removalApproved").GetBoolean());
    }

    private async Task<string> SpecAsync(string ns)
    {
        var (exit, output, error) = await Kubectl.RunAsync(sandbox.KubeconfigPath, null, "-n", ns, "get", "accounttransfer", "handover", "-o", "jsonpath={.spec}");
        Assert.True(exit == 0, error);
        return output;
    }

    private static string Manifest(string ns, string spec) =>
        $"apiVersion: openkbs.com/v1alpha1\nkind: AccountTransfer\nmetadata:\n  name: handover\n  namespace: {ns}\nspec:\n{spec}";
}
