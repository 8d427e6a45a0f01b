using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class YamlJsonTests
{
    public static TheoryData<string, string> Scalars => new()
    {
        { "a: 1", """{"a":1}""" },
        { "a: -7", """{"a":-7}""" },
        { "a: 1.5", """{"a":1.5}""" },
        { "a: 1e3", """{"a":1e3}""" },
        { "a: '1'", """{"a":"1"}""" },
        { "a: true", """{"a":true}""" },
        { "a: yes", """{"a":true}""" },
        { "a: off", """{"a":false}""" },
        { "a: ~", """{"a":null}""" },
        { "a:", """{"a":null}""" },
        { "a: 0755", """{"a":493}""" },
        { "a: 0x1F", """{"a":31}""" },
        { "a: 089", """{"a":"089"}""" },
        { "a: \"true\"", """{"a":"true"}""" },
        { "a: [x, 2]", """{"a":["x",2]}""" },
        { "a: |\n  line\n", """{"a":"line\n"}""" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Resolves_scalars_like_sigs_k8s_io_yaml(string yaml, string json) =>
        Assert.Equal(json, YamlJson.ParseSingle(yaml)!.ToJsonString());

    [Fact]
    public void Reads_every_document_and_skips_empty_ones()
    {
        var docs = YamlJson.ParseDocuments("---\na: 1\n---\n---\nb: 2\n");

        Assert.Equal(["""{"a":1}""", """{"b":2}"""], docs.Select(d => d!.ToJsonString()));
    }
}
