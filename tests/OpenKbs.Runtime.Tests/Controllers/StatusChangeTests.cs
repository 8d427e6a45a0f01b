using k8s;
using k8s.Models;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Kube;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Controllers;

public sealed class StatusChangeTests
{
    private static readonly KubeApiClient Api = new(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" }));

    private static StatusPublisher WidgetStatus => new(Api, Widget.Descriptor, StatusShape.For(typeof(Widget)), 5);

    [Fact]
    public void An_untouched_status_is_not_written()
    {
        var widget = Reconciled(status: new WidgetStatus { SeenColor = "blue", ObservedGeneration = 2, Conditions = [Ready("True")] });
        var before = WidgetStatus.Snapshot(widget);

        var after = WidgetStatus.Desired(widget, generation: 2, handledToken: null, stampObservedGeneration: true);

        Assert.False(StatusPublisher.Changed(before, after));
    }

    [Fact]
    public void Rebuilding_an_equal_status_from_scratch_is_not_a_change()
    {
        var widget = Reconciled(status: new WidgetStatus { SeenColor = "blue", Passes = 1, Conditions = [Ready("True")] });
        var before = WidgetStatus.Snapshot(widget);

        widget.Status = new WidgetStatus { Conditions = [Ready("True")], Passes = 1, SeenColor = "blue" };

        Assert.False(StatusPublisher.Changed(before, WidgetStatus.Desired(widget, 0, null, stampObservedGeneration: false)));
    }

    public static TheoryData<string, Action<Widget>> Mutations => new()
    {
        { "field changed", w => w.Status!.SeenColor = "red" },
        { "counter changed", w => w.Status!.Passes++ },
        { "condition flipped", w => w.Status!.Conditions![0] = Ready("False") },
        { "condition added", w => w.Status!.Conditions!.Add(new V1Condition { Type = "Synced", Status = "True", Reason = "Ok", Message = string.Empty }) },
        { "status cleared", w => w.Status = null },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_changed_status_is_detected(string because, Action<Widget> mutate)
    {
        var widget = Reconciled(status: new WidgetStatus { SeenColor = "blue", Passes = 1, Conditions = [Ready("True")] });
        var before = WidgetStatus.Snapshot(widget);

        mutate(widget);

        Assert.True(StatusPublisher.Changed(before, WidgetStatus.Desired(widget, 0, null, stampObservedGeneration: false)), because);
    }

    [Fact]
    public void Property_order_does_not_count_as_a_change()
        => Assert.False(StatusPublisher.Changed("""{"a":1,"b":{"x":"y","z":[1,2]}}""", """{"b":{"z":[1,2],"x":"y"},"a":1}"""));

    [Fact]
    public void ObservedGeneration_is_stamped_when_the_status_type_has_it()
    {
        var widget = Reconciled(status: new WidgetStatus { ObservedGeneration = 1 });
        var before = WidgetStatus.Snapshot(widget);

        var after = WidgetStatus.Desired(widget, generation: 2, handledToken: null, stampObservedGeneration: true);

        Assert.True(StatusPublisher.Changed(before, after));
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(after!)!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public void A_handled_reconcile_request_is_echoed_when_the_status_type_has_the_field()
    {
        var widget = Reconciled(status: null);

        var after = WidgetStatus.Desired(widget, generation: 0, handledToken: "2026-03-01T12:00:00Z", stampObservedGeneration: true);

        Assert.Equal("2026-03-01T12:00:00Z", System.Text.Json.Nodes.JsonNode.Parse(after!)!["lastHandledReconcileAt"]!.GetValue<string>());
    }

    [Fact]
    public void Kinds_without_those_fields_get_nothing_added()
    {
        var shape = StatusShape.For(typeof(Gadget));
        var publisher = new StatusPublisher(Api, ResourceDescriptor.For<Gadget>(), shape, 5);
        var gadget = new Gadget { Metadata = new V1ObjectMeta { Name = "g", NamespaceProperty = "ns", Generation = 4 } };

        var after = publisher.Desired(gadget, generation: 4, handledToken: "t", stampObservedGeneration: true);

        Assert.Null(shape.LastHandledReconcileAtJson);
        Assert.Null(shape.ObservedGenerationJson);
        Assert.Null(after);
    }

    private static V1Condition Ready(string status)
        => new() { Type = "Ready", Status = status, Reason = "Because", Message = "m", LastTransitionTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };

    // Round-trip through JSON like an object read from the cache.
    private static Widget Reconciled(WidgetStatus? status)
    {
        var widget = Widget.Create("ns", "w");
        widget.Metadata.Generation = 2;
        widget.Status = status;
        return KubernetesJson.Deserialize<Widget>(KubernetesJson.Serialize(widget));
    }
}
