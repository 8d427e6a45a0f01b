using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects;

/// <summary>
/// One component of a Project (storage, artifact, database, execution role, functions, API keys, CDN, schedules, usage), in the
/// style of cert-manager's narrow controllers and ACK's resource managers: observe the component in AWS, compare it with the
/// spec, write only what differs (log the delta's paths), and say how it stands. Steps run in the fixed order of
/// <see cref="ProjectSteps"/>; a step reads facts earlier steps put in the <see cref="ProjectContext"/> (bucket, key, artifact,
/// role, function ARNs) and adds its own. Steps are scoped services (one instance per pass) and must be idempotent: a pass can
/// stop at any instant (crash, restart, leadership loss) and the next pass starts from AWS again.
/// <para>
/// Contract: return outcome values, never throw for an expected AWS answer; an <see cref="Aws.Core.AwsServiceException"/> that
/// escapes becomes Transient or Terminal through <see cref="Shared.AwsOutcomes"/>. Unchanged resources cost reads only. Every
/// AWS mutation goes through the member-account clients of <see cref="ProjectContext.Aws"/> (900-second sessions, home region)
/// and is audited by the AWS layer; record a Kubernetes Event through <see cref="ProjectContext.Event"/> for changes a human
/// should see. Never put a secret in a message, an Event or a log.
/// </para>
/// </summary>
internal interface IProjectStep
{
    /// <summary>A short name for logs, e.g. <c>storage</c>.</summary>
    string Name { get; }

    /// <summary>The condition this step owns (<see cref="Api.ConditionTypes"/>), or null for a step that only contributes to Ready
    /// (execution role, key staging, usage): its non-ready outcome then shows in Ready's message.</summary>
    string? ConditionType { get; }

    /// <summary>Observe the component in AWS and converge it on the spec.</summary>
    Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The Project is being deleted. <see cref="ProjectDeletionPolicy.Retain"/>: leave everything in place and tag it
    /// <c>openkbs.com/released</c>. <see cref="ProjectDeletionPolicy.Delete"/>: remove what holds no client data, keep what does
    /// (final snapshot first, a non-empty bucket stays). Ready means this step's part of the deletion is done; Progressing
    /// waits (the finalizer stays until every step is done). Steps are finalized in reverse order.
    /// </summary>
    Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken);
}
