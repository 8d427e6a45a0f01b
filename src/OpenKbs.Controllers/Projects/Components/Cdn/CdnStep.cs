using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.CloudFront.Model;
using OpenKbs.Aws.Core;
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
/// Deployed, deletes it with If-Match, then deletes the origin access control.
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

        var cloudFront = context.Aws.CloudFront;
        var names = context.Names;
        var found = await FindAsync(context, cancellationToken);
        var oacId = found?.Distribution.DistributionConfig?.Origins?.Items is [{ OriginAccessControlId: { Length: > 0 } echoed }, ..]
            ? echoed
            : await EnsureOriginAccessControlAsync(context, CdnRendering.OriginAccessControl(names), create: true, cancellationToken);
        var functionUrl = context.Facts.Find<Access.AccessFacts>()?.FunctionUrl; // /auth/* to the access function (docs/access.md)
        var functionOac = functionUrl is null ? null : await EnsureOriginAccessControlAsync(context, CdnRendering.FunctionOriginAccessControl(names), create: true, cancellationToken);
        var desired = CdnRendering.Desired(names, spec, bucket, context.Region, oacId!, enabled, functionUrl, functionOac);

        if (found is null)
        {
            if (!enabled)
            {
                context.Status.Cdn = null;
                return StepOutcome.Disabled("no CDN: spec.cdn.enabled is not true (the distribution no longer exists)");
            }

            Distribution created;
            try
            {
                created = (await cloudFront.CreateDistributionWithTagsAsync(
                    new CreateDistributionWithTagsRequest
                    {
                        DistributionConfigWithTags = new DistributionConfigWithTags
                        {
                            DistributionConfig = desired,
                            Tags = new Tags { Items = [.. context.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })] },
                        },
                    },
                    cancellationToken)).Distribution!;
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.DistributionAlreadyExists)
            {
                // The CallerReference is ours: an earlier create's answer was lost. AWS names the existing distribution
                // ("... Already exists: ID"); record it (checkpoint) and read it next pass.
                if (ExistingId(ex.AwsMessage) is { } existing)
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

        var (distribution, etag) = found.Value;
        var id = distribution.Id!;
        var arn = Arn(context, id);
        var tags = (await cloudFront.ListTagsForResourceAsync(new ListTagsForResourceRequest { Resource = arn }, cancellationToken)).Tags?.Items ?? [];
        if (tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value is { } uid && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"distribution {id} belongs to {tags.FirstOrDefault(t => t.Key == Labels.Owner)?.Value ?? uid}, not to this Project; nothing was changed");
        }

        Record(context, spec, distribution);
        var current = distribution.DistributionConfig!;
        var delta = CdnRendering.Delta(current, desired);
        if (delta.Count > 0)
        {
            LogDelta(logger, context.Key.ToString(), id, string.Join(", ", delta));
            try
            {
                var updated = await cloudFront.UpdateDistributionAsync(
                    new UpdateDistributionRequest { Id = id, IfMatch = etag!, DistributionConfig = desired with { CallerReference = current.CallerReference ?? desired.CallerReference } },
                    cancellationToken);
                Record(context, spec, updated.Distribution ?? distribution);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.PreconditionFailed or AwsErrorCode.InvalidIfMatchVersion)
            {
                return StepOutcome.Progressing(ConditionReasons.Updating, $"distribution {id} changed since it was read (ETag); re-reading", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
            }

            context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"distribution {id}: put back {string.Join(", ", delta)}");
        }

        await TagAsync(context, arn, tags, cancellationToken);
        if (delta.Count > 0 || distribution.Status != "Deployed")
        {
            return Wait(context, ConditionReasons.Updating, $"distribution {id} is deploying{(delta.Count > 0 ? $" ({string.Join(", ", delta)})" : string.Empty)}");
        }

        if (!enabled)
        {
            return StepOutcome.Disabled($"spec.cdn.enabled is not true: distribution {id} is disabled and kept");
        }

        return StepOutcome.Ready($"distribution {id} ({distribution.DomainName}) deployed: HTTPS only, TLSv1.2_2021 for {string.Join(", ", spec.Aliases!)}, {desired.PriceClass}, bucket through origin access control");
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cloudFront = context.Aws.CloudFront;
        var found = await FindAsync(context, cancellationToken);
        if (found is null)
        {
            foreach (var oacConfig in new[] { CdnRendering.OriginAccessControl(context.Names), CdnRendering.FunctionOriginAccessControl(context.Names) })
            {
                if (policy == ProjectDeletionPolicy.Delete && await EnsureOriginAccessControlAsync(context, oacConfig, create: false, cancellationToken) is { } oac)
                {
                    try
                    {
                        var current = await cloudFront.GetOriginAccessControlAsync(new GetOriginAccessControlRequest { Id = oac }, cancellationToken);
                        await cloudFront.DeleteOriginAccessControlAsync(new DeleteOriginAccessControlRequest { Id = oac, IfMatch = current.ETag }, cancellationToken);
                    }
                    catch (AwsServiceException ex) when (ex.IsConflict)
                    {
                        return Wait(context, ConditionReasons.Deleting, $"origin access control {oac} is still in use");
                    }
                    catch (AwsServiceException ex) when (ex.IsNotFound)
                    {
                    }
                }
            }

            context.Status.Cdn = null;
            return StepOutcome.Ready("no distribution");
        }

        var (distribution, etag) = found.Value;
        var id = distribution.Id!;
        var arn = Arn(context, id);
        var tags = (await cloudFront.ListTagsForResourceAsync(new ListTagsForResourceRequest { Resource = arn }, cancellationToken)).Tags?.Items ?? [];
        if (tags.FirstOrDefault(t => t.Key == Labels.Uid)?.Value is { } uid && uid != context.Project.Metadata.Uid)
        {
            return StepOutcome.Ready($"distribution {id} belongs to another owner and was left alone");
        }

        if (policy == ProjectDeletionPolicy.Retain)
        {
            if (tags.All(t => t.Key != Labels.Released))
            {
                await cloudFront.TagResourceAsync(new TagResourceRequest { Resource = arn, Tags = new Tags { Items = [new Tag { Key = Labels.Released, Value = Stamp(context) }] } }, cancellationToken);
            }

            return StepOutcome.Ready($"distribution {id} kept (tagged {Labels.Released})");
        }

        var config = distribution.DistributionConfig!;
        try
        {
            if (config.Enabled)
            {
                await cloudFront.UpdateDistributionAsync(new UpdateDistributionRequest { Id = id, IfMatch = etag!, DistributionConfig = config with { Enabled = false } }, cancellationToken);
                context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: distribution {id} disabled; deleting once deployed");
                return Wait(context, ConditionReasons.Deleting, $"distribution {id} is being disabled");
            }

            if (distribution.Status != "Deployed")
            {
                return Wait(context, ConditionReasons.Deleting, $"distribution {id} is {distribution.Status}; deleting once deployed");
            }

            await cloudFront.DeleteDistributionAsync(new DeleteDistributionRequest { Id = id, IfMatch = etag! }, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is AwsErrorCode.PreconditionFailed or AwsErrorCode.DistributionNotDisabled or AwsErrorCode.InvalidIfMatchVersion)
        {
            return StepOutcome.Progressing(ConditionReasons.Deleting, $"distribution {id} changed since it was read ({ex.ErrorCode}); re-reading", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        context.Event(EventType.Normal, ConditionReasons.Deleting, $"deletionPolicy Delete: distribution {id} deleted");
        context.Status.Cdn = null;
        return StepOutcome.Progressing(ConditionReasons.Deleting, $"distribution {id} deleted; the origin access control next", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
    }

    /// <summary>The project's distribution with its ETag: by the id in status, else by its comment (an earlier answer was lost).</summary>
    private static async Task<(Distribution Distribution, string? ETag)?> FindAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        var cloudFront = context.Aws.CloudFront;
        var id = context.Status.Cdn?.DistributionId;
        if (id is null)
        {
            var comment = CdnRendering.DistributionComment(context.Names);
            id = (await cloudFront.ListDistributionsAsync(new ListDistributionsRequest(), cancellationToken)).DistributionList?.Items?
                .FirstOrDefault(d => d.Comment == comment)?.Id;
            if (id is null)
            {
                return null;
            }
        }

        try
        {
            var response = await cloudFront.GetDistributionAsync(new GetDistributionRequest { Id = id }, cancellationToken);
            return (response.Distribution!, response.ETag);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            // Deleted behind our back: forget it (and its bucket grant); the next pass creates a new one.
            context.Status.Cdn = null;
            return null;
        }
    }

    /// <summary>The id of the origin access control <paramref name="config"/> names, created when missing and <paramref name="create"/>.</summary>
    private static async Task<string?> EnsureOriginAccessControlAsync(ProjectContext context, OriginAccessControlConfig config, bool create, CancellationToken cancellationToken)
    {
        var cloudFront = context.Aws.CloudFront;
        var name = config.Name;
        var existing = (await cloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest(), cancellationToken)).OriginAccessControlList?.Items?
            .FirstOrDefault(o => o.Name == name)?.Id;
        if (existing is not null || !create)
        {
            return existing;
        }

        try
        {
            return (await cloudFront.CreateOriginAccessControlAsync(new CreateOriginAccessControlRequest { OriginAccessControlConfig = config }, cancellationToken))
                .OriginAccessControl!.Id;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.OriginAccessControlAlreadyExists)
        {
            return (await cloudFront.ListOriginAccessControlsAsync(new ListOriginAccessControlsRequest(), cancellationToken)).OriginAccessControlList?.Items?
                .First(o => o.Name == name).Id;
        }
    }

    private static async Task TagAsync(ProjectContext context, string arn, IReadOnlyList<Tag> tags, CancellationToken cancellationToken)
    {
        var missing = context.Tags.Where(t => tags.FirstOrDefault(c => c.Key == t.Key)?.Value != t.Value).Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
        if (missing.Count > 0)
        {
            await context.Aws.CloudFront.TagResourceAsync(new TagResourceRequest { Resource = arn, Tags = new Tags { Items = missing } }, cancellationToken);
        }

        if (tags.Any(t => t.Key == Labels.Released))
        {
            await context.Aws.CloudFront.UntagResourceAsync(new UntagResourceRequest { Resource = arn, TagKeys = new TagKeys { Items = [Labels.Released] } }, cancellationToken);
        }
    }

    private static void Record(ProjectContext context, CdnSpec spec, Distribution distribution)
    {
        var status = context.Status.Cdn ??= new CdnStatus();
        status.DistributionId = distribution.Id;
        status.DomainName = distribution.DomainName ?? status.DomainName;
        status.Status = distribution.Status;
        context.Status.Endpoint = spec.Enabled ? CdnRendering.Endpoint(spec, status.DomainName) : null;
    }

    /// <summary>The id AWS names in a DistributionAlreadyExists message (<c>... Already exists: E2QWRUHEXAMPLE</c>).</summary>
    internal static string? ExistingId(string? message)
    {
        const string marker = "Already exists: ";
        var at = message?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var id = new string([.. message![(at + marker.Length)..].TakeWhile(char.IsAsciiLetterOrDigit)]);
        return id.Length > 0 ? id : null;
    }

    private static string Arn(ProjectContext context, string id) => $"arn:aws:cloudfront::{context.AccountId}:distribution/{id}";

    private static StepOutcome Wait(ProjectContext context, string reason, string message) =>
        StepOutcome.Progressing(reason, message, context.Options.WaitForDistribution, nameof(ProjectWaits.WaitForDistribution));

    private static string Stamp(ProjectContext context) =>
        context.Now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: distribution {Id} differs in {Delta}; one UpdateDistribution with If-Match")]
    private static partial void LogDelta(ILogger logger, string key, string id, string delta);
}
