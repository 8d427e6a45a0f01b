using System.Net;
using System.Text;
using System.Text.Json;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Protocols;

namespace OpenKbs.Aws.Tests.Protocols;

public sealed class CodecTests
{
    private sealed record RdsTag
    {
        public string? Key { get; init; }

        public string? Value { get; init; }
    }

    private sealed record Scaling
    {
        public double? MinCapacity { get; init; }

        public double? MaxCapacity { get; init; }
    }

    private sealed record RdsCreate
    {
        public string? DBClusterIdentifier { get; init; }

        public bool? StorageEncrypted { get; init; }

        public Scaling? ServerlessV2ScalingConfiguration { get; init; }

        [AwsList("Tag")]
        public IReadOnlyList<RdsTag>? Tags { get; init; }

        [AwsList("VpcSecurityGroupId")]
        public IReadOnlyList<string>? VpcSecurityGroupIds { get; init; }

        public IReadOnlyList<string>? Empty { get; init; }

        public DateTimeOffset? RestoreToTime { get; init; }
    }

    [Fact]
    public void Query_serializes_nested_structures_lists_and_scalars_like_botocore()
    {
        var request = QueryCodec.CreateRequest(
            AwsServices.Rds,
            "CreateDBCluster",
            new RdsCreate
            {
                DBClusterIdentifier = "t-a",
                StorageEncrypted = true,
                ServerlessV2ScalingConfiguration = new Scaling { MinCapacity = 0.5, MaxCapacity = 4 },
                Tags = [new RdsTag { Key = "tenant", Value = "a b" }],
                VpcSecurityGroupIds = ["sg-1", "sg-2"],
                Empty = [],
                RestoreToTime = new DateTimeOffset(2015, 3, 7, 23, 45, 0, TimeSpan.Zero),
            });
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", request.ContentType);
        Assert.Equal(
            "Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=t-a&StorageEncrypted=true"
            + "&ServerlessV2ScalingConfiguration.MinCapacity=0.5&ServerlessV2ScalingConfiguration.MaxCapacity=4"
            + "&Tags.Tag.1.Key=tenant&Tags.Tag.1.Value=a%20b&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1"
            + "&VpcSecurityGroupIds.VpcSecurityGroupId.2=sg-2&Empty=&RestoreToTime=2015-03-07T23%3A45%3A00Z",
            Encoding.UTF8.GetString(request.Body!));
    }

    [Fact]
    public void Query_uses_member_for_iam_lists()
    {
        var request = QueryCodec.CreateRequest(
            AwsServices.Iam,
            "TagRole",
            new TagRoleRequest { RoleName = "r", Tags = [new Tag { Key = "k", Value = "v" }] });
        Assert.Equal("Action=TagRole&Version=2010-05-08&RoleName=r&Tags.member.1.Key=k&Tags.member.1.Value=v", Encoding.UTF8.GetString(request.Body!));
    }

    [Fact]
    public void Query_result_is_read_from_the_result_wrapper_with_lists_and_timestamps()
    {
        const string Xml = """
            <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <GetRoleResult>
                <Role>
                  <Path>/</Path><RoleName>app</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/app</Arn>
                  <CreateDate>2024-01-02T03:04:05Z</CreateDate>
                  <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument>
                  <MaxSessionDuration>3600</MaxSessionDuration>
                  <Tags><member><Key>a</Key><Value>1</Value></member><member><Key>b</Key><Value>2</Value></member></Tags>
                </Role>
              </GetRoleResult>
              <ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata>
            </GetRoleResponse>
            """;
        var response = new AwsWireResponse { StatusCode = HttpStatusCode.OK, Headers = new Dictionary<string, string>(), Body = Encoding.UTF8.GetBytes(Xml) };
        var result = QueryCodec.ReadResult<GetRoleResponse>(response, "GetRole");
        Assert.Equal("app", result.Role!.RoleName);
        Assert.Equal(3600, result.Role.MaxSessionDuration);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), result.Role.CreateDate);
        Assert.Equal(["a", "b"], result.Role.Tags!.Select(t => t.Key));
        Assert.Equal("""{"Version":"2012-10-17"}""", OpenKbs.Aws.Iam.IamClient.DecodeDocument(result.Role.AssumeRolePolicyDocument));
        Assert.Equal("req-9", QueryCodec.ReadRequestId(response));
    }

    [Fact]
    public void Json_rpc_sets_target_content_type_and_epoch_timestamps()
    {
        var request = JsonRpcCodec.CreateRequest(AwsServices.Organizations, "DescribeAccount", new OpenKbs.Aws.Organizations.Model.DescribeAccountRequest { AccountId = "111111111111" });
        Assert.Equal("AWSOrganizationsV20161128.DescribeAccount", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.ContentType);
        Assert.Equal("""{"AccountId":"111111111111"}""", Encoding.UTF8.GetString(request.Body!));

        var empty = JsonRpcCodec.CreateRequest(AwsServices.CloudWatch, "ListDashboards", null);
        Assert.Equal("{}", Encoding.UTF8.GetString(empty.Body!));
        Assert.Equal("application/x-amz-json-1.0", empty.ContentType);

        var body = """{"Account":{"Id":"1","JoinedTimestamp":1700000000.5,"Unknown":{"x":1}}}"""u8.ToArray();
        var parsed = JsonRpcCodec.ReadResponse<OpenKbs.Aws.Organizations.Model.DescribeAccountResponse>(
            new AwsWireResponse { StatusCode = HttpStatusCode.OK, Headers = new Dictionary<string, string>(), Body = body });
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), parsed.Account!.JoinedTimestamp);
        Assert.Equal(
            """{"T":1700000000}""",
            JsonSerializer.Serialize(new { T = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }, AwsJson.Options));
    }

    [Theory]
    [InlineData("arn:aws:lambda:eu-central-1:123456789012:function:shop", "arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Ashop")]
    [InlineData("a b/c", "a%20b%2Fc")]
    [InlineData("-._~", "-._~")]
    public void Rest_labels_are_percent_encoded(string value, string expected) => Assert.Equal(expected, RestJsonCodec.Label(value));

    [Fact]
    public void Codec_paths_have_no_empty_segments_even_under_an_endpoint_base_path()
    {
        var request = RestJsonCodec.CreateRequest(HttpMethod.Get, "/2015-03-31/functions/" + RestJsonCodec.Label("f"), null, [new("Qualifier", "$LATEST")]);
        var uri = request.BuildUri(new Uri("http://127.0.0.1:5000/proxy/"));
        Assert.Equal("http://127.0.0.1:5000/proxy/2015-03-31/functions/f?Qualifier=%24LATEST", uri.AbsoluteUri);
        Assert.DoesNotContain("//", uri.AbsolutePath, StringComparison.Ordinal);
    }

    private sealed record CloudFrontOrigin
    {
        public string? Id { get; init; }

        public string? DomainName { get; init; }
    }

    private sealed record CloudFrontOrigins
    {
        public int? Quantity { get; init; }

        [AwsList("Origin")]
        public IReadOnlyList<CloudFrontOrigin>? Items { get; init; }
    }

    private sealed record DistributionConfigShape
    {
        public string? CallerReference { get; init; }

        public CloudFrontOrigins? Origins { get; init; }

        public bool? Enabled { get; init; }
    }

    [Fact]
    public void Rest_xml_writes_and_reads_the_payload_with_the_namespace()
    {
        var config = new DistributionConfigShape
        {
            CallerReference = "ref-1",
            Origins = new CloudFrontOrigins { Quantity = 1, Items = [new CloudFrontOrigin { Id = "s3", DomainName = "b.s3.eu-central-1.amazonaws.com" }] },
            Enabled = true,
        };
        var element = XmlShapeWriter.Write(config, "DistributionConfig", AwsServices.CloudFront.XmlNamespace);
        var request = RestXmlCodec.CreateRequest(HttpMethod.Post, "/2020-05-31/distribution", element);
        var xml = Encoding.UTF8.GetString(request.Body!);
        Assert.Contains(
            """<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>ref-1</CallerReference><Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id>""",
            xml,
            StringComparison.Ordinal);
        var back = RestXmlCodec.ReadBody<DistributionConfigShape>(
            new AwsWireResponse { StatusCode = HttpStatusCode.OK, Headers = new Dictionary<string, string>(), Body = request.Body! });
        Assert.Equal(config.Origins.Items[0], back.Origins!.Items![0]);
        Assert.Equal(true, back.Enabled);
    }
}
