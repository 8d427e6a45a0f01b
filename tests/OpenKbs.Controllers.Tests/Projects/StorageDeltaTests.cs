using OpenKbs.Api;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.Projects.Components.Storage;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The storage delta is a pure function of desired and observed: each differing setting names exactly one path.</summary>
public sealed class StorageDeltaTests
{
    private const string KeyArn = "arn:aws:kms:eu-central-1:111122223333:key/k1";

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenant/shop" };

    private static readonly BucketDesired Desired = new(
        "okbs-b", KeyArn, StorageRendering.Lifecycle(30), StorageRendering.BucketPolicy("okbs-b", "111122223333", null), Owner);

    private static readonly BucketObservation Converged = new(
        Exists: true,
        [.. Owner.Select(t => new Tag { Key = t.Key, Value = t.Value }), new Tag { Key = "cost-centre", Value = "42" }],
        "Enabled",
        new GetBucketEncryptionResponse { SSEAlgorithm = "aws:kms", KMSMasterKeyID = KeyArn, BucketKeyEnabled = true },
        StorageRendering.PublicAccessBlock,
        [StorageRendering.Lifecycle(30)],
        StorageRendering.BucketPolicy("okbs-b", "111122223333", null));

    [Fact]
    public void A_converged_bucket_has_no_delta() => Assert.True(StorageDelta.Between(Desired, Converged).IsEmpty);

    [Fact]
    public void A_missing_bucket_needs_every_path_in_write_order()
    {
        var delta = StorageDelta.Between(Desired, BucketObservation.Missing);

        Assert.Equal(
            [StorageDelta.PublicAccessBlock, StorageDelta.Versioning, StorageDelta.Encryption, StorageDelta.Lifecycle, StorageDelta.Tags, StorageDelta.Policy],
            delta.Paths);
        Assert.Equal(Owner, delta.MergedTags);
    }

    private static readonly Dictionary<string, (string Path, Func<BucketObservation, BucketObservation> Drift)> DriftCases = new(StringComparer.Ordinal)
    {
        ["Versioning-0"] = (StorageDelta.Versioning, o => o with { Versioning = "Suspended" }),
        ["Encryption-1"] = (StorageDelta.Encryption, o => o with { Encryption = new GetBucketEncryptionResponse { SSEAlgorithm = "AES256" } }),
        ["Encryption-2"] = (StorageDelta.Encryption, o => o with { Encryption = o.Encryption! with { KMSMasterKeyID = "arn:aws:kms:eu-central-1:111122223333:key/other" } }),
        ["Encryption-3"] = (StorageDelta.Encryption, o => o with { Encryption = o.Encryption! with { BucketKeyEnabled = false } }),
        ["PublicAccessBlock-4"] = (StorageDelta.PublicAccessBlock, o => o with { PublicAccessBlock = StorageRendering.PublicAccessBlock with { RestrictPublicBuckets = false } }),
        ["PublicAccessBlock-5"] = (StorageDelta.PublicAccessBlock, o => o with { PublicAccessBlock = null }),
        ["Lifecycle-6"] = (StorageDelta.Lifecycle, o => o with { Lifecycle = [StorageRendering.Lifecycle(7)] }),
        ["Lifecycle-7"] = (StorageDelta.Lifecycle, o => o with { Lifecycle = null }),
        ["Policy-8"] = (StorageDelta.Policy, o => o with { Policy = StorageRendering.BucketPolicy("okbs-b", "111122223333", "E1") }),
        ["Policy-9"] = (StorageDelta.Policy, o => o with { Policy = null }),
        ["Tags-10"] = (StorageDelta.Tags, o => o with { Tags = [.. o.Tags.Where(t => t.Key != Labels.Uid)] }),
        ["Tags-11"] = (StorageDelta.Tags, o => o with { Tags = [.. o.Tags, new Tag { Key = Labels.Released, Value = "2026-01-01T00:00:00Z" }] }),
    };

    public static TheoryData<string> Drifts => [.. DriftCases.Keys];

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_path(string drift)
    {
        var (path, change) = DriftCases[drift];
        var delta = StorageDelta.Between(Desired, change(Converged));

        Assert.Equal([path], delta.Paths);
        Assert.Equal(path == StorageDelta.Tags, delta.MergedTags is not null);
    }

    [Fact]
    public void Other_tools_tags_are_kept_and_the_released_tag_cleared_when_tags_are_written()
    {
        var observed = Converged with { Tags = [new Tag { Key = "cost-centre", Value = "42" }, new Tag { Key = Labels.Released, Value = "x" }] };

        var tags = StorageDelta.Between(Desired, observed).MergedTags!;

        Assert.Equal("42", tags["cost-centre"]);
        Assert.False(tags.ContainsKey(Labels.Released));
        Assert.Equal("u1", tags[Labels.Uid]);
    }
}
