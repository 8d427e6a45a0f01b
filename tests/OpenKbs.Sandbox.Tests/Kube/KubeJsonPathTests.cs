using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class KubeJsonPathTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"metadata":{"name":"x","labels":{"app.kubernetes.io/name":"shop"}},
         "spec":{"replicas":3,"ports":[{"name":"http","port":80},{"name":"https","port":443}]},
         "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]}}
        """)!;

    public static TheoryData<string, string?> Paths => new()
    {
        { ".metadata.name", "\"x\"" },
        { ".spec.replicas", "3" },
        { ".spec.ports[1].port", "443" },
        { ".spec.ports[-1].name", "\"https\"" },
        { ".spec.ports[*].name", "\"http\"" },
        { ".status.conditions[?(@.type==\"Ready\")].status", "\"True\"" },
        { ".status.conditions[?(@.status != \"True\")].type", "\"Synced\"" },
        { ".spec.ports[?(@.port > 100)].name", "\"https\"" },
        { ".metadata.labels['app.kubernetes.io/name']", "\"shop\"" },
        { ".metadata.labels.app\\.kubernetes\\.io/name", "\"shop\"" },
        { "{.spec.replicas}", "3" },
        { "..port", "80" },
        { ".spec.missing", null },
        { ".status.conditions[?(@.type==\"Gone\")].status", null },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Evaluates_the_printer_column_subset(string path, string? expected)
    {
        var result = KubeJsonPath.Parse(path).First(Doc, out var found);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected, result?.ToJsonString());
    }

    [Fact]
    public void Wildcards_return_every_match()
    {
        var results = KubeJsonPath.Parse(".spec.ports[*].port").Evaluate(Doc);

        Assert.Equal(["80", "443"], results.Select(r => r!.ToJsonString()));
    }
}
