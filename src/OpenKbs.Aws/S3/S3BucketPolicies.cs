using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Aws.S3;

/// <summary>The bucket policy of a project bucket: deny every request not made over TLS, and (with a CDN) let exactly one CloudFront distribution read objects.</summary>
public static class S3BucketPolicies
{
    /// <summary>
    /// A deny of non-TLS requests on the bucket and its objects, plus, when <paramref name="distributionArn"/> is given, the origin
    /// access control grant: <c>s3:GetObject</c> for <c>cloudfront.amazonaws.com</c> on condition <c>AWS:SourceArn</c> = the distribution.
    /// A deny-only policy is not public, so it agrees with Block Public Access.
    /// </summary>
    public static string TlsOnly(string bucketName, string? distributionArn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucketName);
        var statements = new JsonArray
        {
            new JsonObject
            {
                ["Sid"] = "DenyInsecureTransport",
                ["Effect"] = "Deny",
                ["Principal"] = "*",
                ["Action"] = "s3:*",
                ["Resource"] = new JsonArray($"arn:aws:s3:::{bucketName}", $"arn:aws:s3:::{bucketName}/*"),
                ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
            },
        };
        if (distributionArn is not null)
        {
            statements.Add(new JsonObject
            {
                ["Sid"] = "AllowCloudFrontOriginAccessControl",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "cloudfront.amazonaws.com" },
                ["Action"] = "s3:GetObject",
                ["Resource"] = $"arn:aws:s3:::{bucketName}/*",
                ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["AWS:SourceArn"] = distributionArn } },
            });
        }

        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
