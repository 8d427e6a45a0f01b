using System.Text.Json;
using k8s;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>ClientAccount manifests and reads through the KubernetesClient.</summary>
internal static class ClientAccountApi
{
    public static string Manifest(string @namespace, string name, string email, string? ou = null, string? extra = null) => $"""
        apiVersion: openkbs.com/v1alpha1
        kind: ClientAccount
        metadata:
          name: {name}
          namespace: {@namespace}
        spec:
          email: {email}
        {(ou is null ? string.Empty : $"  organizationalUnit: {ou}\n")}{extra ?? string.Empty}
        """;

    public static async Task<ClientAccount?> GetAsync(IKubernetes client, string @namespace, string name)
    {
        try
        {
            var raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Name, ApiGroup.Version, @namespace, ClientAccount.KubePlural, name);
            return KubernetesJson.Deserialize<ClientAccount>(((JsonElement)raw).GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Polls until <paramref name="until"/> holds for the object (null = gone); fails with the last status after <paramref name="timeout"/>.</summary>
    public static async Task<ClientAccount?> WaitAsync(IKubernetes client, string @namespace, string name, Func<ClientAccount?, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        ClientAccount? current;
        while (true)
        {
            current = await GetAsync(client, @namespace, name);
            if (until(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{@namespace}/{name} did not reach the expected state; status: {KubernetesJson.Serialize(current?.Status)}");
            }

            await Task.Delay(200);
        }
    }

    public static bool IsReady(ClientAccount? resource) => resource?.Status is { } s && Conditions.IsTrue(s.Conditions, ConditionTypes.Ready)
        && Conditions.Find(s.Conditions, ConditionTypes.Ready)!.ObservedGeneration == resource.Metadata.Generation;

    public static string? ReadyReason(ClientAccount? resource) => Conditions.Find(resource?.Status?.Conditions, ConditionTypes.Ready)?.Reason;
}
