using System.Net.Http.Headers;
using OpenKbs.Sandbox.Aws.Chaos;
using OpenKbs.Testing.AwsChaos;

namespace OpenKbs.Sandbox.Tests.AwsChaos;

public sealed class AwsRequestClassifierTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:4566");

    public static TheoryData<string, string, string, string, string, string> Rest => new()
    {
        // method, path, scope service, expected service, expected operation, protocol
        { "POST", "/2015-03-31/functions", "lambda", "lambda", "CreateFunction", "RestJson" },
        { "GET", "/2015-03-31/functions/", "lambda", "lambda", "ListFunctions", "RestJson" },
        { "GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Ashop", "lambda", "lambda", "GetFunction", "RestJson" },
        { "PUT", "/2015-03-31/functions/shop/code", "lambda", "lambda", "UpdateFunctionCode", "RestJson" },
        { "PUT", "/2015-03-31/functions/shop/configuration", "lambda", "lambda", "UpdateFunctionConfiguration", "RestJson" },
        { "POST", "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aeu-central-1%3A1%3Afunction%3Ashop", "lambda", "lambda", "TagResource", "RestJson" },
        { "POST", "/2020-05-31/distribution", "cloudfront", "cloudfront", "CreateDistribution", "RestXml" },
        { "POST", "/2020-05-31/distribution?WithTags", "cloudfront", "cloudfront", "CreateDistributionWithTags", "RestXml" },
        { "PUT", "/2020-05-31/distribution/E123/config", "cloudfront", "cloudfront", "UpdateDistribution", "RestXml" },
        { "DELETE", "/2020-05-31/distribution/E123", "cloudfront", "cloudfront", "DeleteDistribution", "RestXml" },
        { "POST", "/getPrimaryEmail", "account", "account", "GetPrimaryEmail", "RestJson" },
        { "POST", "/startPrimaryEmailUpdate", "account", "account", "StartPrimaryEmailUpdate", "RestJson" },
        { "POST", "/schedules/nightly", "scheduler", "scheduler", "CreateSchedule", "RestJson" },
        { "GET", "/", "s3", "s3", "ListBuckets", "RestXml" },
        { "PUT", "/bucket", "s3", "s3", "CreateBucket", "RestXml" },
        { "PUT", "/bucket?versioning", "s3", "s3", "PutBucketVersioning", "RestXml" },
        { "GET", "/bucket?list-type=2", "s3", "s3", "ListObjectsV2", "RestXml" },
        { "PUT", "/bucket/some/key.zip", "s3", "s3", "PutObject", "RestXml" },
        { "HEAD", "/bucket/some/key.zip", "s3", "s3", "HeadObject", "RestXml" },
        { "DELETE", "/bucket", "s3", "s3", "DeleteBucket", "RestXml" },
    };

    [Theory]
    [MemberData(nameof(Rest))]
    public void Rest_calls_are_named_by_method_and_path(string method, string path, string scope, string service, string operation, string protocol)
    {
        using var request = RawAws.Signed(new HttpMethod(method), new Uri(Endpoint, path), scope, "eu-central-1", "AKIDEXAMPLE");

        var info = AwsRequestClassifier.Classify(request, []);

        Assert.Equal((service, operation, protocol), (info.Service, info.Operation, info.Protocol.ToString()));
        Assert.Equal("eu-central-1", info.Region);
        Assert.Equal("AKIDEXAMPLE", info.AccessKeyId);
    }

    [Fact]
    public void Unsigned_rest_calls_are_named_by_their_path()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Endpoint, "/2015-03-31/functions/shop/code"));

        var info = AwsRequestClassifier.Classify(request, []);

        Assert.Equal(("lambda", "UpdateFunctionCode"), (info.Service, info.Operation));
    }

    [Theory]
    [InlineData("AWSOrganizationsV20161128.CreateAccount", "organizations", "CreateAccount", "1.1")]
    [InlineData("TrentService.GenerateDataKey", "kms", "GenerateDataKey", "1.1")]
    [InlineData("GraniteServiceVersion20100801.GetMetricData", "monitoring", "GetMetricData", "1.0")]
    public void Json_calls_are_named_by_their_target(string target, string service, string operation, string version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Content = new StringContent("{}");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-" + version);

        var info = AwsRequestClassifier.Classify(request, "{}"u8);

        Assert.Equal((service, operation, AwsProtocol.Json, version), (info.Service, info.Operation, info.Protocol, info.JsonVersion));
    }

    [Fact]
    public async Task Query_calls_are_named_by_their_action_and_scoped_service()
    {
        using var request = RawAws.Query(Endpoint, "rds", "ModifyDBCluster", "2014-10-31", [new("DBClusterIdentifier", "shop")]);
        var body = await request.Content!.ReadAsByteArrayAsync();

        var info = AwsRequestClassifier.Classify(request, body);

        Assert.Equal(("rds", "ModifyDBCluster", AwsProtocol.Query), (info.Service, info.Operation, info.Protocol));
    }

    [Fact]
    public void Cbor_calls_are_named_by_their_path()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, "/service/GraniteServiceVersion20100801/operation/GetMetricData"));
        request.Headers.TryAddWithoutValidation("smithy-protocol", "rpc-v2-cbor");

        var info = AwsRequestClassifier.Classify(request, []);

        Assert.Equal(("monitoring", "GetMetricData", AwsProtocol.Cbor), (info.Service, info.Operation, info.Protocol));
    }
}
