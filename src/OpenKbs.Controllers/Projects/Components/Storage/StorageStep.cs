using Microsoft.Extensions.Logging;
using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>
/// StorageReady: the project's KMS key (alias <see cref="ProjectNames.KeyAlias"/>, yearly rotation, owner tags; recorded
/// in <c>status.storage.kmsKeyArn</c> right after it is created) and the project bucket in the home region: versioning Enabled,
/// default encryption SSE-KMS with the project key and a bucket key, all four public access blocks, the TLS-only bucket policy
/// (plus the CloudFront OAC grant for <c>status.cdn.distributionId</c>), one lifecycle rule for noncurrent versions, owner tags.
/// The step decides; <see cref="StorageManager"/> observes and applies; <see cref="StorageDelta.Between"/> names the paths that
/// differ, so a drift check of an unchanged bucket costs reads only. A bucket that was blocked (status) found with its public access
/// block removed or weakened is a security-relevant change: an incident (NIS2 Art. 23, <see cref="IncidentSignals"/>) before it is put back,
/// and once put back its cause is recorded cleared (the incident stays open until a person closes it).
/// </summary>
internal sealed partial class StorageStep(ILogger<StorageStep> logger, IncidentSignals? incidents = null) : IProjectStep
{
    public string Name => "storage";

    public string? ConditionType => ConditionTypes.StorageReady;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = new StorageManager(context.Aws.S3, context.Aws.Kms);
        var storage = context.Status.Storage ??= new StorageStatus();
        var keyArn = await EnsureKeyAsync(context, manager, storage, cancellationToken);

        var bucket = context.Names.Bucket;
        var observed = await manager.ObserveBucketAsync(bucket, cancellationToken);
        var created = false;
        if (!observed.Exists)
        {
            created = await manager.CreateBucketAsync(bucket, cancellationToken);
            if (created)
            {
                context.Event(EventType.Normal, ConditionReasons.Creating, $"bucket {bucket} created in {context.Region}");
            }
            else
            {
                // An earlier pass created it (its answer was lost): ours, with whatever that pass had written.
                observed = await manager.ObserveBucketAsync(bucket, cancellationToken);
            }
        }

        if (OwnershipTags.ForeignOwner(observed.Tags.Pairs(), context.Project.Metadata.Uid) is { } owner)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalOwnershipConflict,
                $"bucket {bucket} belongs to {owner}, not to this Project (uid {context.Project.Metadata.Uid}); nothing was changed");
        }

        var desired = new BucketDesired(
            bucket,
            keyArn,
            StorageRendering.Lifecycle(context.Spec.Storage?.NoncurrentVersionRetentionDays),
            StorageRendering.BucketPolicy(bucket, context.AccountId, context.Status.Cdn?.DistributionId),
            context.Tags);
        var delta = StorageDelta.Between(desired, observed);
        if (!delta.IsEmpty)
        {
            LogDelta(logger, context.Key.ToString(), bucket, delta.ToString());
            var madePublic = incidents is not null && !created && storage.PublicAccessBlocked == true && delta.Has(StorageDelta.PublicAccessBlock);
            if (madePublic)
            {
                await incidents!.RaiseAsync(MadePublic(context, bucket), context.Event, context.Account, context.Now, cancellationToken);
            }

            await manager.ApplyAsync(desired, delta, cancellationToken);
            if (madePublic)
            {
                // Put back: the cause is gone (the incident stays open for a person to close: Art. 23 reporting goes on).
                await incidents!.ClearedAsync(
                    IncidentClearance.Of(MadePublic(context, bucket), $"public access block of bucket {bucket} put back by the operator"),
                    context.Event,
                    context.Account,
                    context.Now,
                    cancellationToken);
            }
            if (!created)
            {
                context.Event(EventType.Normal, ProjectReasons.DriftCorrected, $"bucket {bucket}: put back {delta}");
            }
        }

        storage.BucketName = bucket;
        storage.BucketArn = context.Names.BucketArn;
        storage.Versioning = "Enabled";
        storage.Encryption = "aws:kms";
        storage.PublicAccessBlocked = true;
        return StepOutcome.Ready(
            $"bucket {bucket} in {context.Region}: versioning, SSE-KMS with the project key, public access blocked, TLS only, noncurrent versions kept {desired.Lifecycle.NoncurrentDays} days")
            .With(new StorageFacts(keyArn));
    }

    public async Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var manager = new StorageManager(context.Aws.S3, context.Aws.Kms);
        var bucket = context.Names.Bucket;
        var released = OwnershipTags.ReleasedValue(context.Now);
        var tags = (await manager.ReadBucketTagsAsync(bucket, cancellationToken))?.Pairs();
        if (tags is null)
        {
            return await ReleaseKeyAsync(context, manager, released, "no bucket", cancellationToken);
        }

        if (OwnershipTags.ForeignOwner(tags, context.Project.Metadata.Uid) is not null)
        {
            return await ReleaseKeyAsync(context, manager, released, $"bucket {bucket} belongs to another owner and was left alone", cancellationToken);
        }

        if (policy == ProjectDeletionPolicy.Delete && await manager.IsBucketEmptyAsync(bucket, cancellationToken))
        {
            await manager.DeleteBucketAsync(bucket, cancellationToken);
            return await ReleaseKeyAsync(context, manager, released, $"empty bucket {bucket} deleted", cancellationToken);
        }

        if (!OwnershipTags.IsReleased(tags))
        {
            await manager.PutBucketTagsAsync(bucket, tags.Append(KeyValuePair.Create(Labels.Released, released)), cancellationToken);
        }

        if (policy == ProjectDeletionPolicy.Delete)
        {
            context.Event(EventType.Normal, ConditionReasons.Released, $"bucket {bucket} holds data and is kept (tagged {Labels.Released}); empty it deliberately to have it deleted");
        }

        return await ReleaseKeyAsync(context, manager, released, $"bucket {bucket} kept", cancellationToken);
    }

    /// <summary>The key is never deleted: data kept in the bucket or in snapshots would become unreadable. It is tagged released.</summary>
    private static async Task<StepOutcome> ReleaseKeyAsync(ProjectContext context, StorageManager manager, string released, string what, CancellationToken cancellationToken)
    {
        var keyArn = context.Status.Storage?.KmsKeyArn;
        if (keyArn is null)
        {
            keyArn = (await manager.DescribeKeyAsync(context.Names.KeyAlias, cancellationToken))?.Arn;
            if (keyArn is null)
            {
                return StepOutcome.Ready($"{what}; no project key");
            }
        }

        if (!OwnershipTags.IsReleased(await manager.ReadKeyTagsAsync(keyArn, cancellationToken)))
        {
            await manager.TagKeyAsync(keyArn, [KeyValuePair.Create(Labels.Released, released)], cancellationToken);
        }

        return StepOutcome.Ready($"{what}; the project key is kept (tagged {Labels.Released})");
    }

    private static async Task<string> EnsureKeyAsync(ProjectContext context, StorageManager manager, StorageStatus storage, CancellationToken cancellationToken)
    {
        var key = await manager.DescribeKeyAsync(context.Names.KeyAlias, cancellationToken);
        if (key?.Arn is null)
        {
            if (storage.KmsKeyArn is null)
            {
                key = await manager.CreateKeyAsync(
                    $"OpenKBS project {context.Key}: bucket encryption and sealed function settings", StorageRendering.KeyPolicy(context.AccountId), context.Tags, cancellationToken);

                // Checkpoint before the alias: a restart finds the key through status and never creates a second one.
                storage.KmsKeyArn = key.Arn;
                await context.SaveStatusAsync(cancellationToken);
            }

            await manager.CreateAliasAsync(context.Names.KeyAlias, storage.KmsKeyArn!, cancellationToken);
            key = await manager.DescribeKeyAsync(storage.KmsKeyArn!, cancellationToken)
                ?? throw new InvalidOperationException($"KMS does not describe key {storage.KmsKeyArn} right after its alias was created");
        }

        var arn = key.Arn!;
        storage.KmsKeyArn = arn;
        var observed = await manager.ObserveKeyAsync(key, cancellationToken);
        if (!observed.RotationEnabled)
        {
            await manager.EnableRotationAsync(arn, cancellationToken);
        }

        var missing = context.Tags.Where(t => observed.Tags.FirstOrDefault(c => c.Key == t.Key).Value != t.Value).ToList();
        if (missing.Count > 0)
        {
            await manager.TagKeyAsync(arn, missing, cancellationToken);
        }

        return arn;
    }

    private static IncidentReport MadePublic(ProjectContext context, string bucket) => new()
    {
        Namespace = context.Key.Namespace,
        Cause = IncidentCauses.BucketMadePublic,
        Subject = $"Project/{context.Key.Name}/bucket/{bucket}",
        Resource = context.Names.BucketArn,
        Summary = $"the public access block of bucket {bucket} (Project {context.Key.Name}, account {context.AccountId}) was found removed or weakened outside the operator; it is put back",
        Details = new Dictionary<string, string>(StringComparer.Ordinal) { ["accountId"] = context.AccountId, ["bucket"] = bucket, ["region"] = context.Region },
        DetectedAt = context.Now,
        Actor = context.Actor,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Key}: bucket {Bucket} differs in {Delta}; writing only those")]
    private static partial void LogDelta(ILogger logger, string key, string bucket, string delta);
}
