using System.Text;
using k8s;
using Microsoft.Extensions.Time.Testing;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>
/// The offer to delete the plaintext keys once the client collected them (docs/project.md, "API keys"): the client marks the Secret
/// (annotation <see cref="Annotations.KeysCollected"/>), the operator deletes the plaintext (only the SHA-256 stays, still accepted),
/// records the time in status, an Event and an audit record, none with a key; the next deployment hands over new keys. Against moto
/// and the sandbox API server with the production steps.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ApiKeyCollectionOnMotoTests(MotoServerFixture moto, CrdSandboxFixture sandbox) : IClassFixture<CrdSandboxFixture>
{
    [Fact]
    public async Task Keys_marked_collected_lose_their_plaintext_stay_accepted_and_the_next_deployment_hands_over_new_ones()
    {
        using var h = await StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 30, 15, TimeSpan.Zero));
        h.Clock = clock;
        await h.ConvergeAsync();
        var handedOver = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        var plaintext = handedOver.Keys.Values.ToList();
        Assert.Equal(["admin", "partner"], handedOver.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.All(h.Project.Status!.ApiKeys!, k => Assert.Null(k.PlaintextDeletedAt));
        var accepted = await ProjectStepsOnMotoTests.AcceptedHashesAsync(h);

        clock.Advance(TimeSpan.FromHours(3));
        await MarkCollectedAsync(h, handedOver.Deployment!);
        var outcomes = await h.PassAsync();

        Assert.All(outcomes.Values, o => Assert.True(o.IsReady, o.ToString()));
        var secret = await h.Kube.CoreV1.ReadNamespacedSecretAsync(h.Names.ApiKeySecret, h.Namespace);
        Assert.Equal(["admin.sha256", "partner.sha256"], secret.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ApiKeyMaterial.Sha256(handedOver.Keys["partner"]), Encoding.UTF8.GetString(secret.Data["partner.sha256"]));
        Assert.False(secret.Metadata.Annotations.ContainsKey(Annotations.KeysCollected));
        Assert.Equal(handedOver.Deployment, secret.Metadata.Annotations[Annotations.Deployment]);
        var status = h.Project.Status!.ApiKeys!;
        Assert.All(status, k => Assert.Equal(new DateTime(2026, 12, 6, 12, 30, 15, DateTimeKind.Utc), k.PlaintextDeletedAt));
        Assert.Equal("partner.sha256", status.Single(k => k.Name == "partner").SecretRef!.Key);
        Assert.Equal(accepted, await ProjectStepsOnMotoTests.AcceptedHashesAsync(h)); // the functions go on accepting the collected keys
        Assert.Single(h.Events, e => e.Contains(ProjectReasons.KeysPlaintextDeleted, StringComparison.Ordinal));
        var record = Assert.Single(h.Audit.Records, r => r.Action == ApiKeysStep.DeleteSecretDataAction);
        Assert.Equal(AuditOutcome.Success, record.Outcome);
        Assert.Equal($"secret/{h.Namespace}/{h.Names.ApiKeySecret}", record.Resource);
        Assert.Equal(h.AccountId, record.AccountId);
        Assert.Equal(handedOver.Deployment, record.Details["deployment"]);
        var stored = await h.StoredProjectJsonAsync();
        foreach (var key in plaintext)
        {
            Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Events, e => e.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(h.Audit.Records, r => r.Details.Values.Any(v => v.Contains(key, StringComparison.Ordinal)));
            Assert.DoesNotContain(secret.Data.Values, v => Encoding.UTF8.GetString(v).Contains(key, StringComparison.Ordinal));
        }

        // The steady state after collection costs no write.
        var before = secret.Metadata.ResourceVersion;
        Assert.All((await h.PassAsync()).Values, o => Assert.True(o.IsReady, o.ToString()));
        Assert.Equal(before, (await h.Kube.CoreV1.ReadNamespacedSecretAsync(h.Names.ApiKeySecret, h.Namespace)).Metadata.ResourceVersion);
        Assert.Single(h.Audit.Records, r => r.Action == ApiKeysStep.DeleteSecretDataAction);

        // The next deployment writes new plaintext keys into the same Secret; the collected ones stop being accepted.
        var (artifact, sha) = await h.UploadArtifactAsync("1.1.0", "export const handler = async () => ({ statusCode: 202 });");
        h.Deploy("1.1.0", artifact, sha);
        await h.ConvergeAsync();

        var next = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        Assert.Equal(["admin", "partner"], next.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(next.Collected);
        Assert.Null(next.PlaintextDeletedAt);
        Assert.DoesNotContain(next.Keys.Values, plaintext.Contains);
        Assert.Equal(next.Keys.Values.Select(ApiKeyMaterial.Sha256).Order(StringComparer.Ordinal), (await ProjectStepsOnMotoTests.AcceptedHashesAsync(h)).Order(StringComparer.Ordinal));
        Assert.All(h.Project.Status!.ApiKeys!, k => Assert.Null(k.PlaintextDeletedAt));
        Assert.Equal("partner", h.Project.Status.ApiKeys!.Single(k => k.Name == "partner").SecretRef!.Key);
    }

    [Fact]
    public async Task A_mark_naming_another_deployment_deletes_nothing()
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        var before = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;

        await MarkCollectedAsync(h, "0.9.0-older");
        Assert.All((await h.PassAsync()).Values, o => Assert.True(o.IsReady, o.ToString()));

        var after = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        Assert.Equal(before.Keys, after.Keys);
        Assert.Empty(after.Collected);
        Assert.DoesNotContain(h.Audit.Records, r => r.Action == ApiKeysStep.DeleteSecretDataAction);
        Assert.All(h.Project.Status!.ApiKeys!, k => Assert.Null(k.PlaintextDeletedAt));
    }

    [Fact]
    public async Task A_name_added_after_collection_gets_a_plaintext_key_while_the_collected_ones_keep_only_their_hash()
    {
        using var h = await StartAsync();
        await h.ConvergeAsync();
        var handedOver = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        await MarkCollectedAsync(h, handedOver.Deployment!);
        await h.PassAsync();

        h.Project.Spec = h.Project.Spec with { ApiKeys = [.. h.Project.Spec.ApiKeys!, new ApiKeySpec { Name = "reader", Permissions = ["orders:read"] }] };
        await h.ConvergeAsync();

        var secret = (await h.Secrets.ReadAsync(h.Namespace, h.Names.ApiKeySecret, default))!;
        Assert.Equal(["reader"], secret.Keys.Keys);
        Assert.Equal(["admin", "partner"], secret.Collected.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ApiKeyMaterial.Sha256(handedOver.Keys["partner"]), secret.Collected["partner"]);
        Assert.Equal(3, (await ProjectStepsOnMotoTests.AcceptedHashesAsync(h)).Count);
        Assert.Null(h.Project.Status!.ApiKeys!.Single(k => k.Name == "reader").PlaintextDeletedAt);
        Assert.NotNull(h.Project.Status.ApiKeys!.Single(k => k.Name == "partner").PlaintextDeletedAt);
    }

    private async Task<ProjectStepHarness> StartAsync()
    {
        var spec = ProjectFixtures.Spec() with
        {
            ApiKeys = [new ApiKeySpec { Name = "partner", Permissions = ["orders:read"] }, new ApiKeySpec { Name = "admin", Permissions = ["orders:write"] }],
        };
        var h = await ProjectStepHarness.StartAsync(moto, sandbox, spec);
        var (key, sha) = await h.UploadArtifactAsync("1.0.0", "export const handler = async () => ({ statusCode: 200 });");
        h.Deploy("1.0.0", key, sha);
        return h;
    }

    /// <summary>What a client does (as <c>openkbs keys collected</c>): the mark on the Secret, written with its resourceVersion.</summary>
    private static async Task MarkCollectedAsync(ProjectStepHarness h, string deployment)
    {
        var secret = await h.Kube.CoreV1.ReadNamespacedSecretAsync(h.Names.ApiKeySecret, h.Namespace);
        secret.Metadata.Annotations ??= new Dictionary<string, string>();
        secret.Metadata.Annotations[Annotations.KeysCollected] = deployment;
        await h.Kube.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, h.Namespace);
    }
}
