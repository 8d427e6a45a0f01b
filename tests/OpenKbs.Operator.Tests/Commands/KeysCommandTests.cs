using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Operator.Commands;

namespace OpenKbs.Operator.Tests.Commands;

/// <summary>
/// `openkbs keys collected` against the sandbox API server: it marks the Project's API-key Secret with the deployment whose keys it
/// holds and asks for a reconcile; bad input, a Secret without plaintext and a --deployment that is not the Secret's are refused
/// with nothing written. (The operator's side, deleting the plaintext, is proven in ApiKeyCollectionOnMotoTests.)
/// </summary>
public sealed class KeysCommandTests(Nis2Sandbox sandbox) : IClassFixture<Nis2Sandbox>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Collected_marks_the_secret_with_its_deployment_and_requests_a_reconcile()
    {
        var ns = await ProjectAsync(plaintext: true);

        var (code, output, error) = await CollectedAsync(ns, "shop", "1.0.0-abc");

        Assert.True(code == 0, error);
        Assert.Contains("marked the keys of deployment 1.0.0-abc (partner) in Secret " + ns + "/shop-api-keys collected", output, StringComparison.Ordinal);
        var secret = await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("shop-api-keys", ns);
        Assert.Equal("1.0.0-abc", secret.Metadata.Annotations[Annotations.KeysCollected]);
        Assert.Equal("okbs_plain", Encoding.UTF8.GetString(secret.Data["partner"])); // the operator deletes it, not the command
        var project = (JsonElement)await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, ns, Project.KubePlural, "shop");
        Assert.Equal("2026-12-06T10:00:00.0000000+00:00", project.GetProperty("metadata").GetProperty("annotations").GetProperty(Annotations.ReconcileRequestedAt).GetString());
        Assert.Equal(1, project.GetProperty("metadata").GetProperty("generation").GetInt32()); // the spec is untouched
        Assert.DoesNotContain("okbs_plain", output + error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad_Namespace", "shop", null, true, 2, "must be a namespace name")]
    [InlineData(null, "nobody", null, true, 1, "has handed over no API keys")]
    [InlineData(null, "shop", "0.9.0-old", true, 1, "holds the keys of deployment 1.0.0-abc, not 0.9.0-old")]
    [InlineData(null, "shop", null, false, 1, "holds no plaintext key")]
    public async Task Refusals_write_nothing(string? @namespace, string project, string? deployment, bool plaintext, int expected, string message)
    {
        var ns = await ProjectAsync(plaintext);
        var before = (await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("shop-api-keys", ns)).Metadata.ResourceVersion;

        var (code, output, error) = await CollectedAsync(@namespace ?? ns, project, deployment);

        Assert.Equal(expected, code);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("shop-api-keys", ns)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task The_executable_offers_the_command_with_help_naming_its_options()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "openkbs.dll"), "keys", "collected", "--help" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        foreach (var option in new[] { "--namespace", "--project", "--deployment", "--kubeconfig", "collected" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    private async Task<(int Code, string Output, string Error)> CollectedAsync(string @namespace, string project, string? deployment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await KeysCommand.CollectedAsync(sandbox.Client, @namespace, project, deployment, Now, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A Project whose status names its API-key Secret, and that Secret (with a plaintext key, or only its hash).</summary>
    private async Task<string> ProjectAsync(bool plaintext)
    {
        var ns = await sandbox.CreateNamespaceAsync("keys");
        var project = new Project
        {
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = ns },
            Spec = new ProjectSpec
            {
                ClientAccountRef = new LocalObjectReference { Name = "acme" },
                Version = "1.0.0",
                ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }],
            },
        };
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(project, ApiGroup.Name, ApiGroup.Version, ns, Project.KubePlural);
        var sha = new string('a', 64);
        var status = new ProjectStatus
        {
            ApiKeys = [new ApiKeyStatus { Name = "partner", Fingerprint = sha[..12], Sha256 = sha, SecretRef = new SecretKeyReference { Name = "shop-api-keys", Key = "partner" } }],
        };
        var patch = new JsonObject { ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)) };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Name, ApiGroup.Version, ns, Project.KubePlural, "shop");
        await sandbox.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "shop-api-keys", Annotations = new Dictionary<string, string> { [Annotations.Deployment] = "1.0.0-abc" } },
                Data = plaintext
                    ? new Dictionary<string, byte[]> { ["partner"] = Encoding.UTF8.GetBytes("okbs_plain") }
                    : new Dictionary<string, byte[]> { ["partner.sha256"] = Encoding.UTF8.GetBytes(sha) },
            },
            ns);
        return ns;
    }
}
