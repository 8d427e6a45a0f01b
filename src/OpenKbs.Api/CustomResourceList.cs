using k8s;
using k8s.Models;

namespace OpenKbs.Api;

/// <summary>A list of custom resources as the API server returns it (e.g. <c>ClientAccountList</c>).</summary>
/// <typeparam name="T">The resource type.</typeparam>
public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string Kind { get; set; } = string.Empty;

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
