using k8s;
using k8s.Models;
using OpenKbs.Audit.Isolation;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns;

/// <summary>
/// Submits a scan Job and waits for it through the runtime's <see cref="IJobObjects"/>. The Job is created suspended, then
/// the deny-all NetworkPolicy (owned by the Job, so it goes with it), then the Job is resumed: its pod never runs unfenced.
/// Every step is idempotent, so a pass after a restart that finds the Job half-submitted completes the submission. The wait
/// polls the Job's status (a GET every <c>pollInterval</c>) until it is Complete or Failed; how the container ended (exit
/// code, OOMKilled, the tail of its log as termination message) is read from its pod.
/// </summary>
internal sealed class ScanJobClient(IJobObjects objects, TimeProvider clock, TimeSpan pollInterval) : IScanJobClient
{
    public async Task<ScanJobState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var job = await objects.GetJobAsync(@namespace, name, cancellationToken);
        return job is null ? null : await StateAsync(job, cancellationToken);
    }

    public async Task SubmitAsync(KubernetesScanManifests manifests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var job = KubernetesJson.Deserialize<V1Job>(manifests.Job.ToJsonString());
        job.Spec.Suspend = true;
        V1Job created;
        try
        {
            created = await objects.CreateJobAsync(job, cancellationToken);
        }
        catch (StatusConflictException)
        {
            created = await objects.GetJobAsync(manifests.Namespace, manifests.Name, cancellationToken)
                ?? throw new StatusConflictException($"Job {manifests.Namespace}/{manifests.Name} was deleted while it was submitted");
        }

        var policy = KubernetesJson.Deserialize<V1NetworkPolicy>(manifests.NetworkPolicy.ToJsonString());
        policy.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = created.Metadata.Name, Uid = created.Metadata.Uid }];
        await objects.EnsureNetworkPolicyAsync(policy, cancellationToken);
        if (created.Spec.Suspend == true)
        {
            await objects.ResumeJobAsync(manifests.Namespace, manifests.Name, cancellationToken);
        }
    }

    public async Task<ScanJobState> WaitAsync(string @namespace, string name, TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + limit;
        while (true)
        {
            var state = await FindAsync(@namespace, name, cancellationToken)
                ?? new ScanJobState { Finished = true, Message = $"the Job {@namespace}/{name} was deleted before it finished" };
            if (state.Finished || clock.GetUtcNow() >= until)
            {
                return state;
            }

            await Task.Delay(pollInterval, clock, cancellationToken);
        }
    }

    public async Task DeleteAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        await objects.DeleteJobAsync(@namespace, name, cancellationToken);
        await objects.DeleteNetworkPolicyAsync(@namespace, name + "-isolate", cancellationToken);
    }

    private async Task<ScanJobState> StateAsync(V1Job job, CancellationToken cancellationToken)
    {
        var conditions = job.Status?.Conditions ?? [];
        var complete = conditions.FirstOrDefault(c => c.Type == "Complete" && c.Status == "True");
        var failed = conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        if (complete is null && failed is null)
        {
            return new ScanJobState();
        }

        var pods = await objects.ListPodsAsync(job.Metadata.NamespaceProperty, $"{KubernetesJobScanIsolation.ScanLabel}={job.Metadata.Name}", cancellationToken);
        var terminated = pods
            .SelectMany(p => p.Status?.ContainerStatuses ?? [])
            .Where(c => c.Name == "scan")
            .Select(c => c.State?.Terminated ?? c.LastState?.Terminated)
            .FirstOrDefault(t => t is not null);
        return new ScanJobState
        {
            Finished = true,
            Succeeded = complete is not null,
            DeadlineExceeded = failed?.Reason == "DeadlineExceeded",
            OutOfMemory = terminated?.Reason == "OOMKilled",
            ExitCode = terminated?.ExitCode ?? (complete is not null ? 0 : null),
            Message = terminated?.Message is { Length: > 0 } log ? log : failed?.Message ?? string.Empty,
        };
    }
}
