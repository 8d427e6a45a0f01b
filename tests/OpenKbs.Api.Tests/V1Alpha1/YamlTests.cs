using System.Reflection;
using k8s;
using OpenKbs.Api.V1Alpha1;

namespace OpenKbs.Api.Tests.V1Alpha1;

/// <summary>The kinds also load and save through KubernetesYaml (YamlDotNet), as tests and tools read manifests with it.</summary>
public sealed class YamlTests
{
    [Fact]
    public void Yaml_round_trip_keeps_every_field_and_the_wire_names_of_enums()
    {
        var run = Fixtures.AuditRun();

        var yaml = KubernetesYaml.Serialize(run);
        var back = KubernetesYaml.Deserialize<AuditRun>(yaml);

        Assert.Contains("failOn: high", yaml, StringComparison.Ordinal);
        Assert.Contains("- secrets", yaml, StringComparison.Ordinal);
        Assert.Equal(KubernetesJson.Serialize(run), KubernetesJson.Serialize(back));
    }

    [Fact]
    public void Project_yaml_round_trip_keeps_every_field()
    {
        var project = Fixtures.Project();

        var back = KubernetesYaml.Deserialize<Project>(KubernetesYaml.Serialize(project));

        Assert.Equal(KubernetesJson.Serialize(project), KubernetesJson.Serialize(back));
    }

    [Fact]
    public void Enum_wire_names_are_the_same_for_json_and_yaml()
    {
        var members = typeof(ApiGroup).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.Namespace == "OpenKbs.Api.V1Alpha1")
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Select(f => (
                Member: $"{f.DeclaringType!.Name}.{f.Name}",
                Json: f.GetCustomAttribute<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name,
                Yaml: f.GetCustomAttribute<System.Runtime.Serialization.EnumMemberAttribute>()?.Value ?? f.Name))
            .ToList();

        Assert.NotEmpty(members);
        Assert.Equal([], members.Where(m => m.Json != m.Yaml).Select(m => m.Member));
    }
}
