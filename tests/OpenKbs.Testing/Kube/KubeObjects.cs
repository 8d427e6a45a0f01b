using System.Text.Json;
using k8s;
using OpenKbs.Api;

namespace OpenKbs.Testing.Kube;

/// <summary>Reads of the openkbs.com custom resources through the KubernetesClient.</summary>
public static class KubeObjects
{
    /// <summary>The object <paramref name="plural"/>/<paramref name="name"/>, or null when it does not exist.</summary>
    public static async Task<T?> GetOrNullAsync<T>(IKubernetes client, string @namespace, string plural, string name)
        where T : class
    {
        try
        {
            var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, @namespace, plural, name);
            return KubernetesJson.Deserialize<T>(((JsonElement)raw).GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
