using System.Security.Cryptography;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Aws.S3;

/// <summary>
/// Copies a deployment artifact from one account's bucket to another's (the management account's platform bucket, read with
/// management credentials, into the project's bucket, written with the member session): S3 cannot copy across accounts without
/// a shared policy, so the bytes stream through the operator. The body is hashed while it is read into a temporary file;
/// a SHA-256 other than the expected one stops the copy before anything is written. The upload carries the checksum, so S3 itself
/// refuses a body corrupted on the way.
/// </summary>
public static class S3ArtifactCopy
{
    /// <summary>Lambda's limit on a zip uploaded directly; larger artifacts are refused before they are buffered.</summary>
    public const long MaxArtifactBytes = 256L * 1024 * 1024;

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> if and only if its SHA-256 is <paramref name="expectedSha256"/>.</summary>
    /// <param name="from">The client that may read the source (e.g. management).</param>
    /// <param name="source">The source object.</param>
    /// <param name="to">The client that may write the target (e.g. the member account).</param>
    /// <param name="target">The target object (bucket, key and optional content type, encryption, metadata; the body is set here).</param>
    /// <param name="expectedSha256">The expected digest, 64 hex characters.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <exception cref="ArtifactChecksumMismatchException">The digest differs (terminal); nothing was written.</exception>
    public static async Task<ArtifactCopyResult> CopyVerifiedAsync(
        IS3Client from,
        GetObjectRequest source,
        IS3Client to,
        PutObjectRequest target,
        string expectedSha256,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(expectedSha256);
        var expected = expectedSha256.Trim().ToLowerInvariant();
        if (expected.Length != 64 || !expected.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("The expected SHA-256 must be 64 hexadecimal characters.", nameof(expectedSha256));
        }

        var path = Path.Combine(Path.GetTempPath(), "openkbs-artifact-" + Guid.NewGuid().ToString("N"));
        await using var buffer = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        byte[] digest;
        string? sourceVersion;
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        using (var response = await from.GetObjectAsync(source, cancellationToken))
        {
            if (response.ContentLength > MaxArtifactBytes)
            {
                throw new ArgumentException($"s3://{source.BucketName}/{source.Key} is {response.ContentLength} bytes, more than {MaxArtifactBytes}.", nameof(source));
            }

            sourceVersion = response.VersionId;
            var chunk = new byte[81920];
            int read;
            while ((read = await response.ResponseStream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                hash.AppendData(chunk, 0, read);
                await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                if (buffer.Length > MaxArtifactBytes)
                {
                    throw new ArgumentException($"s3://{source.BucketName}/{source.Key} is larger than {MaxArtifactBytes} bytes.", nameof(source));
                }
            }

            digest = hash.GetHashAndReset();
        }

        var actual = Convert.ToHexStringLower(digest);
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(expected)))
        {
            throw new ArtifactChecksumMismatchException($"s3://{source.BucketName}/{source.Key}", expected, actual);
        }

        await buffer.FlushAsync(cancellationToken);
        buffer.Position = 0;
        var put = await to.PutObjectAsync(
            target with
            {
                InputStream = buffer,
                ContentBody = null,
                ContentLength = buffer.Length,
                ChecksumSHA256 = Convert.ToBase64String(digest),
            },
            cancellationToken);
        return new ArtifactCopyResult
        {
            Sha256 = actual,
            Length = buffer.Length,
            SourceVersionId = sourceVersion,
            VersionId = put.VersionId,
            ETag = put.ETag,
        };
    }
}
