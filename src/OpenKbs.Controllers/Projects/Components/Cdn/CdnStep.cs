using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Cdn;

/// <summary>
/// CdnReady: the CloudFront distribution of the project bucket (<see cref="CdnRendering"/>: origin access control
/// <see cref="ProjectNames.OriginAccessControl"/>, redirect-to-https, TLSv1.2_2021 with the spec's ACM certificate and aliases,
/// <c>spec.cdn.priceClass</c>). The id is recorded in <c>status.cdn.distributionId</c> right after the create (a checkpoint), then
/// the step is Progressing; the storage step's next pass grants the distribution read access in the bucket policy. An existing
/// distribution costs GetDistribution (config, status and ETag in one read) and ListTagsForResource; a delta is written with one
/// UpdateDistribution carrying If-Match = the ETag just read (412: re-read on the next pass, never retried blindly). While
/// InProgress: Progressing (<see cref="ProjectWaits.WaitForDistribution"/>). An enabled CDN without a certificate is refused at
/// admission (CloudFront's default certificate forces TLSv1); if admission was bypassed the step is Terminal and creates nothing.
/// Turning the CDN off disables the distribution (kept). Finalize: Retain tags it released; Delete disables it, waits until
/// Deployed, deletes it with If-Match, then deletes the origin access controls. The log bucket is released like the data bucket
/// (<see cref="ReleaseLogBucketAsync"/>: kept with its logs and tagged released unless Delete finds it empty). The step decides; <see cref="CdnManager"/> observes
/// and applies; <see cref="CdnDelta.Between"/> names the paths that differ. The origin access controls are listed once per pass,
/// and only when the distribution does not echo its bucket origin's id or the access function needs its own. Standard logging
/// (<see cref="CdnRendering.Logging"/>) delivers the access logs the daily usage collection counts (docs/usage.md) to the project's
/// log bucket in its own region. The log bucket is drift-checked on every pass that logs, before the distribution is created or
/// updated (<see cref="CdnManager.ObserveLogBucketAsync"/>: seven reads), and <see cref="LogBucketDelta.Between"/> names the
/// settings that differ (Object Ownership, public access block, encryption, the log-delivery ACL grant, expiry, tags, the
/// TLS-only policy); each is put back with one S3 call and reported (log line, <c>DriftCorrected</c> event).
/// </summary>
internal sealed partial class CdnStep(ILogger<CdnStep> logger) : IProjectStep
{
    private const string TerminalTlsRequiresCertificate = "TerminalTlsRequiresCertificate";

    public string Name => "cdn";

    public string? ConditionType => ConditionTypes.CdnReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Spec.Cdn;
        var enabled = spec is { Enabled: true };
        if (!enabled && context.Status.Cdn?.DistributionId is null)
        {
            return StepOutcome.Disabled("no CDN: spec.cdn.enabled is not true");
        }

        spec ??= new CdnSpec();
        if (enabled && (string.IsNullOrEmpty(spec.AcmCertificateArn) || spec.Aliases is not { Count: > 0 }))
        {
            return StepOutcome.Terminal(TerminalTlsRequiresCertificate,
                "spec.cdn needs aliases and acmCertificateArn: CloudFront's default certificate allows TLSv1, and projects require TLSv1.2_2021; nothing was created");
        }

        if (context.Status.Storage?.BucketName is not { } bucket)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project bucket", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var manager = Manager(context);
        var names = context.Names;
        var observed = await ObserveAsync(context, manager, cancellationToken);
        var functionUrl = context.Facts.Find<Access.AccessFacts>()?.FunctionUrl; // /auth/* to the access function (docs/access.md)
        var echoed = observed.EchoedOriginAccessControlId;
        if (echoed is null || functionUrl is not null)
        {
            observed = await manager.ObserveOriginAccessControlsAsync(observed, cancellationToken);
        }

        var oacId = echoed ?? await EnsureOriginAccessControlAsync(manager, observed, CdnRendering.OriginAccessControl(names), cancellationToken);
        var functionOac = functionUrl is null ? null : await EnsureOriginAccessControlAsync(manager, observed, CdnRendering.FunctionOriginAccessControl(names), cancellationToken);
        var desired = new CdnDesired(CdnRendering.Desired(names, spec, bucket, context.Region, oacId, enabled, functionUrl, functionOac), context.Tags);
        if (desired.Config.Logging is { Enabled: true } && await ConvergeLogBucketAsync(context, manager, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (observed.Distribution is not { } distribution)
        {
            if (!enabled)
            {
                context.Status.Cdn = null;
                return StepOutcome.Disabled("no CDN: spec.cdn.enabled is not true (the distribution no longer exists)");
            }

            var (created, existing) = await manager.CreateAsync(desired, cancellationToken);
            if (created is null)
            {
                // The CallerReference is ours: an earlier create's answer was lost. AWS names the existing distribution
                // ("... Already exists: ID"); record it (checkpoint) and read it next pass.
                if (existing is not null)
                {
                    (context.Status.Cdn ??= new CdnStatus()).DistributionId = existing;
                    await context.SaveStatusAsync(cancellationToken);
                }

                return Wait(context, ConditionReasons.Creating, "the distribution exists already (an earlier answer was lost); reading it");
            }

            // Checkpoint: a crash must not lose the id (the storage step grants this distribution read access next pass).
            Record(context, spec, created);
            await context.SaveStatusAsync(cancellationToken);
            context.Event(EventType.Normal, ConditionReasons.Creating, $"CloudFront distribution {created.Id} created ({created.DomainName}), TLSv1.2_2021 for {string.Join(", ", spec.Aliases!)}");
            return Wait(context, ConditionReasons.Creating, $"distribution {created.Id} is deploying");
        }

        var id = distribution.Id!;
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"distribution {id} belongs to {owner}, not to this Project; nothing was changed");
        }

        Record(context, spec, distribution);
        var current = distribution.DistributionConfig!;
        var delta = CdnDelta.Between(desired, observed);
        var rewritten = delta.Paths.Count > 0;
        if (rewritten)
        {
            LogDelta(logger, context.Key.ToString(), id, delta.ToString());
            try
            {
                var updated = await manager.UpdateAsync(id, observed.ETag!, desired.Config with { CallerReference = current.CallerReference ?? desired.Config.CallerReference }, cancellationToken);
                Record(context, spec, updated ?? distribution);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.PreconditionFailed or AwsErrorCode.InvalidIfMatchVersion)
            {
                return StepOutcome.Progressing(ConditionReasons.Updating, $"distribution {id} changed since it was read (ETag); re-reading", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
            }

            context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"distribution {id}: put back {delta}");
        }

        await manager.ApplyTagsAsync(id, delta, cancellationToken);
        if (rewritten || distribution.Status != "Deployed")
        {
            return Wait(context, ConditionReasons.Updating, $"distribution {id} is deploying{(rewritten ? $" ({delta})" : string.Empty)}");
        }

        if (!enabled)
        {
            return StepOutcome.Disabled($"spec.cdn.enabled is not true: distribution {id} is disabled and kept");
        }

        var logs = desired.Config.Logging is { Enabled: true }
            ? $"access logs to {context.Names.CdnLogBucket}"
            : $"no access logs (CloudFront cannot deliver them to {context.Region}: no CDN usage figures)";
        return StepOutcome.Ready($"distribution {id} ({distribution.DomainName}) deployed: HTTPS only, TLSv1.2_2021 for {string.Join(", ", spec.Aliases!)}, {desired.Config.PriceClass}, bucket through origin access control, {logs}");
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = Manager(context);
        var observed = await ObserveAsync(context, manager, cancellationToken);
        if (observed.Distribution is not { } distribution)
        {
            if (policy == ProjectDeletionPolicy.Delete)
            {
                observed = await manager.ObserveOriginAccessControlsAsync(observed, cancellationToken);
                foreach (var oacConfig in new[] { CdnRendering.OriginAccessControl(context.Names), CdnRendering.FunctionOriginAccessControl(context.Names) })
                {
                    if (observed.OriginAccessControlId(oacConfig.Name) is not { } oac)
                    {
                        continue;
                    }

                    try
                    {
                        await manager.DeleteOriginAccessControlAsync(oac, cancellationToken);
                    }
                    catch (AwsServiceException ex) when (ex.IsConflict)
                    {
                        return Wait(context, ConditionReasons.Deleting, $"origin access control {oac} is still in use");
                    }
                }
            }

            context.Status.Cdn = null;
            return StepOutcome.Ready($"no distribution; {await ReleaseLogBucketAsync(context, manager, policy, cancellationToken)}");
        }

        var id = distribution.Id!;
        var etag = observed.ETag;
        if (observed.OwnerOtherThan(context.Project.Metadata.Uid) is not null)
        {
            return StepOutcome.Ready($"distribution {id} belongs to another owner and was left alone; {await ReleaseLogBucketAsync(context, manager, policy, cancellationToken)}");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (!OwnershipTags.IsReleased(observed.Tags.Pairs()))
            {
                await manager.TagAsync(id, Labels.Released, OwnershipTags.ReleasedValue(context.Now), cancellationToken);
            }

            return StepOutcome.Ready($"distribution {id} kept (tagged {Labels.Released}); {await ReleaseLogBucketAsync(context, manager, policy, cancellationToken)}");
        }

        var config = distribution.DistributionConfig!;
        try
        {
            if (config.Enabled)
            {
                await manager.UpdateAsync(id, etag!, config with { Enabled = false }, cancellationToken);
                context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: distribution {id} disabled; deleting once deployed");
                return Wait(context, ConditionReasons.Deleting, $"distribution {id} is being disabled");
            }

            if (distribution.Status != "Deployed")
            {
                return Wait(context, ConditionReasons.Deleting, $"distribution {id} is {distribution.Status}; deleting once deployed");
            }

            await manager.DeleteAsync(id, etag!, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.PreconditionFailed or AwsErrorCode.DistributionNotDisabled or AwsErrorCode.InvalidIfMatchVersion)
        {
            return StepOutcome.Progressing(ConditionReasons.Deleting, $"distribution {id} changed since it was read ({ex.ErrorCode}); re-reading", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: distribution {id} deleted");
        context.Status.Cdn = null;
        return StepOutcome.Progressing(ConditionReasons.Deleting, $"distribution {id} deleted; the origin access control next", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
    }

    /// <summary>
    /// The access log bucket on deletion, exactly like the data bucket (soft delete): deleted only under Delete and only when it
    /// holds no object version at all; otherwise kept with its logs (they still expire after <see cref="CdnRendering.LogRetentionDays"/>
    /// days; the empty bucket stays) and tagged <c>openkbs.com/released</c>, with an Event under Delete. One with another
    /// Project's uid is left alone. Returns what was done, for the outcome's message.
    /// </summary>
    private static async Task<string> ReleaseLogBucketAsync(ProjectContext context, CdnManager manager, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        var bucket = context.Names.CdnLogBucket;
        var tags = (await manager.ReadLogBucketTagsAsync(bucket, cancellationToken))?.Pairs();
        if (tags is null)
        {
            return "no log bucket";
        }

        if (OwnershipTags.ForeignOwner(tags, context.Project.Metadata.Uid) is not null)
        {
            return $"log bucket {bucket} belongs to another owner and was left alone";
        }

        if (policy == ProjectDeletionPolicy.Delete && await manager.IsLogBucketEmptyAsync(bucket, cancellationToken))
        {
            await manager.DeleteLogBucketAsync(bucket, cancellationToken);
            return $"empty log bucket {bucket} deleted";
        }

        if (!OwnershipTags.IsReleased(tags))
        {
            await manager.PutLogBucketTagsAsync(bucket, tags.Append(KeyValuePair.Create(Labels.Released, OwnershipTags.ReleasedValue(context.Now))), cancellationToken);
        }

        if (policy == ProjectDeletionPolicy.Delete)
        {
            context.Event(EventType.Normal, ConditionReasons.Released,
                $"log bucket {bucket} holds CloudFront access logs and is kept (tagged {Labels.Released}); they expire after {CdnRendering.LogRetentionDays} days, empty it deliberately to have it deleted");
        }

        return $"log bucket {bucket} kept with its access logs (tagged {Labels.Released})";
    }

    private static CdnManager Manager(ProjectContext context) => new(context.Aws.CloudFront, context.Aws.S3, context.AccountId);

    /// <summary>
    /// The access log bucket: created when missing (an earlier pass's lost answer adopted), then every setting that differs
    /// from <see cref="LogBucketDesired"/> written (all of them for a new bucket) and, for an existing bucket, reported as drift.
    /// Terminal (nothing changed) when the bucket carries another Project's uid.
    /// </summary>
    private async Task<StepOutcome?> ConvergeLogBucketAsync(ProjectContext context, CdnManager manager, CancellationToken cancellationToken)
    {
        var bucket = context.Names.CdnLogBucket;
        var observed = await manager.ObserveLogBucketAsync(bucket, cancellationToken);
        var created = false;
        if (!observed.Exists)
        {
            created = await manager.CreateLogBucketAsync(bucket, cancellationToken);
            observed = created
                ? LogBucketObservation.Missing with { ObjectOwnership = CdnRendering.LogBucketOwnership }
                : await manager.ObserveLogBucketAsync(bucket, cancellationToken);
            if (created)
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"CloudFront access log bucket {bucket} created in {context.Region}");
            }
        }

        if (OwnershipTags.ForeignOwner(observed.Tags.Pairs(), context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"log bucket {bucket} belongs to {owner}, not to this Project (uid {context.Project.Metadata.Uid}); nothing was changed");
        }

        var desired = new LogBucketDesired(bucket, S3BucketPolicies.TlsOnly(bucket), context.Tags);
        var delta = LogBucketDelta.Between(desired, observed);
        if (!delta.IsEmpty)
        {
            if (!created)
            {
                LogLogBucketDelta(logger, context.Key.ToString(), bucket, delta.ToString());
            }

            await manager.ApplyLogBucketAsync(desired, delta, observed.Acl?.OwnerId, cancellationToken);
            if (!created)
            {
                context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"log bucket {bucket}: put back {delta}");
            }
        }

        return null;
    }

    /// <summary>The project's distribution: by the id in status, else by its comment (an earlier answer was lost). One deleted
    /// behind our back is forgotten (and with it its bucket grant): the next pass creates a new one.</summary>
    private static async Task<CdnObservation> ObserveAsync(ProjectContext context, CdnManager manager, CancellationToken cancellationToken)
    {
        var observed = await manager.ObserveAsync(context.Status.Cdn?.DistributionId, CdnRendering.DistributionComment(context.Names), cancellationToken);
        if (observed.IsGone)
        {
            context.Status.Cdn = null;
        }

        return observed;
    }

    /// <summary>The id of the origin access control <paramref name="config"/> names, created when the observation has none.</summary>
    private static async Task<string> EnsureOriginAccessControlAsync(CdnManager manager, CdnObservation observed, OriginAccessControlConfig config, CancellationToken cancellationToken) =>
        observed.OriginAccessControlId(config.Name) ?? await manager.CreateOriginAccessControlAsync(config, cancellationToken);

    private static void Record(ProjectContext context, CdnSpec spec, Distribution distribution)
    {
        var status = context.Status.Cdn ??= new CdnStatus();
        status.DistributionId = distribution.Id;
        status.DomainName = distribution.DomainName ?? status.DomainName;
        status.Status = distribution.Status;
        context.Status.Endpoint = spec.Enabled ? CdnRendering.Endpoint(spec, status.DomainName) : null;
    }

    private static StepOutcome Wait(ProjectContext context, string reason, string message) =>
        StepOutcome.Progressing(reason, message, context.Options.WaitForDistribution, nameof(ProjectWaits.WaitForDistribution));

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: CloudFront access log bucket {Bucket} differs in {Delta}; writing only those")]
    private static partial void LogLogBucketDelta(ILogger logger, string key, string bucket, string delta);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: distribution {Id} differs in {Delta}; one UpdateDistribution with If-Match")]
    private static partial void LogDelta(ILogger logger, string key, string id, string delta);
}
