using OpenKbs.Aws.Core;
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

    /// <summary>The bucket's tags (empty when it has none), or null when there is no bucket (one GetBucketTagging).</summary>
    public static async Task<IReadOnlyList<Tag>?> ReadBucketTagsAsync(this IS3Client s3, string bucketName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(s3);
        try
        {
            return (await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucketName }, cancellationToken)).TagSet;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchBucket)
        {
            return null;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == AwsErrorCode.NoSuchTagSet)
        {
            return [];
        }
    }

    /// <summary>A bucket setting's read, or null when the bucket has none of it (a missing bucket still throws NoSuchBucket).</summary>
    public static async Task<T?> SettingOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (AwsServiceException ex) when (ex.IsNotFound && ex.ErrorCode != AwsErrorCode.NoSuchBucket)
        {
            return null;
        }
    }
}
