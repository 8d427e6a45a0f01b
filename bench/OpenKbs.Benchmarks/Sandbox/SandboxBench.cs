using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube;

namespace OpenKbs.Benchmarks.Sandbox;

/// <summary>Shared set-up of the sandbox measurements: a server with a small CRD and a way to fill it over HTTP.</summary>
internal static class SandboxBench
{
    public const string Group = "bench.openkbs.com";
    public const string Plural = "gadgets";

    public static readonly string Crd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.bench.openkbs.com"},
         "spec":{"group":"bench.openkbs.com","scope":"Namespaced","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
         "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
           "additionalPrinterColumns":[{"name":"Color","type":"string","jsonPath":".spec.color"},{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}],
           "schema":{"openAPIV3Schema":{"type":"object","properties":{
             "spec":{"type":"object","properties":{"color":{"type":"string","enum":["red","green","blue"]},"replicas":{"type":"integer","minimum":0},
               "owner":{"type":"string","maxLength":64},"tags":{"type":"array","items":{"type":"string"}},
               "settings":{"type":"object","additionalProperties":{"type":"string"}}}},
             "status":{"type":"object","properties":{"conditions":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}}}}]}}
        """;

    public static async Task<(KubeApiServer Server, HttpClient Http)> StartAsync(int watchHistory = 10_000)
    {
        var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { WatchHistorySize = watchHistory });
        var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(5) };
        await SendAsync(http, HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Crd);
        await SendAsync(http, HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"bench"}}""");
        return (server, http);
    }

    public static string Gadget(int i) => new JsonObject
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"gadget-{i:D6}",
            ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "bench", ["shard"] = (i % 16).ToString(CultureInfo.InvariantCulture) },
            ["annotations"] = new JsonObject { ["openkbs.com/owner"] = $"bench/Gadget/gadget-{i:D6}" },
        },
        ["spec"] = new JsonObject
        {
            ["color"] = (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" },
            ["replicas"] = i % 7,
            ["owner"] = $"team-{i % 50}",
            ["tags"] = new JsonArray("bench", "sandbox", $"t{i % 10}"),
            ["settings"] = new JsonObject { ["region"] = "eu-central-1", ["tier"] = "standard", ["note"] = "a little text so objects are about one kilobyte in size" },
        },
    }.ToJsonString();

    public static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }

    /// <summary>Creates gadget-000000 .. gadget-(count-1) with <paramref name="workers"/> concurrent clients.</summary>
    public static async Task FillAsync(HttpClient http, int count, int workers = 4)
    {
        var next = -1;
        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await SendAsync(http, HttpMethod.Post, $"/apis/{Group}/v1/namespaces/bench/{Plural}", Gadget(i));
            }
        });
        await Task.WhenAll(tasks);
    }

    public static string Format(double value, string unit) => value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture) + " " + unit;
}
