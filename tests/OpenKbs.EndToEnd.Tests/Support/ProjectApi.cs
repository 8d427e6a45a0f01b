using k8s;
using k8s.Models;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Testing.Kube;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>Project reads and waits through the KubernetesClient.</summary>
internal static class ProjectApi
{
    public static Task<Project?> GetAsync(IKubernetes client, string @namespace, string name) =>
        KubeObjects.GetOrNullAsync<Project>(client, @namespace, Project.KubePlural, name);

    public static V1Condition? Condition(Project project, string type) => project.Status?.Conditions.FirstOrDefault(c => c.Type == type);

    public static bool IsReady(Project project) =>
        Condition(project, ConditionTypes.Ready) is { Status: "True" } ready && ready.ObservedGeneration == project.Metadata.Generation;

    /// <summary>One line per condition, for failure messages.</summary>
    public static string Describe(Project? project) => project is null
        ? "(no such Project)"
        : $"{project.Metadata.NamespaceProperty}/{project.Metadata.Name} gen {project.Metadata.Generation}: "
          + string.Join("; ", project.Status?.Conditions.Select(c => $"{c.Type}={c.Status} {c.Reason} {c.Message} (gen {c.ObservedGeneration})") ?? []);

    /// <summary>Polls until <paramref name="until"/> holds; fails with the conditions and <paramref name="diagnostics"/> at the deadline.</summary>
    public static async Task<Project> WaitAsync(
        IKubernetes client, string @namespace, string name, Func<Project, bool> until, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var last = await GetAsync(client, @namespace, name);
            if (last is not null && until(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Project {@namespace}/{name} did not reach the expected state in {timeout}: {Describe(last)}\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(250);
        }
    }

    public static Task<Project> WaitReadyAsync(IKubernetes client, string @namespace, string name, TimeSpan timeout, Func<string>? diagnostics = null) =>
        WaitAsync(client, @namespace, name, IsReady, timeout, diagnostics);

    /// <summary>Asks for an immediate pass (annotation <c>openkbs.com/reconcile-requested-at</c>) and waits until the operator echoes
    /// the token in <c>status.lastHandledReconcileAt</c>: every AWS call of that pass happened before the echo.</summary>
    public static async Task<Project> RequestPassAsync(IKubernetes client, string @namespace, string name, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var token = Guid.NewGuid().ToString("N");
        var patch = new V1Patch("{\"metadata\":{\"annotations\":{\"" + Annotations.ReconcileRequestedAt + "\":\"" + token + "\"}}}", V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, ApiGroup.Name, ApiGroup.Version, @namespace, Project.KubePlural, name);
        return await WaitAsync(client, @namespace, name, p => p.Status?.LastHandledReconcileAt == token, timeout, diagnostics);
    }

    /// <summary>A merge patch of the spec.</summary>
    public static async Task PatchSpecAsync(IKubernetes client, string @namespace, string name, string specJson)
    {
        var patch = new V1Patch("{\"spec\":" + specJson + "}", V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, ApiGroup.Name, ApiGroup.Version, @namespace, Project.KubePlural, name);
    }
}
