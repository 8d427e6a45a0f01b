using System.Text.Json.Nodes;
using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Cache;

public sealed class CacheEntryTests
{
    private const string Json = """
        {
          "apiVersion": "test.openkbs.com/v1", "kind": "Widget",
          "metadata": {
            "name": "w1", "namespace": "team-a", "uid": "u-1", "resourceVersion": "42", "generation": 7,
            "labels": { "tier": "gold" },
            "annotations": { "openkbs.com/paused": "true", "openkbs.com/reconcile-requested-at": "r1" },
            "managedFields": [ { "manager": "kubectl", "operation": "Apply", "fieldsV1": { "f:spec": { "f:color": {} } } } ]
          },
          "spec": { "color": "green" }
        }
        """;

    [Fact]
    public void The_summary_carries_what_the_runtime_decides_on()
    {
        var entry = CacheEntry.From((JsonObject)JsonNode.Parse(Json)!);

        var s = entry.Summary;
        Assert.Equal((new ObjectKey("team-a", "w1"), "u-1", "42", 7L, false, true, "r1"), (s.Key, s.Uid, s.ResourceVersion, s.Generation, s.IsDeleting, s.Paused, s.ReconcileRequestedAt));
        Assert.NotEqual(0, s.LabelsHash);
    }

    [Fact]
    public void ManagedFields_are_stripped_and_reads_are_private_copies()
    {
        var entry = CacheEntry.From((JsonObject)JsonNode.Parse(Json)!);

        var first = entry.Deserialize<Widget>();
        first.Spec.Color = "red";
        var second = entry.Deserialize<Widget>();

        Assert.Null(second.Metadata.ManagedFields);
        Assert.DoesNotContain("managedFields", System.Text.Encoding.UTF8.GetString(entry.Json), StringComparison.Ordinal);
        Assert.Equal("green", second.Spec.Color);
    }

    [Fact]
    public void Annotation_order_does_not_change_the_hash()
    {
        var a = CacheEntry.From((JsonObject)JsonNode.Parse("""{"metadata":{"name":"x","annotations":{"a":"1","b":"2"}}}""")!);
        var b = CacheEntry.From((JsonObject)JsonNode.Parse("""{"metadata":{"name":"x","annotations":{"b":"2","a":"1"}}}""")!);
        var c = CacheEntry.From((JsonObject)JsonNode.Parse("""{"metadata":{"name":"x","annotations":{"b":"2","a":"3"}}}""")!);

        Assert.Equal(a.Summary.AnnotationsHash, b.Summary.AnnotationsHash);
        Assert.NotEqual(a.Summary.AnnotationsHash, c.Summary.AnnotationsHash);
    }
}
