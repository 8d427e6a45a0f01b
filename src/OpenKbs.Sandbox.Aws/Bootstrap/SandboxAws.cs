using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Amazon.S3;
using Amazon.S3.Model;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Zip;

namespace OpenKbs.Sandbox.Aws.Bootstrap;

/// <summary>
/// Prepares an AWS emulator (moto) for the sandbox: the AWS Organization of the management account (all features),
/// the platform artifact bucket in eu-central-1 and the example artifacts, and the environment (aws.env) the operator
/// and the aws CLI use; on request (<see cref="CreateAnchorBucketAsync"/>) the audit trail's anchor bucket with Object Lock.
/// Idempotent: an existing organization, bucket or object is fine.
/// </summary>
public static class SandboxAws
{
    public const string ArtifactBucket = "openkbs-artifacts";

    /// <summary>The anchor bucket's name `make run` asks for (hack/run.sh, <c>openkbs sandbox --anchor-bucket</c>).</summary>
    public const string AnchorBucket = "openkbs-audit-anchors";

    /// <summary>The environment pointing AWS SDKs and the aws CLI at <paramref name="endpoint"/>, in aws.env order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return
        [
            new("AWS_ENDPOINT_URL", endpoint.ToString().TrimEnd('/')),
            new("AWS_ACCESS_KEY_ID", MotoDefaults.AccessKeyId),
            new("AWS_SECRET_ACCESS_KEY", MotoDefaults.SecretAccessKey),
            new("AWS_REGION", MotoDefaults.Region),
            new("AWS_DEFAULT_REGION", MotoDefaults.Region),
            new("OPENKBS_ARTIFACT_BUCKET", ArtifactBucket),
        ];
    }

    /// <summary>
    /// The operator's settings for the anchor bucket <paramref name="bucket"/> made by <see cref="CreateAnchorBucketAsync"/>
    /// (<c>AuditStore:AnchorBucket</c> and <c>AuditStore:AnchorRegion</c> as environment variables); none without a bucket.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> AnchorSettings(string? bucket) =>
        string.IsNullOrEmpty(bucket)
            ? []
            : [new("OPENKBS_AuditStore__AnchorBucket", bucket), new("OPENKBS_AuditStore__AnchorRegion", MotoDefaults.Region)];

    /// <summary>Writes shell `export` lines (values single-quoted).</summary>
    public static void WriteEnvFile(string path, IEnumerable<KeyValuePair<string, string>> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var sb = new StringBuilder();
        foreach (var (name, value) in environment)
        {
            sb.Append("export ").Append(name).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Creates the organization and the bucket, and uploads the example artifacts. Returns the uploaded artifacts with their SHA-256.</summary>
    public static async Task<IReadOnlyList<(ExampleArtifact Artifact, string Sha256)>> BootstrapAsync(Uri endpoint, string? examplesDirectory, TextWriter log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(log);
        var credentials = new BasicAWSCredentials(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey);
        await CreateOrganizationAsync(endpoint, credentials, log, ct);

        using var s3 = S3(endpoint, credentials);
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = ArtifactBucket, BucketRegionName = MotoDefaults.Region }, ct);
            await log.WriteLineAsync($"aws: created bucket s3://{ArtifactBucket} in {MotoDefaults.Region}");
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            await log.WriteLineAsync($"aws: bucket s3://{ArtifactBucket} exists");
        }

        var uploaded = new List<(ExampleArtifact, string)>();
        if (examplesDirectory is not null && Directory.Exists(examplesDirectory))
        {
            foreach (var artifact in ExampleArtifacts.Find(examplesDirectory, ArtifactBucket))
            {
                var zip = DeterministicZip.Create(artifact.Directory);
                var sha = DeterministicZip.Sha256Hex(zip);
                using var body = new MemoryStream(zip);
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = ArtifactBucket, Key = artifact.Key, InputStream = body, ContentType = "application/zip" }, ct);
                var check = artifact.ExpectedSha256 is null ? string.Empty : artifact.ExpectedSha256 == sha ? " (matches the manifest)" : $" (WARNING: the manifest pins {artifact.ExpectedSha256})";
                await log.WriteLineAsync($"aws: uploaded s3://{ArtifactBucket}/{artifact.Key} sha256 {sha}{check}");
                uploaded.Add((artifact, sha));
            }
        }

        return uploaded;
    }

    /// <summary>
    /// The bucket the operator anchors its audit chains' heads to (<c>AuditStore:AnchorBucket</c>): in the management account (moto's
    /// default credentials, the ones the operator uses for its own account) and <see cref="MotoDefaults.Region"/>, created with Object
    /// Lock enabled (<c>ObjectLockEnabledForBucket</c>, which also turns versioning on), as the operator requires at start. Idempotent.
    /// </summary>
    public static async Task CreateAnchorBucketAsync(Uri endpoint, string bucket, TextWriter log, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentNullException.ThrowIfNull(log);
        using var s3 = S3(endpoint, new BasicAWSCredentials(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey));
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = MotoDefaults.Region, ObjectLockEnabledForBucket = true }, ct);
            await log.WriteLineAsync($"aws: created the audit anchor bucket s3://{bucket} in {MotoDefaults.Region} with Object Lock");
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            await log.WriteLineAsync($"aws: bucket s3://{bucket} exists");
        }
    }

    private static AmazonS3Client S3(Uri endpoint, AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = MotoDefaults.Region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private static async Task CreateOrganizationAsync(Uri endpoint, AWSCredentials credentials, TextWriter log, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes("{\"FeatureSet\":\"ALL\"}");
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = endpoint, Content = body };
        signing.Headers["Content-Type"] = "application/x-amz-json-1.1";
        signing.Headers["X-Amz-Target"] = "AWSOrganizationsV20161128.CreateOrganization";
        var signed = await AWSSigV4Signer.SignAsync(
            signing,
            new AWSSigV4Parameters
            {
                Credentials = credentials,
                Region = RegionEndpoint.USEast1,
                Service = "organizations",
                SignPayload = true,
            },
            ct);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSOrganizationsV20161128.CreateOrganization");
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            await log.WriteLineAsync("aws: created the AWS Organization (all features) in the management account");
        }
        else if (response.StatusCode == HttpStatusCode.BadRequest && text.Contains("AlreadyInOrganizationException", StringComparison.Ordinal))
        {
            await log.WriteLineAsync("aws: the AWS Organization exists");
        }
        else
        {
            throw new InvalidOperationException($"CreateOrganization answered {(int)response.StatusCode}: {text}");
        }
    }
}
