using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>Small helpers shared by the chaos tests: a proxy over a freshly reset moto, raw calls, the aws CLI.</summary>
internal static class Chaos
{
    public static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Resets moto and starts a proxy with <paramref name="spec"/> in front of it.</summary>
    public static async Task<AwsChaosProxy> ProxyAsync(MotoServerFixture moto, string spec, TimeProvider? time = null)
    {
        await moto.ResetAsync();
        return await AwsChaosProxy.StartAsync(new AwsChaosProxyOptions { Backend = moto.Endpoint, Spec = AwsChaosSpec.Parse(spec), Time = time });
    }

    public static async Task<(int Status, JsonObject Body)> CallAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text });
        }
    }

    /// <summary>An Organizations call that must succeed.</summary>
    public static async Task<JsonObject> OrganizationsAsync(Uri endpoint, string operation, JsonObject? body = null)
    {
        var (status, json) = await CallAsync(RawAws.Organizations(endpoint, operation, body));
        Assert.True(status == 200, $"{operation} answered {status}: {json.ToJsonString()}");
        return json;
    }

    public static Task<AwsCliResult> CliAsync(AwsChaosProxy proxy, params string[] args) => AwsCli.RunAsync(proxy.Endpoint, args);

    /// <summary>The text of the first element named <paramref name="name"/> in an XML answer (kept as {"text": ...}).</summary>
    public static string Xml(this JsonObject answer, string name)
    {
        var text = answer.Text("text");
        var start = text.IndexOf($"<{name}>", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No <{name}> in {text}");
        start += name.Length + 2;
        return text[start..text.IndexOf($"</{name}>", start, StringComparison.Ordinal)];
    }

    public static string Text(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>() ?? throw new InvalidOperationException($"No string at {path}");
    }
}
