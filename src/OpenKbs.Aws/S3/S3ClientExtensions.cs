using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Aws.S3;

/// <summary>Conveniences over <see cref="IS3Client"/>.</summary>
public static class S3ClientExtensions
{
    /// <summary>True when the bucket holds no object version and no delete marker (one ListObjectVersions call).</summary>
    public static async Task<bool> IsBucketEmptyAsync(this IS3Client s3, string bucketName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        var page = await s3.ListObjectVersionsAsync(new ListObjectVersionsRequest { BucketName = bucketName, MaxKeys = 1 }, cancellationToken);
        return page.Versions.Count == 0 && !page.IsTruncated;
    }
}
