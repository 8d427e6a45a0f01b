using k8s;
using k8s.Models;

namespace OpenKbs.Api;

/// <summary>
/// A namespaced OpenKBS custom resource: type metadata, object metadata, the desired state (<see cref="Spec"/>,
/// written by users only) and the observed state (<see cref="Status"/>, written by the operator only).
/// Serialize with <see cref="KubernetesJson"/> (camelCase, nulls omitted).
/// </summary>
/// <typeparam name="TSpec">The spec record.</typeparam>
/// <typeparam name="TStatus">The status class.</typeparam>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : class
    where TStatus : class
{
    /// <param name="kind">The kind, e.g. <c>ClientAccount</c>.</param>
    protected CustomResource(string kind)
    {
        ApiVersion = ApiGroup.ApiVersion;
        Kind = kind;
    }

    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    public string ApiVersion { get; set; }

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    public string Kind { get; set; }

    /// <summary>Standard object metadata.</summary>
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state, written by users (the operator never writes it).</summary>
    public required TSpec Spec { get; set; }

    /// <summary>The observed state, written by the operator through the status subresource.</summary>
    public TStatus? Status { get; set; }
}
