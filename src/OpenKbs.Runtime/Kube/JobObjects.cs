using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OpenKbs.Runtime.Kube;

/// <summary><see cref="IJobObjects"/> over the KubernetesClient's BatchV1, NetworkingV1 and CoreV1 APIs.</summary>
public sealed class JobObjects(IKubernetes kubernetes) : IJobObjects
{
    public async Task<V1Job?> GetJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.BatchV1.ReadNamespacedJobAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        try
        {
            return await kubernetes.BatchV1.CreateNamespacedJobAsync(job, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            throw new StatusConflictException($"Job {job.Metadata.NamespaceProperty}/{job.Metadata.Name} exists already", ex);
        }
    }

    public async Task ResumeJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var patch = new V1Patch("{\"spec\":{\"suspend\":false}}", V1Patch.PatchType.MergePatch);
        await kubernetes.BatchV1.PatchNamespacedJobAsync(patch, name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.BatchV1.DeleteNamespacedJobAsync(name, @namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    public async Task<V1NetworkPolicy> EnsureNetworkPolicyAsync(V1NetworkPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var ns = policy.Metadata.NamespaceProperty;
        try
        {
            return await kubernetes.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return await kubernetes.NetworkingV1.ReadNamespacedNetworkPolicyAsync(policy.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteNetworkPolicyAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string @namespace, string labelSelector, CancellationToken cancellationToken)
    {
        var list = await kubernetes.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. list.Items];
    }
}
