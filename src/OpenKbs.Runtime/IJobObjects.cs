using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// The Jobs a reconciler runs (the AuditRun controller's scan Jobs), the NetworkPolicies that fence their pods, and their pods
/// (read only, for how a container ended), straight from the API server (never cached). No HTTP types leak: a missing object is
/// null or nothing to do, a conflict is <see cref="StatusConflictException"/>.
/// </summary>
public interface IJobObjects
{
    /// <summary>The Job, or null when it does not exist.</summary>
    Task<V1Job?> GetJobAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the Job.</summary>
    /// <exception cref="StatusConflictException">A Job of that name exists already (409): nothing was written.</exception>
    Task<V1Job> CreateJobAsync(V1Job job, CancellationToken cancellationToken);

    /// <summary>Lets a suspended Job start its pod (a merge patch of <c>spec.suspend=false</c>).</summary>
    Task ResumeJobAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Deletes the Job and, in the background, its pods (propagationPolicy Background); a Job that is gone is fine.</summary>
    Task DeleteJobAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the NetworkPolicy unless one of that name exists (then that one is returned).</summary>
    Task<V1NetworkPolicy> EnsureNetworkPolicyAsync(V1NetworkPolicy policy, CancellationToken cancellationToken);

    /// <summary>Deletes the NetworkPolicy; one that is gone is fine.</summary>
    Task DeleteNetworkPolicyAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The pods of <paramref name="namespace"/> that match the label selector.</summary>
    Task<IReadOnlyList<V1Pod>> ListPodsAsync(string @namespace, string labelSelector, CancellationToken cancellationToken);
}
