using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Chaos.Realism;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>
/// moto denies every object call under a TLS-only bucket policy (it cannot evaluate <c>aws:SecureTransport</c>); with
/// realism on, the sandbox stands for AWS's TLS endpoint: the policy is kept as written and only conditional statements are
/// kept from moto.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class S3PolicyRealismTests(MotoServerFixture moto)
{
    private static readonly BasicAWSCredentials Credentials = new(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey);

    private static string TlsOnly(string bucket) =>
        """{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"AllowCloudFrontOriginAccessControl","Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::123456789012:distribution/E1"}}}]}""".Replace("BUCKET", bucket, StringComparison.Ordinal);

    public static TheoryData<string, HttpStatusCode> Cases => new()
    {
        { "s3-tls=off", HttpStatusCode.Forbidden }, // moto 5.2.1 as it is: the finding this module covers
        { "off", HttpStatusCode.OK }, // on by default, faults and realism or not
        { "realism=on", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Object_calls_under_a_tls_only_policy(string spec, HttpStatusCode expected)
    {
        using var s3 = S3(new AwsChaosEngine(spec));
        var bucket = $"tls-only-{Guid.NewGuid():N}"[..40];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = MotoDefaults.Region });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "data/a.txt", ContentBody = "a" });
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = TlsOnly(bucket) });

        var status = await StatusAsync(() => s3.GetObjectMetadataAsync(bucket, "data/a.txt"));
        var policy = (await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket })).Policy;

        Assert.Equal(expected, status);
        Assert.Equal(TlsOnly(bucket), policy);
    }

    [Fact]
    public async Task Unconditional_statements_still_reach_moto_and_a_deleted_policy_is_forgotten()
    {
        using var s3 = S3(new AwsChaosEngine("off"));
        var bucket = $"deny-get-{Guid.NewGuid():N}"[..30];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = MotoDefaults.Region });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "a" });
        var denyGet = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
        await s3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = denyGet });

        var denied = await StatusAsync(() => s3.GetObjectAsync(bucket, "k"));
        await s3.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = bucket });
        var allowed = await StatusAsync(() => s3.GetObjectAsync(bucket, "k"));
        var gone = await StatusAsync(() => s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = bucket }));

        Assert.Equal(HttpStatusCode.Forbidden, denied);
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    public static TheoryData<string, string?> Buckets => new()
    {
        { "http://127.0.0.1:5000/shop?policy", "shop" },
        { "http://127.0.0.1:5000/shop/data/a.txt", "shop" },
        { "https://shop.s3.eu-central-1.amazonaws.com/?policy", "shop" },
        { "https://shop.s3.amazonaws.com/?policy", "shop" },
        { "http://127.0.0.1:5000/", null },
    };

    [Theory]
    [MemberData(nameof(Buckets))]
    public void Bucket_of_path_style_and_virtual_host_requests(string uri, string? bucket) =>
        Assert.Equal(bucket, S3PolicyRealism.BucketOf(new Uri(uri)));

    private AmazonS3Client S3(AwsChaosEngine engine) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = MotoDefaults.Region,
        MaxErrorRetry = 0,
        HttpClientFactory = new AwsChaosHttpClientFactory(engine),
    });

    private static async Task<HttpStatusCode> StatusAsync<T>(Func<Task<T>> call)
        where T : AmazonWebServiceResponse
    {
        try
        {
            return (await call()).HttpStatusCode;
        }
        catch (AmazonS3Exception ex)
        {
            return ex.StatusCode;
        }
    }
}
