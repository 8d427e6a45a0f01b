using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OpenKbs.Api.Tests.Crds;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Zip;

namespace OpenKbs.Api.Tests.Examples;

/// <summary>docs/examples/tenant.yaml and the manifests in docs/api.md are valid, and the artifact hash is true.</summary>
public sealed class ExampleTenantTests
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        [$"{ApiGroup.ApiVersion}/{ClientAccount.KubeKind}"] = typeof(ClientAccount),
        [$"{ApiGroup.ApiVersion}/{Project.KubeKind}"] = typeof(Project),
        [$"{ApiGroup.ApiVersion}/{AuditRun.KubeKind}"] = typeof(AuditRun),
        [$"{ApiGroup.ApiVersion}/{AccountTransfer.KubeKind}"] = typeof(AccountTransfer),
    };

    private static string Root => RepositoryRoot.Find();

    private static List<object> Tenant() =>
        KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root, "docs/examples/tenant.yaml")), Types);

    [Fact]
    public void Tenant_is_the_acme_namespace_client_account_and_shop_project()
    {
        var objects = Tenant();

        var ns = Assert.IsType<V1Namespace>(objects[0]);
        var account = Assert.IsType<ClientAccount>(objects[1]);
        var project = Assert.IsType<Project>(objects[2]);
        Assert.Equal(3, objects.Count);
        Assert.Equal("acme", ns.Metadata.Name);
        Assert.Equal(("acme", "acme", "aws+acme@example.com", "Clients/Manufacturing"), (account.Metadata.Name, account.Metadata.NamespaceProperty, account.Spec.Email, account.Spec.OrganizationalUnit));
        Assert.Equal(("shop", "acme", "acme"), (project.Metadata.Name, project.Metadata.NamespaceProperty, project.Spec.ClientAccountRef.Name));
        Assert.Equal(("openkbs-artifacts", "examples/shop/1.0.0.zip"), (project.Spec.Source!.S3.Bucket, project.Spec.Source.S3.Key));
        Assert.Equal(2, project.Spec.Functions!.Count);
        Assert.Single(project.Spec.Schedules!);
        Assert.True(project.Spec.Cdn!.Enabled);
        Assert.True(project.Spec.Audit!.Required); // `make run` shows the audit gate: AuditRun Passed before the Project deploys
    }

    [Fact]
    public void Tenant_resources_conform_to_their_crds()
    {
        var problems = Tenant().OfType<IKubernetesObject<V1ObjectMeta>>()
            .Where(o => o.ApiVersion == ApiGroup.ApiVersion)
            .SelectMany(o => SchemaConformance.Problems(JsonNode.Parse(KubernetesJson.Serialize(o))!, Crds.Crds.Root(o.Kind)).Select(p => $"{o.Kind}/{o.Metadata.Name}{p}"));

        Assert.Empty(problems);
    }

    [Fact]
    public void Project_sha256_is_the_hash_of_the_deterministic_zip_of_the_example_artifact()
    {
        var project = Tenant().OfType<Project>().Single();

        var zip = DeterministicZip.Create(Path.Combine(Root, "docs/examples/artifacts/shop"));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), project.Spec.Source!.Sha256);
    }

    [Fact]
    public void Every_function_handler_names_a_module_of_the_artifact_that_exports_it()
    {
        var project = Tenant().OfType<Project>().Single();

        foreach (var function in project.Spec.Functions!)
        {
            var module = function.Handler[..function.Handler.LastIndexOf('.')];
            var export = function.Handler[(function.Handler.LastIndexOf('.') + 1)..];
            var source = File.ReadAllText(Path.Combine(Root, "docs/examples/artifacts/shop", module + ".js"));
            Assert.Contains($"exports.{export} = ", source, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void Pythons_zipfile_builds_the_same_bytes_so_the_procedure_does_not_depend_on_dotnet()
    {
        Skip.If(!ExistsOnPath("python3"), "python3 is not installed");
        var directory = Path.Combine(Root, "docs/examples/artifacts/shop");
        const string script = """
            import hashlib, io, os, sys, zipfile
            root = sys.argv[1]
            names = sorted((os.path.relpath(os.path.join(d, f), root).replace(os.sep, '/') for d, _, fs in os.walk(root) for f in fs), key=lambda n: n.encode())
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_STORED) as z:
                for name in names:
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.external_attr = 0o100644 << 16
                    info.create_system = 3
                    with open(os.path.join(root, name), 'rb') as f:
                        z.writestr(info, f.read())
            print(hashlib.sha256(buffer.getvalue()).hexdigest())
            """;
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(directory);
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();

        Assert.Equal(0, python.ExitCode);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(DeterministicZip.Create(directory))), output.Trim());
    }

    public static TheoryData<int, string> DocumentedManifests()
    {
        var data = new TheoryData<int, string>();
        var markdown = File.ReadAllText(Path.Combine(Root, "docs/api.md"));
        var blocks = markdown.Split("```yaml").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]);
        var index = 0;
        foreach (var block in blocks.Where(b => b.Contains("apiVersion: " + ApiGroup.ApiVersion, StringComparison.Ordinal)))
        {
            data.Add(index++, block);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedManifests))]
    public void Manifests_in_the_api_reference_conform_to_their_crds(int index, string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, Types).OfType<IKubernetesObject<V1ObjectMeta>>().ToList();

        Assert.NotEmpty(objects);
        Assert.Empty(objects.SelectMany(o => SchemaConformance.Problems(JsonNode.Parse(KubernetesJson.Serialize(o))!, Crds.Crds.Root(o.Kind)).Select(p => $"block {index}: {o.Kind}{p}")));
    }

    private static bool ExistsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));
}
