using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>The test Widget CRD (TestData/widgets.crd.yaml) and helpers to install it on any target.</summary>
public static class WidgetCrd
{
    public const string Group = "test.openkbs.com";
    public const string Version = "v1";
    public const string Plural = "widgets";

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "widgets.crd.yaml");

    public static string Collection(string ns) => $"/apis/{Group}/{Version}/namespaces/{ns}/{Plural}";

    public static string Item(string ns, string name) => $"{Collection(ns)}/{name}";

    public static JsonObject New(string name, string color = "red", int replicas = 1, JsonObject? labels = null, params string[] finalizers)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        if (finalizers.Length > 0)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        }

        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "Widget",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["color"] = color, ["replicas"] = replicas },
        };
    }

    public static async Task InstallAsync(IKubernetes client, RawApi raw)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(Path));
        try
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Already installed by another test of the class.
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var (status, _) = await raw.SendAsync(HttpMethod.Get, $"/apis/{Group}/{Version}/{Plural}?limit=1");
            if (status == 200)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the Widget CRD was not served within 60 s");
    }
}
