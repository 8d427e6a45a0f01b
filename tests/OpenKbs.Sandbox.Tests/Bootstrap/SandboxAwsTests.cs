using System.Security.Cryptography;
using OpenKbs.Sandbox.Aws.Bootstrap;
using OpenKbs.Testing;
using OpenKbs.Testing.Moto;
using OpenKbs.Zip;

namespace OpenKbs.Sandbox.Tests.Bootstrap;

/// <summary>The sandbox's AWS bootstrap against moto: organization, artifact bucket, example artifacts, aws.env.</summary>
[Collection(MotoCollection.Name)]
public sealed class SandboxAwsTests(MotoServerFixture moto) : IDisposable
{
    private readonly string _examples = Path.Combine(Path.GetTempPath(), SandboxFixture.UniqueName("examples"));

    public void Dispose() => Directory.Delete(_examples, recursive: true);

    private string WriteExamples(string? pinnedSha = null)
    {
        var handler = Path.Combine(_examples, "artifacts", "hello");
        Directory.CreateDirectory(Path.Combine(handler, "lib"));
        File.WriteAllText(Path.Combine(handler, "index.js"), "exports.handler = async () => ({ statusCode: 200 });\n");
        File.WriteAllText(Path.Combine(handler, "lib", "util.js"), "module.exports = {};\n");
        Directory.CreateDirectory(Path.Combine(_examples, "artifacts", "unreferenced"));
        File.WriteAllText(Path.Combine(_examples, "artifacts", "unreferenced", "a.txt"), "a");
        File.WriteAllText(Path.Combine(_examples, "tenant.yaml"), $"""
            apiVersion: openkbs.com/v1alpha1
            kind: Project
            metadata:
              name: hello
            spec:
              source:
                s3:
                  bucket: openkbs-artifacts
                  key: examples/hello/2.0.0.zip
                sha256: "{pinnedSha ?? "0000"}"
            """);
        return handler;
    }

    [Fact]
    public async Task Bootstrap_creates_the_organization_the_bucket_and_the_example_artifacts_idempotently()
    {
        await moto.ResetAsync();
        var handler = WriteExamples();
        var expected = DeterministicZip.Sha256Hex(DeterministicZip.Create(handler));
        using var log = new StringWriter();

        await SandboxAws.BootstrapAsync(moto.Endpoint, _examples, log);
        var again = await SandboxAws.BootstrapAsync(moto.Endpoint, _examples, log);

        var org = (await AwsCli.RunAsync(moto.Endpoint, "organizations", "describe-organization", "--region", "us-east-1")).Json();
        Assert.Equal("ALL", org.GetProperty("Organization").GetProperty("FeatureSet").GetString());
        var location = (await AwsCli.RunAsync(moto.Endpoint, "s3api", "get-bucket-location", "--bucket", "openkbs-artifacts")).Json();
        Assert.Equal("eu-central-1", location.GetProperty("LocationConstraint").GetString());
        var target = Path.Combine(_examples, "downloaded.zip");
        var get = await AwsCli.RunAsync(moto.Endpoint, "s3api", "get-object", "--bucket", "openkbs-artifacts", "--key", "examples/hello/2.0.0.zip", target);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(target))).ToLowerInvariant());
        Assert.Equal(["examples/hello/2.0.0.zip", "examples/unreferenced/latest.zip"], again.Select(a => a.Artifact.Key));
        Assert.Contains("the AWS Organization exists", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("WARNING: the manifest pins 0000", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_anchor_bucket_of_make_run_has_Object_Lock_in_eu_central_1_and_is_what_the_operator_is_given()
    {
        await moto.ResetAsync();
        Directory.CreateDirectory(_examples); // the class removes it after each test
        using var log = new StringWriter();

        await SandboxAws.CreateAnchorBucketAsync(moto.Endpoint, SandboxAws.AnchorBucket, log);
        await SandboxAws.CreateAnchorBucketAsync(moto.Endpoint, SandboxAws.AnchorBucket, log); // idempotent

        var location = (await AwsCli.RunAsync(moto.Endpoint, "s3api", "get-bucket-location", "--bucket", SandboxAws.AnchorBucket)).Json();
        Assert.Equal("eu-central-1", location.GetProperty("LocationConstraint").GetString());
        var locked = (await AwsCli.RunAsync(moto.Endpoint, "s3api", "get-object-lock-configuration", "--bucket", SandboxAws.AnchorBucket)).Json();
        Assert.Equal("Enabled", locked.GetProperty("ObjectLockConfiguration").GetProperty("ObjectLockEnabled").GetString());
        Assert.Contains($"created the audit anchor bucket s3://{SandboxAws.AnchorBucket} in eu-central-1 with Object Lock", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            [new("OPENKBS_AuditStore__AnchorBucket", SandboxAws.AnchorBucket), new("OPENKBS_AuditStore__AnchorRegion", "eu-central-1")],
            SandboxAws.AnchorSettings(SandboxAws.AnchorBucket));
        Assert.Empty(SandboxAws.AnchorSettings(null));

        // hack/run.sh asks for this very bucket and passes it to the verify and report commands it prints.
        var run = await File.ReadAllTextAsync(Path.Combine(Repository(), "hack", "run.sh"));
        Assert.Contains($"ANCHOR_BUCKET=\"${{OPENKBS_ANCHOR_BUCKET:-{SandboxAws.AnchorBucket}}}\"", run, StringComparison.Ordinal);
        Assert.Contains("sandbox --state-dir \"$STATE\" --with-operator \"${CHAOS[@]}\" \"${ANCHOR_ARGS[@]}\"", run, StringComparison.Ordinal);
        Assert.Contains("audit verify \"${ANCHOR_ARGS[@]}\"", run, StringComparison.Ordinal);
        Assert.Contains("nis2 report --namespace \"$ns\" --kubeconfig \"$STATE/kubeconfig\" \"${ANCHOR_ARGS[@]}\"", run, StringComparison.Ordinal);
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("not inside the repository");
    }

    [Fact]
    public void The_deterministic_zip_depends_only_on_content_and_names()
    {
        var handler = WriteExamples();
        var first = DeterministicZip.Create(handler);
        File.SetLastWriteTimeUtc(Path.Combine(handler, "index.js"), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var second = DeterministicZip.Create(handler);

        Assert.Equal(first, second);
        File.AppendAllText(Path.Combine(handler, "index.js"), "// changed\n");
        Assert.NotEqual(first, DeterministicZip.Create(handler));
    }

    [Fact]
    public void The_zip_of_named_contents_is_the_zip_of_the_same_files_in_a_directory_in_any_order()
    {
        var handler = WriteExamples();
        var files = Directory.GetFiles(handler, "*", SearchOption.AllDirectories)
            .Select(path => KeyValuePair.Create(Path.GetRelativePath(handler, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes(path)))
            .OrderByDescending(f => f.Key, StringComparer.Ordinal)
            .ToList();

        Assert.True(files.Count > 1);
        Assert.Equal(DeterministicZip.Create(handler), DeterministicZip.Create(files));
    }

    [Fact]
    public void The_aws_env_file_exports_the_endpoint_credentials_region_and_bucket()
    {
        Directory.CreateDirectory(_examples);
        var path = Path.Combine(_examples, "aws.env");

        SandboxAws.WriteEnvFile(path, SandboxAws.Environment(new Uri("http://127.0.0.1:4566/")));

        var lines = File.ReadAllLines(path);
        Assert.Contains("export AWS_ENDPOINT_URL='http://127.0.0.1:4566'", lines);
        Assert.Contains("export AWS_REGION='eu-central-1'", lines);
        Assert.Contains("export OPENKBS_ARTIFACT_BUCKET='openkbs-artifacts'", lines);
        Assert.Contains(lines, l => l.StartsWith("export AWS_ACCESS_KEY_ID=", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("export AWS_SECRET_ACCESS_KEY=", StringComparison.Ordinal));
    }
}
