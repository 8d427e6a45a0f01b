using System.Text;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class ProtobufObjectsTests
{
    private static byte[] Field(int number, byte[] payload) => [.. Varint((ulong)((number << 3) | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    [Fact]
    public void Decodes_a_ConfigMap_as_kubectl_create_sends_it()
    {
        var meta = (byte[])[.. Field(1, "settings"), .. Field(2, string.Empty), .. Field(11, [.. Field(1, "app"), .. Field(2, "shop")])];
        var configMap = (byte[])[.. Field(1, meta), .. Field(2, [.. Field(1, "mode"), .. Field(2, "fast")])];
        var unknown = (byte[])[.. Field(1, [.. Field(1, "v1"), .. Field(2, "ConfigMap")]), .. Field(2, configMap)];

        var obj = ProtobufObjects.Decode([.. "k8s\0"u8.ToArray(), .. unknown]);

        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","labels":{"app":"shop"}},"data":{"mode":"fast"}}""", obj.ToJsonString());
    }

    [Fact]
    public void Refuses_kinds_it_does_not_know() =>
        Assert.Throws<FormatException>(() => ProtobufObjects.Decode([.. "k8s\0"u8.ToArray(), .. Field(1, [.. Field(1, "apps/v1"), .. Field(2, "Deployment")])]));
}
