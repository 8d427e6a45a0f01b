using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms;
using OpenKbs.Aws.Kms.Model;

namespace OpenKbs.Controllers.Shared;

/// <summary>The KMS key reads and tag writes every component manager that owns a key makes (Storage's project key, Access's signing keys).</summary>
internal static class KmsKeys
{
    /// <summary>The key an alias, id or ARN names, or null when there is none.</summary>
    public static async Task<KeyMetadata?> DescribeOrNullAsync(this IKmsClient kms, string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken)).KeyMetadata;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The key's tags as pairs.</summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> TagPairsAsync(this IKmsClient kms, string keyArn, CancellationToken cancellationToken) =>
        [.. (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyArn }, cancellationToken)).Tags
            .Select(t => KeyValuePair.Create(t.TagKey ?? string.Empty, t.TagValue ?? string.Empty))];

    public static Task TagAsync(this IKmsClient kms, string keyArn, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        kms.TagResourceAsync(new TagResourceRequest { KeyId = keyArn, Tags = [.. tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value })] }, cancellationToken);
}
