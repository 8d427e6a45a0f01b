using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OpenKbs.Runtime.Tests.Widgets;

/// <summary>The tiny test kind (group test.openkbs.com) the runtime tests reconcile.</summary>
[KubernetesEntity(Group = "test.openkbs.com", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>, ISpec<WidgetSpec>, IStatus<WidgetStatus?>
{
    public const string Group = "test.openkbs.com";

    public static readonly ResourceDescriptor Descriptor = ResourceDescriptor.For<Widget>();

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "test.openkbs.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public static Widget Create(string @namespace, string name, string color = "blue") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
        Spec = new WidgetSpec { Color = color },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("color")]
    public string? Color { get; set; }

    /// <summary>Behaviour the test reconciler follows: "", "terminal", "fail", "slow".</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastHandledReconcileAt")]
    public string? LastHandledReconcileAt { get; set; }

    [JsonPropertyName("seenColor")]
    public string? SeenColor { get; set; }

    [JsonPropertyName("passes")]
    public int Passes { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}

/// <summary>A kind whose status has neither observedGeneration nor lastHandledReconcileAt.</summary>
[KubernetesEntity(Group = "test.openkbs.com", ApiVersion = "v1", Kind = "Gadget", PluralName = "gadgets")]
public sealed class Gadget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "test.openkbs.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Gadget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("status")]
    public GadgetStatus? Status { get; set; }
}

public sealed class GadgetStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }
}
