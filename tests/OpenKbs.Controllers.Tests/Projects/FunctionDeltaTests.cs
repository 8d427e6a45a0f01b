using OpenKbs.Api;
using OpenKbs.Aws.Lambda.Model;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Functions;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The function delta is a pure function of desired and observed: each differing setting names exactly one path.</summary>
public sealed class FunctionDeltaTests
{
    private const string Layer = "arn:aws:lambda:eu-central-1:111122223333:layer:okbs-tenant-shop-1234abcd-auth:3";

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.ManagedBy] = Labels.ManagedByValue, [Labels.Uid] = "u1" };

    private static readonly ArtifactLocation Code = new() { Bucket = "b", Key = "k", Sha256 = new string('a', 64) };

    private static readonly FunctionDesired Desired = new()
    {
        SpecName = "api",
        FunctionName = "ns-shop-1234abcd-api",
        Runtime = "nodejs24.x",
        Handler = "api.handler",
        MemorySize = 128,
        Timeout = 3,
        Role = "arn:aws:iam::111122223333:role/r",
        Environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1", ["OPENKBS_API_KEYS_DIGEST"] = "d1" },
        SealedVariables = ["OPENKBS_API_KEYS"],
        Tags = Owner,
        Code = Code,
        Layers = [Layer],
    };

    private static readonly FunctionObservation Converged = new(
        new FunctionConfiguration
        {
            CodeSha256 = Code.CodeSha256,
            Runtime = "nodejs24.x",
            Handler = "api.handler",
            MemorySize = 128,
            Timeout = 3,
            Role = "arn:aws:iam::111122223333:role/r",
            Environment = new EnvironmentResponse { Variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["A"] = "1", ["OPENKBS_API_KEYS_DIGEST"] = "d1", ["OPENKBS_API_KEYS"] = "envelope" } },
            Layers = [new LayerReference { Arn = Layer, CodeSize = 1234 }],
        },
        new Dictionary<string, string>(Owner) { ["cost-centre"] = "42" });

    [Fact]
    public void A_converged_function_has_no_delta()
    {
        var delta = FunctionDelta.Between(Desired, Converged);

        Assert.True(delta.IsEmpty);
        Assert.False(delta.HasConfiguration);
        Assert.Empty(delta.MissingTags);
        Assert.False(delta.ClearReleased);
    }

    [Fact]
    public void Lambdas_defaults_count_as_the_desired_128_MB_and_3_s() =>
        Assert.True(FunctionDelta.Between(Desired, Converged with { Configuration = Converged.Configuration with { MemorySize = null, Timeout = null } }).IsEmpty);

    private static FunctionObservation WithConfiguration(FunctionObservation o, Func<FunctionConfiguration, FunctionConfiguration> change) =>
        o with { Configuration = change(o.Configuration) };

    private static FunctionObservation WithVariables(FunctionObservation o, Action<Dictionary<string, string>> change)
    {
        var variables = new Dictionary<string, string>(o.Configuration.Environment!.Variables!, StringComparer.Ordinal);
        change(variables);
        return WithConfiguration(o, c => c with { Environment = new EnvironmentResponse { Variables = variables } });
    }

    private static readonly Dictionary<string, (string Path, Func<FunctionObservation, FunctionObservation> Drift)> DriftCases = new(StringComparer.Ordinal)
    {
        ["Code-0"] = (FunctionDelta.Code, o => WithConfiguration(o, c => c with { CodeSha256 = "other" })),
        ["Runtime-1"] = (FunctionDelta.Runtime, o => WithConfiguration(o, c => c with { Runtime = "nodejs22.x" })),
        ["Handler-2"] = (FunctionDelta.Handler, o => WithConfiguration(o, c => c with { Handler = "x.handler" })),
        ["MemorySize-3"] = (FunctionDelta.MemorySize, o => WithConfiguration(o, c => c with { MemorySize = 1024 })),
        ["Timeout-4"] = (FunctionDelta.Timeout, o => WithConfiguration(o, c => c with { Timeout = 30 })),
        ["Role-5"] = (FunctionDelta.Role, o => WithConfiguration(o, c => c with { Role = "arn:aws:iam::111122223333:role/other" })),
        ["Environment-6"] = (FunctionDelta.Environment, o => WithVariables(o, v => v["OPENKBS_API_KEYS_DIGEST"] = "d0")),
        ["Environment-7"] = (FunctionDelta.Environment, o => WithVariables(o, v => v.Remove("OPENKBS_API_KEYS"))),
        ["Environment-8"] = (FunctionDelta.Environment, o => WithVariables(o, v => v["OPENKBS_API_KEYS"] = string.Empty)),
        ["Environment-9"] = (FunctionDelta.Environment, o => WithVariables(o, v => v["B"] = "2")),
        ["Environment-10"] = (FunctionDelta.Environment, o => WithVariables(o, v => v["A"] = "changed")),
        ["Environment-11"] = (FunctionDelta.Environment, o => WithConfiguration(o, c => c with { Environment = null })),
        ["Layers-12"] = (FunctionDelta.Layers, o => WithConfiguration(o, c => c with { Layers = null })),
        ["Layers-13"] = (FunctionDelta.Layers, o => WithConfiguration(o, c => c with { Layers = [new LayerReference { Arn = Layer[..^1] + "2" }] })),
        ["Layers-14"] = (FunctionDelta.Layers, o => WithConfiguration(o, c => c with { Layers = [.. c.Layers!, new LayerReference { Arn = "arn:aws:lambda:eu-central-1:111122223333:layer:other:1" }] })),
        ["Tags-15"] = (FunctionDelta.Tags, o => o with { Tags = o.Tags.Where(t => t.Key != Labels.Uid).ToDictionary(StringComparer.Ordinal) }),
        ["Tags-16"] = (FunctionDelta.Tags, o => o with { Tags = new Dictionary<string, string>(o.Tags) { [Labels.Released] = "2026-01-01T00:00:00Z" } }),
    };

    public static TheoryData<string> Drifts => [.. DriftCases.Keys];

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_path(string drift)
    {
        var (path, change) = DriftCases[drift];
        var delta = FunctionDelta.Between(Desired, change(Converged));

        Assert.Equal([path], delta.Paths);
        Assert.Equal(FunctionDelta.ConfigurationPaths.Contains(path), delta.HasConfiguration);
    }

    [Fact]
    public void Without_access_a_function_that_still_has_the_layer_differs_in_layers_only()
    {
        var delta = FunctionDelta.Between(Desired with { Layers = [] }, Converged);

        Assert.Equal([FunctionDelta.Layers], delta.Paths);
        Assert.True(FunctionDelta.Between(Desired with { Layers = [] }, WithConfiguration(Converged, c => c with { Layers = [] })).IsEmpty);
    }

    [Fact]
    public void Only_the_missing_owner_tags_are_written_other_tools_tags_stay_and_the_released_tag_goes()
    {
        var observed = Converged with { Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [Labels.Uid] = "u1", ["cost-centre"] = "42", [Labels.Released] = "x" } };

        var delta = FunctionDelta.Between(Desired, observed);

        Assert.Equal([FunctionDelta.Tags], delta.Paths);
        Assert.Equal(new Dictionary<string, string> { [Labels.ManagedBy] = Labels.ManagedByValue }, delta.MissingTags);
        Assert.True(delta.ClearReleased);
    }

    [Fact]
    public void Several_drifts_name_their_paths_in_write_order_code_first_tags_last()
    {
        var observed = WithConfiguration(Converged with { Tags = new Dictionary<string, string>() }, c => c with { CodeSha256 = "other", Handler = "x.handler", Layers = null });

        var delta = FunctionDelta.Between(Desired, observed);

        Assert.Equal([FunctionDelta.Code, FunctionDelta.Handler, FunctionDelta.Layers, FunctionDelta.Tags], delta.Paths);
        Assert.Equal("Code, Handler, Layers", delta.Changes);
    }
}
