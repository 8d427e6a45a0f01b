using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Operator.Tests.Deploy;

/// <summary>
/// charts/openkbs-operator/files/argocd/health.lua run by a real Lua 5.1 interpreter (Argo CD runs gopher-lua, Lua 5.1
/// semantics) the way Argo CD runs it: the object as the global <c>obj</c>, the script's returned table read back.
/// </summary>
public sealed class ArgoCdHealthTests
{
    private static readonly string Script = File.ReadAllText(Path.Combine(ChartRenderer.ChartDirectory, "files", "argocd", "health.lua"));

    public static TheoryData<string, string, string, string> Fixtures => new()
    {
        { "ClientAccount Ready for its generation", "Healthy", "Account 111122223333 is ready", ClientAccount(2, 2, "Active", "True", "Available", "Account 111122223333 is ready") },
        { "ClientAccount without status", "Progressing", "Waiting for the operator to report a status", """{"kind":"ClientAccount","metadata":{"name":"a","generation":1}}""" },
        { "ClientAccount spec changed, not yet observed", "Progressing", "Waiting for the operator to observe generation 3", ClientAccount(3, 2, "Active", "True", "Available", "ready") },
        { "ClientAccount queued for a creation slot", "Progressing", "Queued: position 3 of the creation queue", ClientAccount(1, 1, "Queued", "False", "Queued", "position 3 of the creation queue") },
        { "ClientAccount terminal (email taken)", "Degraded", "TerminalEmailAlreadyExists: the email is in use", ClientAccount(1, 1, "Failed", "False", "TerminalEmailAlreadyExists", "the email is in use") },
        { "ClientAccount suspended by AWS", "Degraded", "AWS reports the account SUSPENDED", ClientAccount(1, 1, "Suspended", "False", "Reconciling", "suspended") },
        { "ClientAccount transferred to the client", "Healthy", "Transferred", ClientAccount(1, 1, "Transferred", "False", "Transferred", "handed over") },
        { "ClientAccount paused by annotation", "Suspended", "Paused by the openkbs.com/paused annotation", ClientAccount(4, 2, "Active", "True", "Available", "ready", paused: true) },
        { "Project paused (Ready reason)", "Suspended", "reconciling is paused", Project(1, 1, "False", "Paused", "reconciling is paused") },
        { "Project deploying", "Progressing", "WaitingForAws: the distribution is deploying", Project(5, 5, "False", "WaitingForAws", "the distribution is deploying") },
        { "Project transient error", "Progressing", "TransientError: throttled", Project(5, 5, "False", "TransientError", "throttled") },
        { "Project ready", "Healthy", "3/3 functions ready", Project(5, 5, "True", "Available", "3/3 functions ready") },
        { "Project artifact mismatch", "Degraded", "TerminalArtifactMismatch: sha256 differs", Project(2, 2, "False", "TerminalArtifactMismatch", "sha256 differs") },
        { "Project with no Ready condition yet", "Progressing", "Waiting for the Ready condition", """{"kind":"Project","metadata":{"name":"p","generation":1},"status":{"observedGeneration":1,"conditions":[]}}""" },
        { "AuditRun running", "Progressing", "Reconciling: scanning", Phased("AuditRun", "Running", "False", "Reconciling", "scanning") },
        { "AuditRun passed", "Healthy", "Passed", Phased("AuditRun", "Passed", "True", "AuditPassed", "no findings at or above high") },
        { "AuditRun failed on findings", "Degraded", "TerminalFindingsAboveThreshold: 2 high findings", Phased("AuditRun", "Failed", "False", "TerminalFindingsAboveThreshold", "2 high findings") },
        { "AuditRun error", "Degraded", "TerminalArtifactNotFound: no artifact", Phased("AuditRun", "Error", "False", "TerminalArtifactNotFound", "no artifact") },
        { "AccountTransfer waiting for the client", "Progressing", "WaitingForClient: set the password", Phased("AccountTransfer", "AwaitingClient", "False", "WaitingForClient", "set the password") },
        { "AccountTransfer completed", "Healthy", "Completed", Phased("AccountTransfer", "Completed", "True", "Transferred", "the account is the client's") },
        { "AccountTransfer failed", "Degraded", "TerminalAccessDenied: access denied", Phased("AccountTransfer", "Failed", "False", "TerminalAccessDenied", "access denied") },
    };

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Health_of_each_status_fixture(string fixture, string status, string message, string json)
    {
        Skip.If(!ChartRenderer.OnPath("lua5.1"), "lua5.1 is not installed (make helmrender-deps installs it)");
        var file = Path.Combine(Path.GetTempPath(), $"openkbs-health-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(file, $"obj = {ToLua(JsonNode.Parse(json))}\nlocal hs = (function()\n{Script}\nend)()\nio.write(hs.status, \"\\n\", hs.message or \"\")\n");
        try
        {
            var (code, output, error) = await ChartRenderer.RunAsync("lua5.1", null, [file]);

            Assert.True(code == 0, $"{fixture}: {error}");
            Assert.Equal($"{status}\n{message}", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The objects are the operator's own types serialized as the operator writes them (KubernetesJson), so a renamed
    // status field or enum value breaks these fixtures.
    private static string ClientAccount(long generation, long observed, string state, string ready, string reason, string message, bool paused = false) =>
        Serialize(new ClientAccount
        {
            ApiVersion = "openkbs.com/v1alpha1",
            Metadata = Metadata("acme", generation, paused),
            Spec = null!, // the health check reads metadata and status only
            Status = new ClientAccountStatus { State = Enum.Parse<AccountState>(state), AccountId = "111122223333", ObservedGeneration = observed, Conditions = Conditions(ready, reason, message, observed) },
        });

    private static string Project(long generation, long observed, string ready, string reason, string message) =>
        Serialize(new Project
        {
            ApiVersion = "openkbs.com/v1alpha1",
            Metadata = Metadata("shop", generation, false),
            Spec = null!, // the health check reads metadata and status only
            Status = new ProjectStatus { FunctionsReady = "3/3", ObservedGeneration = observed, Conditions = Conditions(ready, reason, message, observed) },
        });

    private static string Phased(string kind, string phase, string ready, string reason, string message) => kind == OpenKbs.Api.V1Alpha1.AuditRun.KubeKind
        ? Serialize(new AuditRun
        {
            ApiVersion = "openkbs.com/v1alpha1",
            Metadata = Metadata("x", 1, false),
            Spec = null!, // the health check reads metadata and status only
            Status = new AuditRunStatus { Phase = Enum.Parse<AuditPhase>(phase), ObservedGeneration = 1, Conditions = Conditions(ready, reason, message, 1) },
        })
        : Serialize(new AccountTransfer
        {
            ApiVersion = "openkbs.com/v1alpha1",
            Metadata = Metadata("x", 1, false),
            Spec = null!, // the health check reads metadata and status only
            Status = new AccountTransferStatus { Phase = Enum.Parse<TransferPhase>(phase), ObservedGeneration = 1, Conditions = Conditions(ready, reason, message, 1) },
        });

    private static string Serialize(object value) => k8s.KubernetesJson.Serialize(value);

    private static V1ObjectMeta Metadata(string name, long generation, bool paused) => new()
    {
        Name = name,
        NamespaceProperty = "acme",
        Generation = generation,
        Annotations = paused ? new Dictionary<string, string> { [Annotations.Paused] = "true" } : null,
    };

    private static List<V1Condition> Conditions(string ready, string reason, string message, long observed) =>
    [
        new() { Type = ConditionTypes.Synced, Status = "True", Reason = ConditionReasons.Available, Message = "synced", LastTransitionTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        new() { Type = ConditionTypes.Ready, Status = ready, Reason = reason, Message = message, ObservedGeneration = observed, LastTransitionTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
    ];

    /// <summary>A Lua table constructor for a JSON value (as Argo CD hands the object to the script: maps, arrays from 1, numbers, strings).</summary>
    private static string ToLua(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"[{Quote(p.Key)}] = {ToLua(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(ToLua)) + "}",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.GetValue<double>().ToString(CultureInfo.InvariantCulture),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", _ => c.ToString() });
        }

        return sb.Append('"').ToString();
    }
}
