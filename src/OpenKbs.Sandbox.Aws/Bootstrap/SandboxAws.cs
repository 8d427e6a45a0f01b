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
/// and the aws CLI use. Idempotent: an existing organization, bucket or object is fine.
/// </summary>
public static class SandboxAws
{
    public const string ArtifactBucket = "openkbs-artifacts";

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

        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = MotoDefaults.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
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
