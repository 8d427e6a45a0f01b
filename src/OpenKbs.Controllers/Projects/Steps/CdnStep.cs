using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Controllers.Projects.Steps;

/// <summary>
/// PLACEHOLDER, filled by engineer <c>project2</c>: the CloudFront distribution (CallerReference
/// <see cref="ProjectNames.DistributionCallerReference"/>, redirect-to-https, TLSv1.2_2021, <c>spec.cdn.priceClass</c>, the project
/// bucket as origin through origin access control <see cref="ProjectNames.OriginAccessControl"/>), updates with If-Match = the current
/// ETag (re-read on 412), status <c>cdn</c> and <c>endpoint</c>. The bucket policy is owned by the storage step, which adds the OAC
/// grant for <c>status.cdn.distributionId</c> on the next pass (return Progressing after a create; the distribution is InProgress
/// anyway). Waits: <see cref="ProjectWaits.WaitForDistribution"/>. Finalize: Retain tags it released; Delete disables, waits for
/// Deployed, deletes with If-Match. Until then: Disabled when the CDN is not enabled, NotImplemented (blocks Ready) when it is.
/// </summary>
internal sealed class CdnStep : IProjectStep
{
    public string Name => "cdn";

    public string? ConditionType => ConditionTypes.CdnReady;

    public Task<StepOutcome> ObserveAndConvergeAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Spec.Cdn is { Enabled: true }
            ? StepOutcome.NotImplemented("the CDN step is not implemented yet (engineer project2)")
            : StepOutcome.Disabled("no CDN: spec.cdn.enabled is not true"));
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("nothing to release"));
}
