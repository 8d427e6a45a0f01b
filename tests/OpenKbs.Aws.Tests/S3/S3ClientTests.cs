using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.S3;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;
using Tag = OpenKbs.Aws.S3.Model.Tag;

namespace OpenKbs.Aws.Tests.S3;

[Collection(MotoCollection.Name)]
public sealed class S3ClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_project_bucket_is_configured_read_back_and_only_deleted_when_empty()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var s3 = member.S3;
        var key = (await member.Kms.CreateKeyAsync(new CreateKeyRequest { Description = "bucket key" })).KeyMetadata!.Arn!;
        const string Bucket = "shop-project-bucket";

        await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = Bucket });
        Assert.Equal("eu-central-1", (await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket })).BucketRegion);
        var owned = await Assert.ThrowsAsync<AwsServiceException>(() => s3.CreateBucketAsync(new CreateBucketRequest { BucketName = Bucket }));
        Assert.Equal("BucketAlreadyOwnedByYou", owned.ErrorCode);
        Assert.True(owned.IsConflict);

        Assert.Null((await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket })).Status);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, Status = "Enabled" });
        Assert.Equal("Enabled", (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = Bucket })).Status);

        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = Bucket, SSEAlgorithm = "aws:kms", KMSMasterKeyID = key, BucketKeyEnabled = true });
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = Bucket });
        Assert.Equal("aws:kms", encryption.SSEAlgorithm);
        Assert.Equal(key, encryption.KMSMasterKeyID);

        var none = await Assert.ThrowsAsync<AwsServiceException>(() => s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = Bucket }));
        Assert.True(none.IsNotFound, none.ErrorCode);
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = Bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = true, IgnorePublicAcls = true, BlockPublicPolicy = true, RestrictPublicBuckets = true },
        });
        var block = (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = Bucket })).PublicAccessBlockConfiguration!;
        Assert.True(block.BlockPublicAcls && block.IgnorePublicAcls && block.BlockPublicPolicy && block.RestrictPublicBuckets);

        await s3.PutBucketLifecycleConfigurationAsync(new PutBucketLifecycleConfigurationRequest
        {
            BucketName = Bucket,
            Rules = [new LifecycleRule { Id = "noncurrent", NoncurrentDays = 30, AbortIncompleteMultipartUploadDays = 7 }],
        });
        var rule = Assert.Single((await s3.GetBucketLifecycleConfigurationAsync(new GetBucketLifecycleConfigurationRequest { BucketName = Bucket })).Rules);
        Assert.Equal(("noncurrent", "Enabled", 30, 7), (rule.Id, rule.Status, rule.NoncurrentDays, rule.AbortIncompleteMultipartUploadDays));

        await s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = Bucket, TagSet = [new Tag { Key = "openkbs.com/uid", Value = "uid-shop" }] });
        Assert.Equal("uid-shop", Assert.Single((await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Bucket })).TagSet).Value);

        Assert.True(await s3.IsBucketEmptyAsync(Bucket));
        var body = Encoding.UTF8.GetBytes("{\"hello\":\"world\"}");
        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = "config/app.json", ContentBody = body, ContentType = "application/json",
            ChecksumSHA256 = Convert.ToBase64String(SHA256.HashData(body)), Metadata = new Dictionary<string, string> { ["sha256"] = "abc" },
        });
        Assert.False(string.IsNullOrEmpty(put.VersionId));
        var head = await s3.HeadObjectAsync(new HeadObjectRequest { BucketName = Bucket, Key = "config/app.json" });
        Assert.Equal(body.Length, head.ContentLength);
        Assert.Equal("abc", head.Metadata["sha256"]);
        using (var got = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "config/app.json" }))
        using (var reader = new StreamReader(got.ResponseStream))
        {
            Assert.Equal("{\"hello\":\"world\"}", await reader.ReadToEndAsync());
            Assert.Equal(put.VersionId, got.VersionId);
        }

        var copy = await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = "config/app.json", DestinationBucket = Bucket, DestinationKey = "config/app.v1.json" });
        Assert.False(string.IsNullOrEmpty(copy.VersionId));
        Assert.False(await s3.IsBucketEmptyAsync(Bucket));
        var versions = await s3.ListObjectVersionsAsync(new ListObjectVersionsRequest { BucketName = Bucket, Prefix = "config/" });
        Assert.Equal(["config/app.json", "config/app.v1.json"], versions.Versions.Select(v => v.Key).Order(StringComparer.Ordinal));

        // Last: moto 5.2.1 evaluates bucket policies but not aws:SecureTransport, so after the TLS-only deny it refuses every object
        // operation, even over HTTPS (a moto gap the controllers' end-to-end runs must plan for).
        var policy = S3BucketPolicies.TlsOnly(Bucket, "arn:aws:cloudfront::123456789012:distribution/E1");
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = Bucket, Policy = policy });
        using (var stored = JsonDocument.Parse((await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = Bucket })).Policy!))
        {
            var statements = stored.RootElement.GetProperty("Statement").EnumerateArray().ToList();
            Assert.Equal("false", statements[0].GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
            Assert.Equal("cloudfront.amazonaws.com", statements[1].GetProperty("Principal").GetProperty("Service").GetString());
        }


        // Client data is never deleted by accident: a bucket with versions refuses deletion (Conflict).
        var notEmpty = await Assert.ThrowsAsync<AwsServiceException>(() => s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = Bucket }));
        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
        Assert.True(notEmpty.IsConflict);

        await s3.CreateBucketAsync(new CreateBucketRequest { BucketName = "shop-empty" });
        await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = "shop-empty" });
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = "shop-empty" }));
        Assert.True(gone.IsNotFound, gone.ErrorCode);

        var records = host.Audit.Records.Where(r => r.Action.StartsWith("s3:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["s3:CreateBucket", "s3:CreateBucket", "s3:PutBucketVersioning", "s3:PutBucketEncryption", "s3:PutPublicAccessBlock",
             "s3:PutBucketLifecycleConfiguration", "s3:PutBucketTagging", "s3:PutObject", "s3:CopyObject", "s3:PutBucketPolicy", "s3:DeleteBucket", "s3:CreateBucket",
             "s3:DeleteBucket"],
            records.Select(r => r.Action));
        Assert.Equal($"arn:aws:s3:::{Bucket}", records[0].Resource);
        Assert.Equal("eu-central-1", records[0].Details["LocationConstraint"]);
        Assert.Equal(AuditOutcome.Failure, records[1].Outcome);
        Assert.StartsWith("sha256:", records[9].Details["Policy"], StringComparison.Ordinal);
        Assert.Equal($"arn:aws:s3:::{Bucket}/config/app.json", records[7].Resource);
        Assert.Equal(AuditOutcome.Failure, records[10].Outcome);

        // Path-style addressing behind the endpoint override, LocationConstraint in the body, no aws-chunked bodies.
        var create = host.Counter.Requests.FirstOrDefault(r => r.Body.Contains("CreateBucketConfiguration", StringComparison.Ordinal));
        Assert.True(create.Target is not null, string.Join('\n', host.Counter.Requests.Select(r => r.Target + " " + r.Body.Length)));
        Assert.EndsWith("/" + Bucket + "/", create.Target, StringComparison.Ordinal); // path style
        Assert.Contains("<LocationConstraint>eu-central-1</LocationConstraint>", create.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Counter.Requests, r => r.Headers.Contains("aws-chunked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_artifact_is_copied_across_accounts_only_when_its_sha256_matches()
    {
        using var host = new AwsTestHost(moto);
        var management = host.Factory.ForManagement(AwsTestHost.Actor("platform"), "eu-central-1").S3;
        var member = Members.In(host, account: "210987654321").S3;
        await management.CreateBucketAsync(new CreateBucketRequest { BucketName = "openkbs-platform-artifacts" });
        var artifact = RandomNumberGenerator.GetBytes(300_000);
        await management.PutObjectAsync(new PutObjectRequest { BucketName = "openkbs-platform-artifacts", Key = "shop/v1.zip", ContentBody = artifact });
        await member.CreateBucketAsync(new CreateBucketRequest { BucketName = "shop-project" });
        var sha = Convert.ToHexStringLower(SHA256.HashData(artifact));

        var wrong = await Assert.ThrowsAsync<ArtifactChecksumMismatchException>(() => S3ArtifactCopy.CopyVerifiedAsync(
            management,
            new GetObjectRequest { BucketName = "openkbs-platform-artifacts", Key = "shop/v1.zip" },
            member,
            new PutObjectRequest { BucketName = "shop-project", Key = "artifacts/v1.zip" },
            new string('0', 64)));
        Assert.True(wrong.IsTerminal);
        Assert.Equal(sha, wrong.ActualSha256);
        Assert.True(await member.IsBucketEmptyAsync("shop-project")); // nothing unverified was written

        var copied = await S3ArtifactCopy.CopyVerifiedAsync(
            management,
            new GetObjectRequest { BucketName = "openkbs-platform-artifacts", Key = "shop/v1.zip" },
            member,
            new PutObjectRequest { BucketName = "shop-project", Key = "artifacts/v1.zip", ContentType = "application/zip" },
            sha.ToUpperInvariant());
        Assert.Equal(sha, copied.Sha256);
        Assert.Equal(artifact.Length, copied.Length);
        using var got = await member.GetObjectAsync(new GetObjectRequest { BucketName = "shop-project", Key = "artifacts/v1.zip", VersionId = copied.VersionId });
        using var buffer = new MemoryStream();
        await got.ResponseStream.CopyToAsync(buffer);
        Assert.Equal(artifact, buffer.ToArray());

        // Another account's bucket name: BucketAlreadyExists is Terminal (moto 5.2.1 does not enforce cross-account access, so reads
        // of a foreign bucket succeed there; only the name clash is observable).
        var foreign = await Assert.ThrowsAsync<AwsServiceException>(() => member.CreateBucketAsync(new CreateBucketRequest { BucketName = "openkbs-platform-artifacts" }));
        Assert.Equal("BucketAlreadyExists", foreign.ErrorCode);
        Assert.True(foreign.IsTerminal);
        var put = Assert.Single(host.Audit.Records, r => r.Action == "s3:PutObject" && r.AccountId == "210987654321");
        Assert.Equal("arn:aws:s3:::shop-project/artifacts/v1.zip", put.Resource);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(artifact)), put.Details["ChecksumSHA256"]);
    }
}
