using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>Structural defaulting and pruning, as apiextensions-apiserver applies them.</summary>
public sealed class DefaultingAndPruningTests
{
    private static readonly OpenKbs.Sandbox.Schema.CrdSchema Schema = TestJson.Schema("""
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            properties:
              region: {type: string, default: eu-central-1}
              deletionPolicy: {type: string, default: Retain}
              database:
                type: object
                properties:
                  minAcu: {type: number, default: 0.5}
                  maxAcu: {type: number, default: 4}
              storage:
                type: object
                default: {}
                properties:
                  versioning: {type: boolean, default: true}
              functions:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
                    memoryMb: {type: integer, default: 128}
              labels:
                type: object
                additionalProperties: {type: string}
              nickname: {type: string, nullable: true, default: none}
              comment: {type: string}
              raw:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known:
                    type: object
                    properties: {a: {type: string}}
              template:
                type: object
                x-kubernetes-embedded-resource: true
                properties:
                  spec: {type: object, properties: {x: {type: string}}}
          status:
            type: object
            properties:
              phase: {type: string}
        """);

    public static TheoryData<string, string> DefaultCases => new()
    {
        { "{}", """{"region":"eu-central-1","deletionPolicy":"Retain","storage":{"versioning":true},"nickname":"none"}""" },
        { "{region: eu-west-1}", """{"region":"eu-west-1","deletionPolicy":"Retain","storage":{"versioning":true},"nickname":"none"}""" },
        { "{database: {}}", """{"database":{"minAcu":0.5,"maxAcu":4},"region":"eu-central-1","deletionPolicy":"Retain","storage":{"versioning":true},"nickname":"none"}""" },
        { "{functions: [{name: api}, {name: web, memoryMb: 512}]}", """{"functions":[{"name":"api","memoryMb":128},{"name":"web","memoryMb":512}],"region":"eu-central-1","deletionPolicy":"Retain","storage":{"versioning":true},"nickname":"none"}""" },
        { "{region: null, nickname: null}", """{"region":"eu-central-1","nickname":null,"deletionPolicy":"Retain","storage":{"versioning":true}}""" },
    };

    [Theory]
    [MemberData(nameof(DefaultCases))]
    public void Defaults_apply_only_inside_existing_objects(string specYaml, string expectedSpec)
    {
        var obj = TestJson.Object("{metadata: {name: a}}");
        obj["spec"] = TestJson.Yaml(specYaml);

        Schema.ApplyDefaults(obj);

        Assert.Equal(expectedSpec, obj["spec"]!.ToJsonString());
        Assert.False(obj.ContainsKey("status"));
    }

    [Fact]
    public void Pruning_drops_unknown_fields_and_reports_their_paths()
    {
        var obj = TestJson.Object("""
            apiVersion: openkbs.com/v1alpha1
            kind: Project
            metadata: {name: shop, namespace: t, labels: {a: b}, bogus: 1, ownerReferences: [{apiVersion: v1, kind: X, name: n, uid: u, extra: 1}]}
            spec:
              region: eu-west-1
              unknown: 1
              functions: [{name: api, typo: 2}]
              labels: {any: thing}
              raw: {anything: goes, known: {a: x, b: dropped}}
              template: {apiVersion: v1, kind: ConfigMap, metadata: {name: x, bogus: y}, spec: {x: a, y: b}, extra: 1}
            status: {phase: Ready, junk: 1}
            extra: top
            """);

        var unknown = Schema.Prune(obj);

        Assert.Equal(
            ["extra", "metadata.bogus", "metadata.ownerReferences[0].extra", "spec.functions[0].typo", "spec.raw.known.b", "spec.template.extra", "spec.template.metadata.bogus", "spec.template.spec.y", "spec.unknown", "status.junk"],
            unknown.Order(StringComparer.Ordinal));
        Assert.Equal(
            """{"apiVersion":"openkbs.com/v1alpha1","kind":"Project","metadata":{"name":"shop","namespace":"t","labels":{"a":"b"},"ownerReferences":[{"apiVersion":"v1","kind":"X","name":"n","uid":"u"}]},"spec":{"region":"eu-west-1","functions":[{"name":"api"}],"labels":{"any":"thing"},"raw":{"anything":"goes","known":{"a":"x"}},"template":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"spec":{"x":"a"}}},"status":{"phase":"Ready"}}""",
            obj.ToJsonString());
    }

    [Fact]
    public void Pruning_removes_nulls_of_non_nullable_fields_without_default()
    {
        var obj = TestJson.Object("{metadata: {name: a, creationTimestamp: null}, spec: {comment: null, region: null, nickname: null}}");

        Schema.Prune(obj);

        Assert.Equal("""{"metadata":{"name":"a"},"spec":{"region":null,"nickname":null}}""", obj.ToJsonString());
    }

    [Fact]
    public void Prune_then_default_then_validate_is_the_request_pipeline()
    {
        var obj = TestJson.Object("{apiVersion: openkbs.com/v1alpha1, kind: Project, metadata: {name: a}, spec: {storage: {typo: 1}}}");

        Schema.Prune(obj);
        Schema.ApplyDefaults(obj);

        Assert.Empty(Schema.Validate(obj, null));
        Assert.Equal(JsonValue.Create(true).ToJsonString(), obj["spec"]!["storage"]!["versioning"]!.ToJsonString());
    }
}
