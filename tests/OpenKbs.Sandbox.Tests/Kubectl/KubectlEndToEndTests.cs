using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Sandbox.Tests.Contract;
using OpenKbs.Testing;
using OpenKbs.Testing.Kubectl;

namespace OpenKbs.Sandbox.Tests.Kubectl;

/// <summary>kubectl (v1.32) is the judge: real kubectl commands against the in-process sandbox.</summary>
public sealed class KubectlEndToEndTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private KubectlRunner Kubectl => sandbox.Kubectl();

    private async Task<string> SetUpAsync()
    {
        Skip.If(KubectlRunner.UnavailableReason is not null, KubectlRunner.UnavailableReason);
        var crd = await Kubectl.RunAsync("apply", "-f", WidgetCrd.Path);
        Assert.True(crd.ExitCode == 0, crd.ToString());
        var ns = await sandbox.CreateNamespaceAsync("kubectl");
        return ns;
    }

    private static string Manifest(string name, string color = "red", int replicas = 2, string owner = "alice", string extra = "") => $"""
        apiVersion: test.openkbs.com/v1
        kind: Widget
        metadata:
          name: {name}
        {extra}
        spec:
          color: {color}
          replicas: {replicas}
          owner: {owner}
        """;

    private async Task ApplyAsync(string ns, string manifest)
    {
        var result = await Kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], manifest);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [SkippableFact]
    public async Task Get_prints_the_printer_columns_and_wide_adds_priority_columns()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("gizmo", color: "green", replicas: 3));

        var get = await Kubectl.RunAsync("get", "widgets", "-n", ns);
        var wide = await Kubectl.RunAsync("get", "widgets", "-n", ns, "-o", "wide");

        Assert.True(get.ExitCode == 0, get.ToString());
        var lines = Lines(get.Stdout);
        Assert.Equal(["NAME", "COLOR", "REPLICAS", "READY", "AGE"], Columns(lines[0]));
        Assert.Equal(["gizmo", "green", "3"], Columns(lines[1])[..3]);
        Assert.Equal(["NAME", "COLOR", "REPLICAS", "READY", "OWNER", "AGE"], Columns(Lines(wide.Stdout)[0]));
        Assert.Contains("alice", Lines(wide.Stdout)[1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_works_by_short_name_and_by_category()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("short"));

        var byShortName = await Kubectl.RunAsync("get", "wdg", "-n", ns, "-o", "name");
        var byCategory = await Kubectl.RunAsync("get", "sandboxtest", "-n", ns, "-o", "name");

        Assert.Equal("widget.test.openkbs.com/short", byShortName.Stdout.Trim());
        Assert.Equal("widget.test.openkbs.com/short", byCategory.Stdout.Trim());
    }

    [SkippableFact]
    public async Task Get_o_yaml_shows_the_stored_object_with_server_fields_and_defaults()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, """
            apiVersion: test.openkbs.com/v1
            kind: Widget
            metadata:
              name: yamly
            spec:
              color: blue
            """);

        var yaml = await Kubectl.RunAsync("get", "widget", "yamly", "-n", ns, "-o", "yaml");

        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("kind: Widget", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  color: blue", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  replicas: 1", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  uid: ", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("  generation: 1", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", yaml.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Explain_reads_field_docs_from_openapi()
    {
        await SetUpAsync();

        var explain = await Kubectl.RunAsync("explain", "widgets.spec.color");

        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Contains("Color of the widget.", explain.Stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: color <string>", explain.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Wait_for_condition_Ready_returns_once_the_status_says_so()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("waiter"));
        using var wait = Kubectl.Start(["wait", "--for=condition=Ready", "widget/waiter", "-n", ns, "--timeout=60s"]);

        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "Test",
                    ["message"] = "ready",
                    ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
                }),
            },
        };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), WidgetCrd.Group, WidgetCrd.Version, ns, WidgetCrd.Plural, "waiter");
        var result = await wait.WaitAsync(Wait);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("widget.test.openkbs.com/waiter condition met", result.Stdout, StringComparison.Ordinal);
        var get = await Kubectl.RunAsync("get", "widget", "waiter", "-n", ns);
        Assert.Equal("True", Columns(Lines(get.Stdout)[1])[3]);
    }

    [SkippableFact]
    public async Task Get_watch_streams_rows_as_objects_change()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("first"));
        using var watch = Kubectl.Start(["get", "widgets", "-n", ns, "-w"]);
        Assert.True(await watch.WaitForOutputAsync(o => o.Contains("first", StringComparison.Ordinal), Wait), watch.Stdout + watch.Stderr);

        await ApplyAsync(ns, Manifest("second", color: "blue"));

        Assert.True(await watch.WaitForOutputAsync(o => Lines(o).Any(l => l.StartsWith("second", StringComparison.Ordinal) && l.Contains("blue", StringComparison.Ordinal)), Wait), watch.Stdout + watch.Stderr);
        Assert.Equal(["NAME", "COLOR", "REPLICAS", "READY", "AGE"], Columns(Lines(watch.Stdout)[0]));
    }

    [SkippableFact]
    public async Task Delete_of_an_object_with_a_finalizer_blocks_until_the_finalizer_is_removed()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("held", extra: "  finalizers: [test.openkbs.com/hold]"));
        using var delete = Kubectl.Start(["delete", "widget", "held", "-n", ns, "--timeout=60s"]);

        var deadline = DateTime.UtcNow + Wait;
        JsonNode? current = null;
        while (DateTime.UtcNow < deadline)
        {
            current = JsonNode.Parse(((System.Text.Json.JsonElement)await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(WidgetCrd.Group, WidgetCrd.Version, ns, WidgetCrd.Plural, "held")).GetRawText());
            if (current?["metadata"]?["deletionTimestamp"] is not null)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.NotNull(current?["metadata"]?["deletionTimestamp"]);
        Assert.False(delete.HasExited, "kubectl delete returned while the finalizer still held the object: " + delete.Stdout + delete.Stderr);

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), WidgetCrd.Group, WidgetCrd.Version, ns, WidgetCrd.Plural, "held");
        var result = await delete.WaitAsync(Wait);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("widget.test.openkbs.com \"held\" deleted", result.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_invalid_manifest_is_rejected_with_its_field_path()
    {
        var ns = await SetUpAsync();

        var result = await Kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("broken", color: "purple"));

        // The enum error blocks the CEL rules, so kube-apiserver lists a second, field-less error: kubectl prints a list.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The Widget \"broken\" is invalid: \n* spec.color: Unsupported value: \"purple\": supported values: \"red\", \"green\", \"blue\"", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_CEL_rule_rejects_with_its_message()
    {
        var ns = await SetUpAsync();

        var result = await Kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("toomany", replicas: 11));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The Widget \"toomany\" is invalid: spec: Invalid value: \"object\": replicas must be at most 10", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_unknown_field_is_rejected_by_server_side_strict_validation()
    {
        var ns = await SetUpAsync();

        var result = await Kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("strict") + "\n  sparkle: true\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.sparkle\"", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_twice_updates_through_a_merge_patch_and_bumps_generation()
    {
        var ns = await SetUpAsync();
        await ApplyAsync(ns, Manifest("twice", replicas: 2));

        var second = await Kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], Manifest("twice", replicas: 5));
        var generation = await Kubectl.RunAsync("get", "widget", "twice", "-n", ns, "-o", "jsonpath={.metadata.generation}/{.spec.replicas}");

        Assert.Contains("widget.test.openkbs.com/twice configured", second.Stdout, StringComparison.Ordinal);
        Assert.Equal("2/5", generation.Stdout.Trim());
    }

    [SkippableFact]
    public async Task Server_side_apply_from_kubectl_records_the_field_manager()
    {
        var ns = await SetUpAsync();

        var apply = await Kubectl.RunAsync(["apply", "--server-side", "-n", ns, "-f", "-"], Manifest("ssa"));
        var managers = await Kubectl.RunAsync("get", "widget", "ssa", "-n", ns, "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}:{.metadata.managedFields[*].operation}");

        Assert.Contains("widget.test.openkbs.com/ssa serverside-applied", apply.Stdout, StringComparison.Ordinal);
        Assert.Equal("kubectl:Apply", managers.Stdout.Trim());
    }

    [SkippableFact]
    public async Task Core_kinds_work_with_kubectl_create_which_sends_protobuf()
    {
        Skip.If(KubectlRunner.UnavailableReason is not null, KubectlRunner.UnavailableReason);
        var ns = SandboxFixture.UniqueName("core");

        var createNs = await Kubectl.RunAsync("create", "namespace", ns);
        var createCm = await Kubectl.RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast");
        var createSecret = await Kubectl.RunAsync("create", "secret", "generic", "token", "-n", ns, "--from-literal=value=s3cr3t");
        var get = await Kubectl.RunAsync("get", "configmaps,secrets", "-n", ns);
        var value = await Kubectl.RunAsync("get", "secret", "token", "-n", ns, "-o", "jsonpath={.data.value}");

        Assert.True(createNs.ExitCode == 0 && createCm.ExitCode == 0 && createSecret.ExitCode == 0, createNs + "\n" + createCm + "\n" + createSecret);
        Assert.Contains("configmap/settings", get.Stdout, StringComparison.Ordinal);
        Assert.Contains("secret/token", get.Stdout, StringComparison.Ordinal);
        Assert.Equal(Convert.ToBase64String("s3cr3t"u8.ToArray()), value.Stdout.Trim());
    }
}
