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
    public void Reads_are_private_copies()
    {
        var entry = CacheEntry.From((JsonObject)JsonNode.Parse(Json)!);

        var first = entry.Deserialize<Widget>();
        first.Spec.Color = "red";
        var second = entry.Deserialize<Widget>();

        Assert.Equal("green", second.Spec.Color);
    }

    [Fact]
    public void Of_managedFields_only_the_spec_s_last_change_is_kept()
    {
        var entry = CacheEntry.From((JsonObject)JsonNode.Parse("""
            {
              "metadata": {
                "name": "w1", "namespace": "team-a",
                "managedFields": [
                  { "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "test.openkbs.com/v1", "time": "2026-11-02T10:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": { "f:metadata": { "f:annotations": {} }, "f:spec": { "f:color": {} } } },
                  { "manager": "alice", "operation": "Apply", "apiVersion": "test.openkbs.com/v1", "time": "2026-11-02T10:05:00Z", "fieldsType": "FieldsV1", "fieldsV1": { "f:spec": { "f:mode": {}, "f:size": {} } } },
                  { "manager": "bob", "operation": "Update", "apiVersion": "test.openkbs.com/v1", "time": "2026-11-02T10:05:00Z", "fieldsType": "FieldsV1", "fieldsV1": { "f:spec": { "f:color": {} } } },
                  { "manager": "labeller", "operation": "Update", "apiVersion": "test.openkbs.com/v1", "time": "2026-11-02T11:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": { "f:metadata": { "f:labels": { "f:team": {} } } } },
                  { "manager": "openkbs-operator", "operation": "Update", "apiVersion": "test.openkbs.com/v1", "time": "2026-11-02T12:00:00Z", "subresource": "status", "fieldsType": "FieldsV1", "fieldsV1": { "f:spec": {}, "f:status": { "f:passes": {} } } }
                ]
              },
              "spec": { "color": "green" }
            }
            """)!);

        var kept = Assert.Single(entry.Deserialize<Widget>().Metadata.ManagedFields);

        // Labels and the status subresource do not count; within one second the later entry wins.
        Assert.Equal(("bob", "Update", "test.openkbs.com/v1", new DateTime(2026, 11, 2, 10, 5, 0, DateTimeKind.Utc)), (kept.Manager, kept.Operation, kept.ApiVersion, kept.Time?.ToUniversalTime()));
        Assert.Equal("""{"f:spec":{}}""", System.Text.Json.JsonSerializer.Serialize(kept.FieldsV1));
        Assert.DoesNotContain("f:color", System.Text.Encoding.UTF8.GetString(entry.Json), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_spec_change_no_managedFields_are_kept()
    {
        var entry = CacheEntry.From((JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"w1","managedFields":[{"manager":"labeller","operation":"Update","time":"2026-11-02T11:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}}}}]}}
            """)!);

        Assert.Null(entry.Deserialize<Widget>().Metadata.ManagedFields);
        Assert.DoesNotContain("managedFields", System.Text.Encoding.UTF8.GetString(entry.Json), StringComparison.Ordinal);
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
