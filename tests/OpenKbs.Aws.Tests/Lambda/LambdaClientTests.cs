using System.IO.Compression;
using System.Net;
using System.Text;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Iam.Model;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Aws.Tests.Iam;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;
using GetPolicyRequest = OpenKbs.Aws.Lambda.Model.GetPolicyRequest;
using LambdaEnvironment = OpenKbs.Aws.Lambda.Model.Environment;

namespace OpenKbs.Aws.Tests.Lambda;

[Collection(MotoCollection.Name)]
public sealed class LambdaClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    internal const string SecretValue = "postgres://app:Sup3r-Secret-Pa55@db.internal/app";

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_function_operation_works_against_moto_with_nodejs24()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var role = await ExecutionRoleAsync(member);
        var lambda = member.Lambda;

        var created = await lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "shop-api",
            Role = role,
            Runtime = "nodejs24.x",
            Handler = "index.handler",
            Code = new FunctionCode { ZipFile = Zip("export const handler = async () => ({ statusCode: 200 });") },
            MemorySize = 256,
            Timeout = 10,
            Description = "shop api",
            Environment = new LambdaEnvironment { Variables = new Dictionary<string, string> { ["DATABASE_URL"] = SecretValue, ["MODE"] = "prod" } },
            Tags = new Dictionary<string, string> { ["openkbs.com/managed-by"] = "openkbs", ["openkbs.com/uid"] = "uid-shop" },
            Publish = false,
        });
        // moto 5.2.1 accepts the nodejs24.x runtime (it does not validate runtimes at all) and answers Active at once.
        Assert.Equal("nodejs24.x", created.Runtime);
        Assert.Equal("arn:aws:lambda:eu-central-1:123456789012:function:shop-api", created.FunctionArn);
        Assert.Equal("Active", created.State);

        var duplicate = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "shop-api", Role = role, Runtime = "nodejs24.x", Handler = "index.handler", Code = new FunctionCode { ZipFile = Zip("x") },
        }));
        Assert.Equal("ResourceConflictException", duplicate.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.HttpStatus);
        Assert.True(duplicate.IsConflict);

        var got = await lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "shop-api" });
        Assert.Equal("Active", got.Configuration!.State);
        Assert.Equal("Successful", got.Configuration.LastUpdateStatus);
        Assert.Equal(256, got.Configuration.MemorySize);
        Assert.Equal(SecretValue, got.Configuration.Environment!.Variables!["DATABASE_URL"]);
        Assert.Equal("uid-shop", got.Tags!["openkbs.com/uid"]);

        // A function ARN works as the name (':' is percent-encoded in the path and double-encoded for SigV4).
        var configuration = await lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = created.FunctionArn! });
        Assert.Equal("index.handler", configuration.Handler);

        var updated = await lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest
        {
            FunctionName = "shop-api",
            MemorySize = 512,
            Timeout = 30,
            RevisionId = configuration.RevisionId,
        });
        Assert.Equal(512, updated.MemorySize);
        Assert.Equal(30, (await lambda.GetFunctionConfigurationAsync(new GetFunctionConfigurationRequest { FunctionName = "shop-api" })).Timeout);

        var newCode = await lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest { FunctionName = "shop-api", ZipFile = Zip("export const handler = async () => 2;") });
        Assert.NotEqual(created.CodeSha256, newCode.CodeSha256);

        // Code from an S3 object (the project's bucket holds the copied artifact).
        await member.S3.CreateBucketAsync(new CreateBucketRequest { BucketName = "shop-artifacts" });
        await member.S3.PutObjectAsync(new PutObjectRequest { BucketName = "shop-artifacts", Key = "v1.zip", ContentBody = Zip("export const handler = async () => 3;") });
        var fromS3 = await lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "shop-worker",
            Role = role,
            Runtime = "nodejs24.x",
            Handler = "index.handler",
            Code = new FunctionCode { S3Bucket = "shop-artifacts", S3Key = "v1.zip" },
        });
        Assert.Equal("shop-worker", fromS3.FunctionName);

        var all = await lambda.ListFunctionsAsync(new ListFunctionsRequest { MaxItems = 1 });
        Assert.Equal(["shop-api", "shop-worker"], all.Functions.Select(f => f.FunctionName).Order(StringComparer.Ordinal));

        await lambda.TagResourceAsync(new TagResourceRequest { Resource = created.FunctionArn!, Tags = new Dictionary<string, string> { ["team"] = "a", ["env"] = "prod" } });
        await lambda.UntagResourceAsync(new UntagResourceRequest { Resource = created.FunctionArn!, TagKeys = ["team"] });
        var tags = (await lambda.ListTagsAsync(new ListTagsRequest { Resource = created.FunctionArn! })).Tags!;
        Assert.Equal(["env", "openkbs.com/managed-by", "openkbs.com/uid"], tags.Keys.Order(StringComparer.Ordinal));

        await lambda.AddPermissionAsync(new AddPermissionRequest
        {
            FunctionName = "shop-api",
            StatementId = "cloudfront",
            Action = "lambda:InvokeFunction",
            Principal = "cloudfront.amazonaws.com",
            SourceArn = "arn:aws:cloudfront::123456789012:distribution/E123",
        });
        var policy = (await lambda.GetPolicyAsync(new GetPolicyRequest { FunctionName = "shop-api" })).Policy!;
        Assert.Contains("cloudfront.amazonaws.com", policy, StringComparison.Ordinal);
        await lambda.RemovePermissionAsync(new RemovePermissionRequest { FunctionName = "shop-api", StatementId = "cloudfront" });

        var deleted = await lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = "shop-worker" });
        Assert.Contains(deleted.StatusCode, new int?[] { 200, 202, 204 });
        var missing = await Assert.ThrowsAsync<AwsServiceException>(() => lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "shop-worker" }));
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
        Assert.True(missing.IsNotFound);
        Assert.False(string.IsNullOrEmpty(missing.RequestId));

        // One audit record per mutation (the failed duplicate included), with the ARN and never a variable value or code bytes.
        var records = host.Audit.Records.Where(r => r.Action.StartsWith("lambda:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["lambda:CreateFunction", "lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:CreateFunction",
             "lambda:TagResource", "lambda:UntagResource", "lambda:AddPermission", "lambda:RemovePermission", "lambda:DeleteFunction"],
            records.Select(r => r.Action));
        Assert.Equal(AuditOutcome.Failure, records[1].Outcome);
        Assert.Equal(created.FunctionArn, records[0].Resource);
        Assert.Equal("DATABASE_URL,MODE", records[0].Details["EnvironmentVariableNames"]);
        Assert.StartsWith("zip sha256:", records[0].Details["Code"], StringComparison.Ordinal);
        Assert.Equal("s3://shop-artifacts/v1.zip", records[4].Details["Code"]);
        Assert.All(records, r => Assert.Equal("123456789012", r.AccountId));
        Assert.All(records, r => Assert.Equal("eu-central-1", r.Region));
        Assert.All(records, r => Assert.Equal("Project", r.Actor.Controller));
        Assert.DoesNotContain(SecretValue, string.Join('\n', host.Audit.Records.SelectMany(r => r.Details.Values)), StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-Secret", host.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wire_matches_the_AWS_SDK_for_JavaScript()
    {
        using var host = new AwsTestHost(moto);
        var member = Members.In(host);
        var role = await ExecutionRoleAsync(member);
        var zip = Zip("export const handler = async () => 1;");
        var input = new Dictionary<string, object?>
        {
            ["FunctionName"] = "js-fn",
            ["Role"] = role,
            ["Runtime"] = "nodejs24.x",
            ["Handler"] = "index.handler",
            ["Code"] = new Dictionary<string, object> { ["ZipFile"] = JsSdk.Bytes(zip) },
            ["MemorySize"] = 256,
            ["Timeout"] = 10,
            ["Environment"] = new Dictionary<string, object> { ["Variables"] = new Dictionary<string, string> { ["MODE"] = "prod" } },
            ["Tags"] = new Dictionary<string, string> { ["openkbs.com/uid"] = "uid-shop" },
        };

        await member.Lambda.CreateFunctionAsync(new CreateFunctionRequest
        {
            FunctionName = "our-fn", Role = role, Runtime = "nodejs24.x", Handler = "index.handler", Code = new FunctionCode { ZipFile = zip }, MemorySize = 256, Timeout = 10,
            Environment = new LambdaEnvironment { Variables = new Dictionary<string, string> { ["MODE"] = "prod" } },
            Tags = new Dictionary<string, string> { ["openkbs.com/uid"] = "uid-shop" },
        });
        var ourArn = "arn:aws:lambda:eu-central-1:123456789012:function:our-fn";
        await member.Lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "our-fn" });
        await member.Lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = "our-fn", MemorySize = 512 });
        await member.Lambda.UpdateFunctionCodeAsync(new UpdateFunctionCodeRequest { FunctionName = "our-fn", ZipFile = zip, Publish = true });
        await member.Lambda.TagResourceAsync(new TagResourceRequest { Resource = ourArn, Tags = new Dictionary<string, string> { ["team"] = "a" } });
        await member.Lambda.UntagResourceAsync(new UntagResourceRequest { Resource = ourArn, TagKeys = ["team", "x"] });
        await member.Lambda.AddPermissionAsync(new AddPermissionRequest { FunctionName = "our-fn", StatementId = "s1", Action = "lambda:InvokeFunction", Principal = "scheduler.amazonaws.com" });
        var ours = host.Counter.Sent.Where(s => s.Request.Path.Contains("/functions", StringComparison.Ordinal) || s.Request.Path.Contains("/tags/", StringComparison.Ordinal))
            .ToDictionary(s => s.Operation, s => s.Request);

        var js = await JsSdk.RunAsync(moto.Endpoint, "eu-central-1",
        [
            new("lambda", "CreateFunction", input),
            new("lambda", "GetFunction", new { FunctionName = "our-fn" }),
            new("lambda", "UpdateFunctionConfiguration", new { FunctionName = "js-fn", MemorySize = 512 }),
            new("lambda", "UpdateFunctionCode", new Dictionary<string, object> { ["FunctionName"] = "js-fn", ["ZipFile"] = JsSdk.Bytes(zip), ["Publish"] = true }),
            new("lambda", "TagResource", new { Resource = "arn:aws:lambda:eu-central-1:123456789012:function:js-fn", Tags = new Dictionary<string, string> { ["team"] = "a" } }),
            new("lambda", "UntagResource", new { Resource = "arn:aws:lambda:eu-central-1:123456789012:function:js-fn", TagKeys = new[] { "team", "x" } }),
            new("lambda", "AddPermission", new { FunctionName = "js-fn", StatementId = "s1", Action = "lambda:InvokeFunction", Principal = "scheduler.amazonaws.com" }),
            new("lambda", "ListTags", new { Resource = "arn:aws:lambda:eu-central-1:123456789012:function:js-fn" }),
            new("lambda", "DeleteFunction", new { FunctionName = "js-fn" }),
        ]);
        Assert.All(js, r => r.EnsureOk());
        await member.Lambda.DeleteFunctionAsync(new DeleteFunctionRequest { FunctionName = "our-fn" });
        ours["DeleteFunction"] = host.Counter.Sent.Last(s => s.Operation == "DeleteFunction").Request;

        // Same effect: the JS SDK reads what we created.
        var ourFunction = js[1].Get("Configuration");
        Assert.Equal("nodejs24.x", ourFunction.GetProperty("Runtime").GetString());
        Assert.Equal(512, ourFunction.GetProperty("MemorySize").GetInt32()); // after our UpdateFunctionConfiguration
        Assert.Equal("prod", ourFunction.GetProperty("Environment").GetProperty("Variables").GetProperty("MODE").GetString());
        Assert.Equal("uid-shop", js[1].Get("Tags", "openkbs.com/uid").GetString());
        Assert.Equal(["openkbs.com/uid"], js[7].Get("Tags").EnumerateObject().Select(p => p.Name));

        // Same wire: method, path, query and body for each operation.
        var renames = new[] { ("js-fn", "our-fn") };
        (string Operation, int Index)[] pairs =
        [
            ("CreateFunction", 0), ("UpdateFunctionConfiguration", 2), ("UpdateFunctionCode", 3), ("TagResource", 4), ("UntagResource", 5),
            ("AddPermission", 6), ("DeleteFunction", 8),
        ];
        foreach (var (operation, index) in pairs)
        {
            var theirs = js[index].Request!;
            WireAssert.SameRoute(theirs, ours[operation], renames);
            WireAssert.SameJson(theirs.Body, ours[operation].Body, "FunctionName");
        }

        WireAssert.SameRoute(js[1].Request!, ours["GetFunction"]);
    }

    internal static async Task<string> ExecutionRoleAsync(IMemberAccountClients member, string name = "shop-functions") =>
        (await member.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = IamClientTests.Trust })).Role!.Arn!;

    internal static byte[] Zip(string source)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry("index.mjs", CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var writer = new StreamWriter(entry.Open(), Encoding.UTF8);
            writer.Write(source);
        }

        return buffer.ToArray();
    }
}
