using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Sandbox.Aws.Moto;
using OpenKbs.Testing.AwsChaos;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

/// <summary>The handler inside the official AWS SDK for .NET's own pipeline (no proxy).</summary>
[Collection(MotoCollection.Name)]
public sealed class ChaosHandlerSdkTests(MotoServerFixture moto)
{
    private static readonly BasicAWSCredentials Credentials = new(MotoDefaults.AccessKeyId, MotoDefaults.SecretAccessKey);

    private AmazonS3Client S3(AwsChaosEngine engine, int retries = 0, TimeSpan? timeout = null) => new(Credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = MotoDefaults.Region,
        MaxErrorRetry = retries,
        HttpClientFactory = new AwsChaosHttpClientFactory(engine),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    });

    private AmazonSecurityTokenServiceClient Sts(AwsChaosEngine engine) => new(Credentials, new AmazonSecurityTokenServiceConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = MotoDefaults.Region,
        MaxErrorRetry = 0,
        HttpClientFactory = new AwsChaosHttpClientFactory(engine),
    });

    [Fact]
    public async Task S3_slow_down_is_an_amazon_s3_exception_with_status_503()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("off");
        engine.ScriptFault(AwsFaultKind.Throttle, "s3");
        using var s3 = S3(engine);

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());

        Assert.Equal(("SlowDown", HttpStatusCode.ServiceUnavailable), (error.ErrorCode, error.StatusCode));
        Assert.Equal(1, engine.Stats.Count(AwsFaultKind.Throttle));
    }

    [Fact]
    public async Task Sts_throttling_is_an_sts_exception_with_the_query_error_code()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("off");
        engine.ScriptFault(AwsFaultKind.Throttle, "sts", "GetCallerIdentity");
        using var sts = Sts(engine);

        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        Assert.Equal(("Throttling", HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Equal(MotoDefaults.AccountId, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account);
    }

    [Fact]
    public async Task The_sdk_retries_throttles_and_5xx_and_the_engine_counts_every_attempt()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("off");
        engine.ScriptFault(AwsFaultKind.Throttle, "s3", "ListBuckets");
        engine.ScriptFault(AwsFaultKind.ServiceUnavailable, "s3", "ListBuckets");
        using var s3 = S3(engine, retries: 3);

        await s3.ListBucketsAsync();

        Assert.Equal(3, engine.Stats.RequestsByOperation["s3:ListBuckets"]);
        Assert.Equal(2, engine.Stats.TotalFaults);
    }

    [Fact]
    public async Task A_reset_connection_fails_the_call_with_the_socket_error_inside()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("off");
        // The SDK retries a dropped connection on its own (10 times) even with MaxErrorRetry 0, so drop every attempt.
        engine.ScriptFault(AwsFaultKind.ConnectionReset, "s3", count: 100);
        using var s3 = S3(engine);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => s3.ListBucketsAsync());

        var chain = new List<Exception>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        Assert.Contains(chain, e => e is IOException);
        Assert.True(engine.Stats.Count(AwsFaultKind.ConnectionReset) > 1, "the SDK retried the dropped connection");
        Assert.Contains(chain, e => e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset });
    }

    [Fact]
    public async Task A_timeout_hangs_until_the_client_gives_up()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("hang=1m");
        engine.ScriptFault(AwsFaultKind.Timeout, "s3");
        using var s3 = S3(engine, timeout: TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => s3.ListBucketsAsync());

        // The SDK reports its own timeout as TimeoutException wrapping the cancellation.
        Assert.True(error is TimeoutException or OperationCanceledException, error.ToString());

        Assert.Equal(1, engine.Stats.Count(AwsFaultKind.Timeout));
    }

    [Fact]
    public async Task A_fault_after_the_backend_keeps_the_effect_but_loses_the_answer()
    {
        await moto.ResetAsync();
        var engine = new AwsChaosEngine("off");
        engine.ScriptFault(AwsFaultKind.InternalError, "s3", "PutBucket", afterBackend: true);
        engine.ScriptFault(AwsFaultKind.InternalError, "s3", "CreateBucket", afterBackend: true);
        using var s3 = S3(engine);

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = "after-backend", BucketRegion = S3Region.EUCentral1 }));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains((await s3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == "after-backend");
        Assert.True(engine.Stats.FaultLog.Single().AfterBackend);
    }

    [Fact]
    public async Task Objects_pass_through_the_handler_and_the_proxy_byte_for_byte()
    {
        await using var proxy = await Chaos.ProxyAsync(moto, "latency=1ms");
        using var s3 = new AmazonS3Client(Credentials, new AmazonS3Config { ServiceURL = proxy.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = MotoDefaults.Region });
        var data = new byte[1 << 20];
        new Random(1).NextBytes(data);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "artifacts", BucketRegion = S3Region.EUCentral1 });

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "artifacts", Key = "fn/shop.zip", InputStream = new MemoryStream(data) });
        using var read = await s3.GetObjectAsync("artifacts", "fn/shop.zip");
        using var copy = new MemoryStream();
        await read.ResponseStream.CopyToAsync(copy);

        Assert.Equal(data, copy.ToArray());
        Assert.True(proxy.Engine.Stats.Delayed >= 3);
        Assert.Equal(1, proxy.Engine.Stats.RequestsByOperation["s3:PutObject"]);
    }
}
