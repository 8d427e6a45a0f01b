using k8s.Models;
using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>What the status of every OpenKBS kind carries: conditions, the generation they describe, the handled reconcile request.</summary>
public abstract class ResourceStatus
{
    /// <summary>The latest observations of the object's state, one per type (Ready and the kind's component conditions).
    /// Ready=False with a reason starting with <c>Terminal</c> means retrying cannot help until the spec changes.</summary>
    [ListMapKeys("type")]
    [MaxItems(32)]
    public IList<V1Condition> Conditions { get; set; } = [];

    /// <summary>The metadata.generation the operator last reconciled; conditions describe that generation.</summary>
    [Minimum(0)]
    public long? ObservedGeneration { get; set; }

    /// <summary>The last value of the <c>openkbs.com/reconcile-requested-at</c> annotation the operator acted on.</summary>
    [MaxLength(256)]
    public string? LastHandledReconcileAt { get; set; }
}
