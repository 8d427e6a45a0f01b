using k8s;
using k8s.Autorest;
using k8s.Models;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>Widget CRUD through KubernetesClient, and polling helpers with generous timeouts (loaded 2-core machines).</summary>
internal static class WidgetApi
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task<Widget> CreateAsync(this IKubernetes client, Widget widget)
        => client.CustomObjects.CreateNamespacedCustomObjectAsync<Widget>(widget, Widget.Group, "v1", widget.Metadata.NamespaceProperty, "widgets");

    public static async Task<Widget?> GetWidgetAsync(this IKubernetes client, string ns, string name)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<Widget>(Widget.Group, "v1", ns, "widgets", name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static Task<Widget> PatchWidgetAsync(this IKubernetes client, string ns, string name, string mergePatch)
        => client.CustomObjects.PatchNamespacedCustomObjectAsync<Widget>(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), Widget.Group, "v1", ns, "widgets", name);

    public static Task DeleteWidgetAsync(this IKubernetes client, string ns, string name)
        => client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns, "widgets", name);

    /// <summary>Polls until the widget satisfies <paramref name="condition"/>; returns it, or fails with the last state seen.</summary>
    public static async Task<Widget> WaitForWidgetAsync(this IKubernetes client, string ns, string name, Func<Widget, bool> condition, string what)
    {
        Widget? last = null;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetWidgetAsync(ns, name);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{ns}/{name}: not {what} within {Patience.TotalSeconds} s; last status: {KubernetesJson.Serialize(last?.Status)}");
    }

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {Patience.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {Patience.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }
}
