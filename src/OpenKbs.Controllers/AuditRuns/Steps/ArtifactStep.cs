using System.Security.Cryptography;
using OpenKbs.Api;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Shared.Recipes;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.AuditRuns.Steps;

/// <summary>
/// ArtifactVerified: reads the artifact and checks its SHA-256 before anything else reads it. First the Project's own
/// verified copy (<see cref="ProjectNames.ArtifactKey"/> in the project bucket, through the client account's 900 s session),
/// else the named object in the platform artifact bucket (management credentials, read only). Missing and mismatching
/// artifacts are terminal with the object named; nothing is scanned.
/// </summary>
internal sealed class ArtifactStep(ProjectOptions projectOptions) : IRecipeStep<AuditPass>
{
    public string Name => "artifact";

    public string? ConditionType => ConditionTypes.ArtifactVerified;

    public async Task<StepOutcome> RunAsync(AuditPass pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var target = pass.Facts.Require<AuditTarget>();
        var expected = target.Source.Sha256;
        byte[] bytes;
        string where;
        var copyKey = ProjectNames.ArtifactKey(expected);
        var bucket = projectOptions.ArtifactBucket ?? target.Source.S3.Bucket;
        var source = $"s3://{bucket}/{target.Source.S3.Key}";
        try
        {
            // HeadObject first: S3 answers a GET of a missing key with 403 where the caller may not list the bucket.
            await target.Member.S3.HeadObjectAsync(new HeadObjectRequest { BucketName = target.Bucket, Key = copyKey }, cancellationToken);
            bytes = await ReadAsync(target.Member.S3, target.Bucket, copyKey, cancellationToken);
            where = $"s3://{target.Bucket}/{copyKey}";
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            where = source;
            try
            {
                bytes = await ReadAsync(pass.Aws.ForManagement(pass.Actor).S3, bucket, target.Source.S3.Key, cancellationToken);
            }
            catch (AwsServiceException missing) when (missing.IsNotFound)
            {
                return StepOutcome.Terminal(ConditionReasons.TerminalArtifactNotFound,
                    $"{where} does not exist ({missing.ErrorCode}) and the project bucket holds no verified copy of sha256 {expected}; upload the artifact or fix the source");
            }
        }
        catch (InvalidDataException ex)
        {
            return StepOutcome.Terminal(ConditionReasons.TerminalInvalidSpec, ex.Message);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            pass.Event(EventType.Warning, ConditionReasons.TerminalArtifactMismatch, $"the SHA-256 of {where} is {actual}, not {expected}");
            return StepOutcome.Terminal(ConditionReasons.TerminalArtifactMismatch,
                $"the SHA-256 of {where} is {actual}, not the expected {expected}: nothing unverified is audited. Fix the artifact or the sha256 and create a new AuditRun");
        }

        pass.Status.ArtifactSha256 = actual;
        return StepOutcome.Ready($"artifact sha256 {actual} verified ({bytes.Length} bytes from {where})").With(new VerifiedArtifact(bytes, source));
    }

    private static async Task<byte[]> ReadAsync(IS3Client s3, string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        if (response.ContentLength > S3ArtifactCopy.MaxArtifactBytes)
        {
            throw new InvalidDataException($"s3://{bucket}/{key} is {response.ContentLength} bytes, over the {S3ArtifactCopy.MaxArtifactBytes}-byte limit of a deployment artifact");
        }

        using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
