using k8s;

namespace OpenKbs.Operator.Commands;

/// <summary>The cluster a command talks to: <c>--kubeconfig PATH</c>, else $KUBECONFIG / ~/.kube/config, or in-cluster.</summary>
internal static class KubeConfigs
{
    /// <summary>The configuration, or null after writing why there is none to <paramref name="error"/> as <c>{verb}: no cluster ...</c>.</summary>
    public static async Task<KubernetesClientConfiguration?> ResolveAsync(string? path, string verb, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return !string.IsNullOrWhiteSpace(path) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
                : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException)
        {
            await error.WriteLineAsync($"{verb}: no cluster to talk to: {ex.Message}");
            return null;
        }
    }
}
