using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Projects.Components.Artifact;

/// <summary>
/// ArtifactVerified: the artifact named in <c>spec.source</c> is read from the platform bucket with management
/// credentials, hashed while it streams, and copied into the project bucket under the content-addressed key
/// <see cref="ProjectNames.ArtifactKey"/> (member credentials, SSE-KMS with the project key, S3 re-checks the SHA-256) only if
/// its SHA-256 is <c>spec.source.sha256</c>. A mismatch is terminal and nothing is written or deployed. The functions take
/// their code from this copy, so the client account holds everything it runs. A drift check costs one HeadObject.
/// </summary>
internal sealed class ArtifactStep(ProjectOptions options) : IProjectStep
{
    /// <summary>The object metadata key holding the verified SHA-256 of a copy.</summary>
    public const string Sha256Metadata = "openkbs-sha256";

    public string Name => "artifact";

    public string? ConditionType => ConditionTypes.ArtifactVerified;

    public async Task<StepOutcome> RunAsync(ProjectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Spec.Source is not { } source)
        {
            return StepOutcome.Disabled("no artifact: the project has no functions");
        }

        if (context.Facts.Find<StorageFacts>() is not { } storage)
        {
            return StepOutcome.Progressing(ProjectReasons.WaitingForDependency, "waiting for the project bucket", TimeSpan.Zero, nameof(ProjectWaits.WaitForNextPhase));
        }

        var bucket = context.Names.Bucket;
        var key = ProjectNames.ArtifactKey(source.Sha256);
        try
        {
            var head = await context.Aws.S3.HeadObjectAsync(new HeadObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            if (head.Metadata.TryGetValue(Sha256Metadata, out var recorded) && recorded == source.Sha256)
            {
                return Verified(source, new ArtifactLocation { Bucket = bucket, Key = key, VersionId = head.VersionId, Sha256 = source.Sha256 });
            }
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
        }

        var platformBucket = options.ArtifactBucket ?? source.S3.Bucket;
        ArtifactCopyResult copy;
        try
        {
            copy = await S3ArtifactCopy.CopyVerifiedAsync(
                context.Management.S3,
                new GetObjectRequest { BucketName = platformBucket, Key = source.S3.Key },
                context.Aws.S3,
                new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    ContentType = "application/zip",
                    ServerSideEncryption = "aws:kms",
                    SSEKMSKeyId = storage.KeyArn,
                    Metadata = new Dictionary<string, string> { [Sha256Metadata] = source.Sha256 },
                },
                source.Sha256,
                cancellationToken);
        }
        catch (ArtifactChecksumMismatchException ex)
        {
            context.Event(EventType.Warning, ConditionReasons.TerminalArtifactMismatch, ex.Message);
            return StepOutcome.Terminal(ConditionReasons.TerminalArtifactMismatch,
                $"the SHA-256 of s3://{platformBucket}/{source.S3.Key} is {ex.ActualSha256}, not spec.source.sha256 {ex.ExpectedSha256}: nothing unverified is copied or deployed. "
                + "Fix the artifact or the sha256 in the spec");
        }
        catch (AwsServiceException ex) when (ex.IsNotFound && ex.Operation == "GetObject")
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalArtifactNotFound,
                $"s3://{platformBucket}/{source.S3.Key} does not exist ({ex.ErrorCode}); upload the artifact or fix spec.source");
        }
        catch (ArgumentException ex) when (ex.ParamName == "source")
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec, ex.Message);
        }

        context.Event(EventType.Normal, "ArtifactCopied",
            $"artifact s3://{platformBucket}/{source.S3.Key} verified (sha256 {copy.Sha256[..12]}…, {copy.Length} bytes) and copied to s3://{bucket}/{key}");
        return Verified(source, new ArtifactLocation { Bucket = bucket, Key = key, VersionId = copy.VersionId, Sha256 = copy.Sha256 });
    }

    public Task<StepOutcome> FinalizeAsync(ProjectContext context, ProjectDeletionPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Ready("artifact copies stay in the bucket"));

    /// <summary>Ready, with the verified copy as the fact the functions step deploys from.</summary>
    private static StepOutcome Verified(ArtifactSource source, ArtifactLocation artifact) =>
        StepOutcome.Ready($"artifact sha256 {source.Sha256} verified and held in s3://{artifact.Bucket}/{artifact.Key}").With(artifact);
}
