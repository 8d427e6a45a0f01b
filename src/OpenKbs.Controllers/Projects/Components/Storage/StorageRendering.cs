using System.Text.Json.Nodes;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;

namespace OpenKbs.Controllers.Projects.Components.Storage;

/// <summary>What the storage step writes, as pure functions of the project (golden-tested in <c>Golden/</c>).</summary>
internal static class StorageRendering
{
    /// <summary>The id of the operator's lifecycle rule.</summary>
    public const string LifecycleRuleId = "openkbs-noncurrent-versions";

    /// <summary>Days a noncurrent version is kept when the spec says nothing.</summary>
    public const int DefaultRetentionDays = 30;

    /// <summary>Incomplete multipart uploads are aborted after this many days (they hold no finished object).</summary>
    public const int AbortIncompleteUploadDays = 7;

    /// <summary>
    /// The project key's policy: the account administers it (the AWS default, so IAM policies in the account decide), and
    /// CloudFront distributions of the same account may decrypt objects they read through origin access control.
    /// </summary>
    public static string KeyPolicy(string accountId) => PolicyDocuments.Render(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray
        {
            AccountAdministersTheKey(accountId),
            new JsonObject
            {
                ["Sid"] = "CloudFrontReadsThroughOriginAccessControl",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "cloudfront.amazonaws.com" },
                ["Action"] = "kms:Decrypt",
                ["Resource"] = "*",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = accountId } },
            },
        },
    });

    /// <summary>The statement every project key starts with: the account administers it (the AWS default, so IAM policies decide).</summary>
    public static JsonObject AccountAdministersTheKey(string accountId) => new()
    {
        ["Sid"] = "AccountAdministersTheKey",
        ["Effect"] = "Allow",
        ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" },
        ["Action"] = "kms:*",
        ["Resource"] = "*",
    };

    /// <summary>The bucket policy: deny every non-TLS request; with a distribution, the OAC read grant for exactly that one.</summary>
    public static string BucketPolicy(string bucket, string accountId, string? distributionId) =>
        S3BucketPolicies.TlsOnly(bucket, distributionId is null ? null : $"arn:aws:cloudfront::{accountId}:distribution/{distributionId}");

    /// <summary>The one lifecycle rule: noncurrent versions expire after the retention; stale multipart uploads are aborted.</summary>
    public static LifecycleRule Lifecycle(int? retentionDays) => new()
    {
        Id = LifecycleRuleId,
        Status = "Enabled",
        Prefix = string.Empty,
        NoncurrentDays = retentionDays ?? DefaultRetentionDays,
        AbortIncompleteMultipartUploadDays = AbortIncompleteUploadDays,
    };

    public static PublicAccessBlockConfiguration PublicAccessBlock { get; } =
        new() { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true };

    /// <summary>SSE-KMS with the project key and an S3 bucket key (one KMS call per bucket key lifetime, not per object).</summary>
    public static PutBucketEncryptionRequest Encryption(string bucket, string keyArn) =>
        new() { BucketName = bucket, SSEAlgorithm = "aws:kms", KMSMasterKeyID = keyArn, BucketKeyEnabled = true };

    /// <summary>True when a lifecycle configuration is exactly the operator's rule.</summary>
    public static bool LifecycleMatches(IReadOnlyList<LifecycleRule> current, LifecycleRule desired) =>
        current.Count == 1
        && current[0].Id == desired.Id
        && current[0].Status == desired.Status
        && (current[0].Prefix ?? string.Empty) == desired.Prefix
        && current[0].ExpirationDays == desired.ExpirationDays
        && current[0].NoncurrentDays == desired.NoncurrentDays
        && current[0].AbortIncompleteMultipartUploadDays == desired.AbortIncompleteMultipartUploadDays;
}
