using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>
/// OpenAPI value validation: one case per keyword, expected texts taken from kube-apiserver responses
/// (apiextensions-apiserver + kube-openapi messages).
/// </summary>
public sealed class OpenApiValidationTests
{
    private const string SchemaYaml = """
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            required: [region]
            properties:
              region:
                type: string
                enum: [eu-central-1, eu-west-1]
              replicas: {type: integer, minimum: 1, maximum: 10}
              ratio: {type: number, exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1}
              step: {type: integer, multipleOf: 5}
              name: {type: string, minLength: 3, maxLength: 8, pattern: '^[a-z]+$'}
              title: {type: string, maxLength: 253}
              functions:
                type: array
                minItems: 1
                maxItems: 3
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    memoryMb: {type: integer, format: int32}
              tags:
                type: object
                maxProperties: 2
                additionalProperties: {type: string, maxLength: 5}
              selector: {type: object, minProperties: 1, properties: {a: {type: string}, b: {type: string}}}
              port:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer}, {type: string}]
              nickname: {type: string, nullable: true}
              expiresAt: {type: string, format: date-time}
              enabled: {type: boolean}
              numbers: {type: array, items: {type: integer}}
        """;

    private static readonly CrdSchema Schema = TestJson.Schema(SchemaYaml);

    public static TheoryData<string, string[]> Cases => new()
    {
        { "region: eu-west-1", [] },
        { "{}", ["spec.region: Required value"] },
        { "region: us-east-1", ["spec.region: Unsupported value: \"us-east-1\": supported values: \"eu-central-1\", \"eu-west-1\""] },
        { "{region: eu-west-1, replicas: 0}", ["spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"] },
        { "{region: eu-west-1, replicas: 11}", ["spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"] },
        { "{region: eu-west-1, replicas: two}", ["spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""] },
        { "{region: eu-west-1, replicas: 2.5}", ["spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\""] },
        { "{region: eu-west-1, replicas: 2.0}", [] },
        { "{region: eu-west-1, ratio: 0}", ["spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0"] },
        { "{region: eu-west-1, ratio: 1.0}", ["spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1"] },
        { "{region: eu-west-1, ratio: 0.5}", [] },
        { "{region: eu-west-1, step: 7}", ["spec.step: Invalid value: 7: spec.step in body should be a multiple of 5"] },
        { "{region: eu-west-1, name: ab}", ["spec.name: Invalid value: \"ab\": spec.name in body should be at least 3 chars long"] },
        { "{region: eu-west-1, name: abcdefghi}", ["spec.name: Too long: may not be more than 8 bytes"] },
        { "{region: eu-west-1, name: Abc}", ["spec.name: Invalid value: \"Abc\": spec.name in body should match '^[a-z]+$'"] },
        { "{region: eu-west-1, name: \"abc\\n\"}", ["spec.name: Invalid value: \"abc\\n\": spec.name in body should match '^[a-z]+$'"] },
        { "{region: eu-west-1, functions: []}", ["spec.functions: Invalid value: 0: spec.functions in body should have at least 1 items"] },
        { "{region: eu-west-1, functions: [{name: a}, {name: b}, {name: c}, {name: d}]}", ["spec.functions: Too many: 4: must have at most 3 items"] },
        { "{region: eu-west-1, functions: [{name: a}, {memoryMb: 128}]}", ["spec.functions[1].name: Required value"] },
        { "{region: eu-west-1, functions: [{name: a, memoryMb: big}]}", ["spec.functions[0].memoryMb: Invalid value: \"string\": spec.functions[0].memoryMb in body must be of type integer: \"string\""] },
        { "{region: eu-west-1, functions: notalist}", ["spec.functions: Invalid value: \"string\": spec.functions in body must be of type array: \"string\""] },
        { "{region: eu-west-1, tags: {env: production}}", ["spec.tags.env: Too long: may not be more than 5 bytes"] },
        { "{region: eu-west-1, tags: {a: x, b: y, c: z}}", ["spec.tags: Too many: 3: must have at most 2 items"] },
        { "{region: eu-west-1, selector: {}}", ["spec.selector: Invalid value: 0: spec.selector in body should have at least 1 properties"] },
        { "{region: eu-west-1, port: 8080}", [] },
        { "{region: eu-west-1, port: http}", [] },
        { "{region: eu-west-1, nickname: null}", [] },
        { "{region: eu-west-1, expiresAt: '2025-01-01T00:00:00Z'}", [] },
        { "{region: eu-west-1, expiresAt: tomorrow}", ["spec.expiresAt: Invalid value: \"tomorrow\": spec.expiresAt in body must be of type date-time: \"tomorrow\""] },
        { "{region: eu-west-1, enabled: 'yes'}", ["spec.enabled: Invalid value: \"string\": spec.enabled in body must be of type boolean: \"string\""] },
        { "{region: eu-west-1, numbers: [1, x, 3]}", ["spec.numbers[1]: Invalid value: \"string\": spec.numbers[1] in body must be of type integer: \"string\""] },
        {
            "{region: us-east-1, replicas: 0, name: AB}",
            [
                "spec.region: Unsupported value: \"us-east-1\": supported values: \"eu-central-1\", \"eu-west-1\"",
                "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
                "spec.name: Invalid value: \"AB\": spec.name in body should be at least 3 chars long",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Spec_is_validated_like_kube_apiserver(string specYaml, string[] expected)
    {
        var obj = TestJson.Object("{apiVersion: openkbs.com/v1alpha1, kind: ClientAccount, metadata: {name: acme, namespace: default}}");
        obj["spec"] = TestJson.Yaml(specYaml);

        var errors = Schema.Validate(obj, null);

        Assert.Equal(expected.Order(StringComparer.Ordinal), TestJson.Messages(errors).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Int_or_string_rejects_other_types_with_the_anyOf_errors_kube_apiserver_reports()
    {
        var obj = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, port: true}}");

        var errors = TestJson.Messages(Schema.Validate(obj, null));

        Assert.Contains("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"", errors);
        Assert.Contains("<nil>: Invalid value: \"\": \"spec.port\" must validate at least one schema (anyOf)", errors);
    }

    [Fact]
    public void Non_nullable_null_is_a_type_error_when_not_pruned()
    {
        var obj = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, numbers: [1, null]}}");

        Assert.Equal(["spec.numbers[1]: Invalid value: \"null\": spec.numbers[1] in body must be of type integer: \"null\""], TestJson.Messages(Schema.Validate(obj, null)));
    }

    [Fact]
    public void Errors_keep_their_types_for_the_status_causes()
    {
        var obj = TestJson.Object("{metadata: {name: a}, spec: {region: x, replicas: two, functions: [{name: a}, {name: b}, {name: c}, {name: d}], title: " + new string('x', 254) + "}}");

        var types = Schema.Validate(obj, null).Select(e => (e.Field, e.Type)).ToList();

        Assert.Contains(("spec.region", FieldErrorType.NotSupported), types);
        Assert.Contains(("spec.replicas", FieldErrorType.TypeInvalid), types);
        Assert.Contains(("spec.functions", FieldErrorType.TooMany), types);
        Assert.Contains(("spec.title", FieldErrorType.TooLong), types);
    }

    [Fact]
    public void Unchanged_invalid_values_are_ratcheted_on_update()
    {
        var old = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, replicas: 50, name: abc}}");
        var unchanged = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, replicas: 50, name: abcd}}");
        var changed = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, replicas: 60, name: abc}}");

        Assert.Empty(Schema.Validate(unchanged, old));
        Assert.Equal(["spec.replicas: Invalid value: 60: spec.replicas in body should be less than or equal to 10"], TestJson.Messages(Schema.Validate(changed, old)));
        Assert.Single(Schema.Validate(old, null));
    }

    [Fact]
    public void Ratcheting_correlates_list_items_by_index()
    {
        var old = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, numbers: [1, x]}}");
        var updated = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, numbers: [2, x]}}");
        var moved = TestJson.Object("{metadata: {name: a}, spec: {region: eu-west-1, numbers: [x, 1]}}");

        Assert.Empty(Schema.Validate(updated, old));
        Assert.Single(Schema.Validate(moved, old));
    }

    [Fact]
    public void Api_version_and_kind_are_checked_first_when_the_identity_is_known()
    {
        var schema = TestJson.Schema(SchemaYaml, new CrdSchemaOptions { Group = "openkbs.com", Version = "v1alpha1", Kind = "ClientAccount", Namespaced = true });
        var obj = TestJson.Object("{apiVersion: openkbs.com/v1, kind: Project, metadata: {name: a, namespace: d}, spec: {}}");

        Assert.Equal(
            ["kind: Invalid value: \"Project\": must be ClientAccount", "apiVersion: Invalid value: \"openkbs.com/v1\": must be openkbs.com/v1alpha1"],
            TestJson.Messages(schema.Validate(obj, null)));
    }
}
