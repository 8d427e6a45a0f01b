using System.Globalization;
using OpenKbs.Api;
using OpenKbs.EndToEnd.Tests.Support;
using OpenKbs.Testing.Kube;
using OpenKbs.Testing.Moto;
using Xunit.Abstractions;

namespace OpenKbs.EndToEnd.Tests.Projects;

/// <summary>
/// What only the controller can judge (an artifact that does not match its SHA-256, a ClientAccount that lives in another
/// namespace, a home region the operator does not allow), and the AWS cost of a steady-state drift check. <c>openkbs run</c>
/// as a process against the sandbox and the realism proxy (see <see cref="SingleTenantFixture"/>).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ProjectSingleTenantTests(SingleTenantFixture fixture, ITestOutputHelper output) : IClassFixture<SingleTenantFixture>
{
    private TenantWorld World => fixture.World;

    [Fact]
    public async Task An_artifact_whose_sha256_does_not_match_is_terminal_and_nothing_is_deployed()
    {
        var tampered = await ProjectApi.WaitAsync(
            World.Client, fixture.Tenant, "tampered",
            p => ProjectApi.Condition(p, ConditionTypes.Ready)?.Reason == ConditionReasons.TerminalArtifactMismatch,
            TenantWorld.Converge, World.Diagnostics);
        var shop = await World.WaitReadyAsync(fixture.Tenant);

        var ready = ProjectApi.Condition(tampered, ConditionTypes.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Contains(SingleTenantFixture.WrongSha256, ready.Message, StringComparison.Ordinal);
        Assert.Contains("db8738746d4db84a39318ff0fc955d9f4866557d6d9467c4371f4f67cde24a83", ready.Message, StringComparison.Ordinal);
        Assert.Equal("False", ProjectApi.Condition(tampered, ConditionTypes.ArtifactVerified)?.Status);
        Assert.Null(tampered.Status!.DeployedVersion);
        Assert.Empty(tampered.Status.Functions ?? []);

        // In the client account: only the shop's functions run; the tampered project's bucket holds no artifact copy.
        var client = await World.ClientAsync(shop.Status!.AccountId!);
        // (the shop's access function, docs/access.md, runs beside its client functions)
        var access = shop.Status.Access?.FunctionName;
        var functions = (await client.FunctionsAsync()).Where(f => f != access).ToList();
        Assert.Equal(shop.Spec.Functions!.Count, functions.Count);
        Assert.All(functions, f => Assert.Contains(shop.Status.Functions!, s => s.Arn!.EndsWith(":function:" + f, StringComparison.Ordinal)));
        if (tampered.Status.Storage?.BucketName is { } bucket)
        {
            var objects = await client.JsonAsync("s3api", "list-objects-v2", "--bucket", bucket);
            Assert.Equal(0, objects.TryGetProperty("KeyCount", out var count) ? count.GetInt32() : 0);
        }
    }

    [Fact]
    public async Task A_ClientAccount_of_another_namespace_is_never_used()
    {
        var waiting = await ProjectApi.WaitAsync(
            World.Client, fixture.Other, "shop",
            p => ProjectApi.Condition(p, ConditionTypes.Ready)?.Reason == ConditionReasons.WaitingForAccount,
            TenantWorld.Converge, World.Diagnostics);
        var shop = await World.WaitReadyAsync(fixture.Tenant);

        Assert.Contains("acme", ProjectApi.Condition(waiting, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Null(waiting.Status!.AccountId);

        // Nothing named after the other namespace exists in the tenant's account or in the management account.
        var client = await World.ClientAsync(shop.Status!.AccountId!);
        foreach (var session in new[] { client, World.Management })
        {
            Assert.DoesNotContain(await session.BucketsAsync(), b => b.Contains(fixture.Other, StringComparison.Ordinal));
            Assert.DoesNotContain(await session.FunctionsAsync(), f => f.Contains(fixture.Other[..Math.Min(fixture.Other.Length, 12)], StringComparison.Ordinal));
            Assert.DoesNotContain(await session.RolesAsync(), r => r.Contains(fixture.Other, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_home_region_the_operator_does_not_allow_is_terminal_and_no_account_is_created()
    {
        var deadline = DateTime.UtcNow + TenantWorld.Converge;
        OpenKbs.Api.V1Alpha1.ClientAccount account;
        while (true)
        {
            account = Assert.Single(await ClientAccountApi.ListAsync(World.Client, fixture.Disallowed));
            if (account.Status?.Conditions.Any(c => c.Type == ConditionTypes.Ready && c.Reason == ConditionReasons.TerminalRegionNotAllowed) == true)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"ClientAccount not refused: {string.Join("; ", account.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason} {c.Message}") ?? [])}\n{World.Diagnostics()}");
            await Task.Delay(250);
        }

        var project = await ProjectApi.WaitAsync(
            World.Client, fixture.Disallowed, "shop",
            p => ProjectApi.Condition(p, ConditionTypes.Ready)?.Reason == ConditionReasons.WaitingForAccount,
            TenantWorld.Converge, World.Diagnostics);

        Assert.Contains("eu-west-3", account.Status!.Conditions.Single(c => c.Type == ConditionTypes.Ready).Message, StringComparison.Ordinal);
        Assert.Null(account.Status.AccountId);
        Assert.Null(project.Status!.AccountId);
        var accounts = (await World.Management.JsonAsync("organizations", "list-accounts")).GetProperty("Accounts").EnumerateArray();
        Assert.DoesNotContain(accounts, a => a.GetProperty("Email").GetString() == $"aws+{fixture.Disallowed}@example.com");
    }

    /// <summary>
    /// Issue 6: "unchanged resources cost reads only, never writes; count the AWS calls per steady-state check". One pass of the
    /// Ready example project, delimited by the reconcile-requested-at echo (all its calls precede the status write), counted by
    /// the proxy. The figure goes to docs/performance.md.
    /// </summary>
    [Fact]
    public async Task A_steady_state_drift_check_of_the_example_project_only_reads()
    {
        await World.WaitReadyAsync(fixture.Tenant);
        await ProjectApi.RequestPassAsync(World.Client, fixture.Tenant, "shop", TenantWorld.Converge, World.Diagnostics);
        var before = await ProjectApi.GetAsync(World.Client, fixture.Tenant, "shop");
        World.Proxy.Engine.ResetStats();

        var after = await ProjectApi.RequestPassAsync(World.Client, fixture.Tenant, "shop", TenantWorld.Converge, World.Diagnostics);
        var calls = World.Proxy.Engine.Stats.RequestsByOperation;

        var total = calls.Values.Sum();
        var breakdown = string.Join(", ", calls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value}")));
        output.WriteLine($"steady-state drift check of the example project: {total} AWS calls: {breakdown}");
        Assert.Equal(1, calls.GetValueOrDefault("s3:GetBucketVersioning"));
        Assert.DoesNotContain(calls.Keys, c => !AwsCalls.IsRead(c));
        Assert.True(ProjectApi.IsReady(after), ProjectApi.Describe(after));
        Assert.Equal(before!.Metadata.Generation, after.Metadata.Generation);
        Assert.True(total > 0, "the drift check made no AWS call at all: it compared nothing");
    }
}
