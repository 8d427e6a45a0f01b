using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>
/// Every CRD in the repository's crds/ must compile here exactly as kube-apiserver would install it: structural
/// schema, defaults, and every CEL rule compiled (a rule this evaluator cannot handle fails this test, not a cluster).
/// </summary>
public sealed class RepositoryCrdTests
{
    public static TheoryData<string> CrdFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_repository_has_crds() => Assert.NotEmpty(CrdFiles());

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void Every_version_compiles_with_all_its_rules(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "crds", file));
        var crds = TestJson.Documents(text).Where(d => (string?)d["kind"] == "CustomResourceDefinition").ToList();
        Assert.NotEmpty(crds);

        foreach (var crd in crds)
        {
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                var name = (string)version!["name"]!;
                var schema = CrdSchema.FromCrd(crd, name);
                var declaredRules = CountRules(version["schema"]!["openAPIV3Schema"]);
                Assert.Equal(declaredRules, schema.RuleCount);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void A_minimal_object_passes_after_defaulting(string file)
    {
        var crd = TestJson.Documents(File.ReadAllText(Path.Combine(RepositoryRoot(), "crds", file))).Single(d => (string?)d["kind"] == "CustomResourceDefinition");
        var version = (string)crd["spec"]!["versions"]![0]!["name"]!;
        var schema = CrdSchema.FromCrd(crd, version);
        var obj = new JsonObject
        {
            ["apiVersion"] = $"{crd["spec"]!["group"]}/{version}",
            ["kind"] = (string?)crd["spec"]!["names"]!["kind"],
            ["metadata"] = new JsonObject { ["name"] = "sample", ["namespace"] = "default" },
        };

        schema.Prune(obj);
        schema.ApplyDefaults(obj);
        var errors = schema.Validate(obj, null);

        // Without a spec, only "required" problems may appear (and the note that rules were skipped because of them):
        // the types, defaults and metadata of the defaulted object hold.
        Assert.All(errors, e => Assert.True(e.Type == FieldErrorType.Required || e.Field == FieldError.NilField, e.ToString()));
    }

    private static int CountRules(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["x-kubernetes-validations"] is JsonArray rules ? rules.Count : 0)
            + obj.Where(p => p.Key != "x-kubernetes-validations" && p.Key != "default" && p.Key != "enum").Sum(p => CountRules(p.Value)),
        JsonArray arr => arr.Sum(CountRules),
        _ => 0,
    };

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
