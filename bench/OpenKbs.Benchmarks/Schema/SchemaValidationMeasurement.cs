using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;
using YamlDotNet.RepresentationModel;

namespace OpenKbs.Benchmarks.Schema;

/// <summary>
/// The sandbox's schema library on the repository CRDs: compiling a CRD (structural checks and every CEL rule) and
/// the per-request pipeline (prune, default, validate with CEL) for a Project with 20 functions.
/// </summary>
internal sealed class SchemaValidationMeasurement : IMeasurement
{
    public string Group => "schema";

    public string Title => "CRD schema compilation and per-request validation (prune + default + OpenAPI + CEL)";

    public Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var crdsDir = Path.Combine(RepositoryRoot(), "crds");
        var crds = Directory.GetFiles(crdsDir, "*.yaml").Order(StringComparer.Ordinal).Select(f => Yaml(File.ReadAllText(f))).ToList();
        var project = crds.Single(c => (string?)c["spec"]!["names"]!["kind"] == "Project");

        // Warm up the CEL environment, then time compilation of all CRDs.
        _ = crds.Select(c => CrdSchema.FromCrd(c, "v1alpha1")).ToList();
        const int compileRounds = 20;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < compileRounds; i++)
        {
            foreach (var crd in crds)
            {
                CrdSchema.FromCrd(crd, "v1alpha1");
            }
        }

        var compileMs = sw.Elapsed.TotalMilliseconds / compileRounds;
        var schema = CrdSchema.FromCrd(project, "v1alpha1");
        var sample = SampleProject(20);

        const int rounds = 2_000;
        var warm = (JsonObject)sample.DeepClone();
        schema.Prune(warm);
        schema.ApplyDefaults(warm);
        for (var i = 0; i < 1_000; i++)
        {
            Pipeline(schema, sample, null);
            Pipeline(schema, sample, warm);
        }

        var (createWall, createCpu) = Time(rounds, () => Pipeline(schema, sample, null));
        var stored = (JsonObject)sample.DeepClone();
        schema.Prune(stored);
        schema.ApplyDefaults(stored);
        var (updateWall, updateCpu) = Time(rounds, () => Pipeline(schema, sample, stored));
        IReadOnlyList<MeasurementResult> results =
        [
            new($"compile the {crds.Count} repository CRDs ({crds.Sum(c => CrdSchema.FromCrd(c, "v1alpha1").RuleCount)} CEL rules), wall", $"{compileMs.ToString("F1", CultureInfo.InvariantCulture)} ms"),
            new("create: prune + default + validate a Project with 20 functions, CPU per request", Micro(createCpu), "< 2 ms", createCpu < 2_000),
            new("create, wall per request (on the shared machine)", Micro(createWall)),
            new("update (transition rules, ratcheting) of the same Project, CPU per request", Micro(updateCpu), "< 2 ms", updateCpu < 2_000),
            new("update, wall per request (on the shared machine)", Micro(updateWall)),
        ];
        return Task.FromResult(results);
    }

    /// <summary>Wall and process CPU time per iteration, in µs (CPU time is what a loaded, shared machine distorts least).</summary>
    private static (double Wall, double Cpu) Time(int rounds, Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            action();
        }

        var wall = sw.Elapsed.TotalMicroseconds / rounds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu0).TotalMicroseconds / rounds);
    }

    private static string Micro(double value) => $"{value.ToString("F0", CultureInfo.InvariantCulture)} µs";

    private static void Pipeline(CrdSchema schema, JsonObject sample, JsonObject? old)
    {
        var obj = (JsonObject)sample.DeepClone();
        schema.Prune(obj);
        schema.ApplyDefaults(obj);
        var errors = schema.Validate(obj, old);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the sample Project is invalid: " + InvalidStatus.Aggregate(errors));
        }
    }

    private static JsonObject SampleProject(int functions)
    {
        var list = new JsonArray();
        for (var i = 0; i < functions; i++)
        {
            list.Add(new JsonObject { ["name"] = $"fn-{i}", ["handler"] = "index.handler", ["memoryMb"] = 256, ["environment"] = new JsonObject { ["LOG_LEVEL"] = "info" } });
        }

        return new JsonObject
        {
            ["apiVersion"] = "openkbs.com/v1alpha1",
            ["kind"] = "Project",
            ["metadata"] = new JsonObject { ["name"] = "shop", ["namespace"] = "acme", ["labels"] = new JsonObject { ["team"] = "web" } },
            ["spec"] = new JsonObject
            {
                ["clientAccountRef"] = new JsonObject { ["name"] = "acme" },
                ["version"] = "1.2.3",
                ["source"] = new JsonObject { ["s3"] = new JsonObject { ["bucket"] = "artifacts", ["key"] = "shop/1.2.3.zip" }, ["sha256"] = new string('a', 64) },
                ["functions"] = list,
                ["schedules"] = new JsonArray(new JsonObject { ["name"] = "nightly", ["function"] = "fn-0", ["expression"] = "cron(0 2 * * ? *)" }),
            },
        };
    }

    private static JsonObject Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (JsonObject)Convert(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, Convert(p.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: not YamlDotNet.Core.ScalarStyle.Plain } s => JsonValue.Create(s.Value),
        YamlScalarNode { Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Value: "null" or "~" } => null,
        YamlScalarNode s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        YamlScalarNode s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenKbs.Operator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
