using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Storage;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The pure parts of this room's steps: policy comparison, lifecycle, the API-key payload (function deltas: FunctionDeltaTests).</summary>
public sealed class ProjectRenderingTests
{
    public static TheoryData<string?, string, bool> Policies => new()
    {
        { """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", """{"Statement":[{"Resource":"*","Action":"s3:GetObject","Effect":"Allow"}],"Version":"2012-10-17"}""", true },
        { """{"Statement":{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}}""", """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", true },
        { """{"Statement":[{"Action":["b","a"]}]}""", """{"Statement":[{"Action":["a","b"]}]}""", true },
        { "{\n  \"Statement\": [ { \"Effect\": \"Deny\" } ]\n}", """{"Statement":[{"Effect":"Deny"}]}""", true },
        { """{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}""", """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}""", false },
        { """{"Statement":[{"Effect":"Allow"},{"Effect":"Deny"}]}""", """{"Statement":[{"Effect":"Allow"}]}""", false },
        { null, """{"Statement":[]}""", false },
        { "not json", """{"Statement":[]}""", false },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policies_are_compared_by_meaning(string? current, string desired, bool equivalent) =>
        Assert.Equal(equivalent, PolicyDocuments.Equivalent(current, desired));

    public static TheoryData<int?, int> Retention => new() { { null, StorageRendering.DefaultRetentionDays }, { 1, 1 }, { 365, 365 } };

    [Theory]
    [MemberData(nameof(Retention))]
    public void Lifecycle_keeps_noncurrent_versions_for_the_retention_and_matches_only_itself(int? days, int expected)
    {
        var rule = StorageRendering.Lifecycle(days);

        Assert.Equal(expected, rule.NoncurrentDays);
        Assert.True(StorageRendering.LifecycleMatches([rule], rule));
        Assert.False(StorageRendering.LifecycleMatches([rule with { NoncurrentDays = expected + 1 }], rule));
        Assert.False(StorageRendering.LifecycleMatches([rule, rule with { Id = "other" }], rule));
        Assert.False(StorageRendering.LifecycleMatches([], rule));
    }

    [Fact]
    public void The_bucket_policy_denies_plain_http_and_grants_only_the_named_distribution()
    {
        var without = StorageRendering.BucketPolicy("okbs-b", "111122223333", null);
        var with = StorageRendering.BucketPolicy("okbs-b", "111122223333", "E1");

        Assert.Contains("\"aws:SecureTransport\":\"false\"", without, StringComparison.Ordinal);
        Assert.DoesNotContain("cloudfront", without, StringComparison.Ordinal);
        Assert.Contains("\"AWS:SourceArn\":\"arn:aws:cloudfront::111122223333:distribution/E1\"", with, StringComparison.Ordinal);
        Assert.False(PolicyDocuments.Equivalent(without, with));
    }

    [Fact]
    public void Ten_keys_during_a_rotation_stay_small_and_the_payload_holds_hashes_only()
    {
        var keys = Enumerable.Range(0, 10)
            .Select(i => new AcceptedKey($"key-{i}", ApiKeyMaterial.Sha256(ApiKeyMaterial.Generate()), ["orders:read", "orders:write"], "1.0.0+0123456789ab"))
            .ToList();

        var payload = ApiKeyPayload.Render(keys);

        Assert.Equal(keys, ApiKeyPayload.Parse(payload), new AcceptedKeyComparer());
        Assert.InRange(payload.Length, 1, 1500);
    }

    [Fact]
    public void Keys_are_256_random_bits_with_a_prefix_and_are_shown_only_by_hash_and_fingerprint()
    {
        var key = ApiKeyMaterial.Generate();
        var sha = ApiKeyMaterial.Sha256(key);

        Assert.StartsWith(ApiKeyMaterial.Prefix, key, StringComparison.Ordinal);
        Assert.Equal(ApiKeyMaterial.Prefix.Length + 43, key.Length);
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.Equal(sha[..12], ApiKeyMaterial.Fingerprint(sha));
        Assert.NotEqual(key, ApiKeyMaterial.Generate());
    }

    private sealed class AcceptedKeyComparer : IEqualityComparer<AcceptedKey>
    {
        public bool Equals(AcceptedKey? x, AcceptedKey? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Sha256 == y.Sha256 && x.Deployment == y.Deployment && x.Permissions.SequenceEqual(y.Permissions);

        public int GetHashCode(AcceptedKey obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
