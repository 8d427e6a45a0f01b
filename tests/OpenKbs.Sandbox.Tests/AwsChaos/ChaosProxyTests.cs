using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

[Collection(MotoCollection.Name)]
public sealed class ChaosProxyTests(MotoServerFixture moto)
{
    private static async Task<List<int>> StatusesAsync(AwsChaosProxy proxy, int calls)
    {
        var statuses = new List<int>();
        for (var i = 0; i < calls; i++)
        {
            statuses.Add((await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1"))).Status);
        }

        return statuses;
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_answers_through_the_proxy()
    {
        List<int> first;
        List<string> firstLog;
        await using (var proxy = await Chaos.ProxyAsync(moto, "throttle=0.3,error=0.2,seed=11"))
        {
            first = await StatusesAsync(proxy, 30);
            firstLog = proxy.Engine.Stats.FaultLog.Select(f => $"{f.Sequence}:{f.Kind}").ToList();
        }

        await using var again = await Chaos.ProxyAsync(moto, "throttle=0.3,error=0.2,seed=11");
        var second = await StatusesAsync(again, 30);

        Assert.Equal(first, second);
        Assert.Equal(firstLog, again.Engine.Stats.FaultLog.Select(f => $"{f.Sequence}:{f.Kind}"));
        Assert.Contains(400, first);
        Assert.Contains(200, first);
        Assert.True(first.Any(s => s >= 500), "seed 11 draws at least one 5xx in 30 calls");
    }

    [Fact]
    public async Task Control_endpoints_script_faults_and_report_stats()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "latency=1ms");
        using var script = await Chaos.Http.PostAsync(new Uri(proxy.Endpoint, "/__chaos/faults"),
            new StringContent("""{"kind":"serviceunavailable","service":"iam","operation":"ListRoles","count":2}""", Encoding.UTF8, "application/json"));
        Assert.True(script.IsSuccessStatusCode);

        var statuses = await StatusesAsync(proxy, 3);
        var stats = JsonNode.Parse(await Chaos.Http.GetStringAsync(new Uri(proxy.Endpoint, "/__chaos/stats")))!;
        var spec = JsonNode.Parse(await Chaos.Http.GetStringAsync(new Uri(proxy.Endpoint, "/__chaos/spec")))!;
        using var unknown = await Chaos.Http.GetAsync(new Uri(proxy.Endpoint, "/__chaos/nope"));

        Assert.Equal([503, 503, 200], statuses);
        Assert.Equal(2, stats["faults"]!["ServiceUnavailable"]!.GetValue<long>());
        Assert.Equal(3, stats["requestsByOperation"]!["iam:ListRoles"]!.GetValue<long>());
        Assert.Equal(3, stats["delayed"]!.GetValue<long>());
        Assert.Equal("latency=1ms", spec["spec"]!.GetValue<string>());
        Assert.Equal(404, (int)unknown.StatusCode);
    }

    [Fact]
    public async Task Resetting_moto_through_the_proxy_also_resets_the_realism_state()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "realism=on,org-polls=5,empty-pages=0");
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateAccount", new JsonObject { ["Email"] = "r@example.com", ["AccountName"] = "r" });

        await MotoServer.ResetAsync(proxy.Endpoint);

        await Chaos.OrganizationsAsync(proxy.Endpoint, "CreateOrganization", new JsonObject { ["FeatureSet"] = "ALL" });
        var listed = await Chaos.OrganizationsAsync(proxy.Endpoint, "ListCreateAccountStatus", new JsonObject { ["States"] = new JsonArray("IN_PROGRESS") });
        Assert.Empty(listed["CreateAccountStatuses"]!.AsArray());
    }

    [Fact]
    public async Task Faults_only_hit_the_chosen_services()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "throttle=1,services=lambda");

        var (iam, _) = await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1"));
        var (lambda, _) = await Chaos.CallAsync(RawAws.Rest(HttpMethod.Get, proxy.Endpoint, "/2015-03-31/functions", "lambda"));

        Assert.Equal((200, 429), (iam, lambda));
    }

    [Fact]
    public async Task A_dropped_connection_and_a_hang_reach_a_plain_http_client()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "hang=2s");
        proxy.Engine.ScriptFault(AwsFaultKind.ConnectionReset, "iam");
        proxy.Engine.ScriptFault(AwsFaultKind.Timeout, "iam");
        using var quick = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMilliseconds(500) };

        await Assert.ThrowsAsync<HttpRequestException>(() => quick.SendAsync(RawAws.Query(proxy.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1")));
        await Assert.ThrowsAsync<TaskCanceledException>(() => quick.SendAsync(RawAws.Query(proxy.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1")));

        Assert.Equal(200, (await Chaos.CallAsync(RawAws.Query(proxy.Endpoint, "iam", "ListRoles", "2010-05-08", region: "us-east-1"))).Status);
    }
}
