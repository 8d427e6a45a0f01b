using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Json;

namespace OpenKbs.Sandbox.Tests.Kube;

public sealed class StrategicMergePatchTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // maps merge, null deletes
        { """{"data":{"a":"1","b":"2"}}""", """{"data":{"b":null,"c":"3"}}""", """{"data":{"a":"1","c":"3"}}""" },
        // lists without a patch strategy are replaced
        { """{"spec":{"finalizers":["kubernetes","x"]}}""", """{"spec":{"finalizers":["y"]}}""", """{"spec":{"finalizers":["y"]}}""" },
        // metadata.finalizers merge as a set; $deleteFromPrimitiveList removes
        { """{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"finalizers":["c"],"$deleteFromPrimitiveList/finalizers":["a"]}}""", """{"metadata":{"finalizers":["b","c"]}}""" },
        // ownerReferences merge by uid, $patch: delete removes one
        { """{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]}}""", """{"metadata":{"ownerReferences":[{"uid":"2","$patch":"delete"},{"uid":"3","name":"c"}]}}""", """{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"3","name":"c"}]}}""" },
        // $patch: replace on a map, $setElementOrder ignored, $retainKeys prunes
        { """{"data":{"a":"1"},"spec":{"x":1,"y":2}}""", """{"data":{"$patch":"replace","z":"9"},"spec":{"$retainKeys":["x"],"x":5},"$setElementOrder/foo":[]}""", """{"data":{"z":"9"},"spec":{"x":5}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applies_like_the_api_server_for_built_in_kinds(string target, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }
}
