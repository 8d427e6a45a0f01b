using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>x-kubernetes-validations: evaluation, messages, reasons, field paths, transition rules and ratcheting.</summary>
public sealed class CelRuleTests
{
    private const string SchemaYaml = """
        type: object
        x-kubernetes-validations:
          - rule: "self.metadata.name.size() <= 20"
            message: "name must be at most 20 characters"
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            x-kubernetes-validations:
              - rule: "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas"
                message: "minReplicas must not exceed maxReplicas"
              - rule: "self.region.startsWith('eu-')"
                messageExpression: "'region ' + self.region + ' is outside the EU'"
              - rule: "!has(self.mode) || self.mode != 'legacy' || has(self.legacyConfig)"
                message: "legacyConfig is required in legacy mode"
                reason: FieldValueRequired
                fieldPath: .legacyConfig
              - rule: "!has(self.size) || !oldSelf.hasValue() || !has(oldSelf.value().size) || self.size >= oldSelf.value().size"
                optionalOldSelf: true
                message: "size may only grow"
            properties:
              region: {type: string}
              accountId:
                type: string
                x-kubernetes-validations:
                  - rule: "self == oldSelf"
                    message: "accountId is immutable"
              minReplicas: {type: integer}
              maxReplicas: {type: integer}
              mode: {type: string}
              legacyConfig: {type: string}
              size: {type: integer}
              owner:
                type: string
                x-kubernetes-validations:
                  - rule: "self.matches('^[a-z]+@[a-z.]+$')"
                  - rule: "self != 'root@example.com'"
                    reason: FieldValueForbidden
                    message: "the root account may not own a client account"
              functions:
                type: array
                maxItems: 20
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                x-kubernetes-validations:
                  - rule: "self.all(f, f.name.matches('^[a-z][a-z0-9-]*$'))"
                    message: "function names must be DNS labels"
                items:
                  type: object
                  required: [name]
                  x-kubernetes-validations:
                    - rule: "self.memoryMb % 64 == 0"
                      message: "memoryMb must be a multiple of 64"
                    - rule: "self.runtime == oldSelf.runtime"
                      message: "runtime is immutable"
                  properties:
                    name: {type: string}
                    memoryMb: {type: integer, default: 128}
                    runtime: {type: string, default: nodejs24.x}
              tags:
                type: object
                additionalProperties:
                  type: string
                  x-kubernetes-validations:
                    - rule: "self.size() <= 10"
                      message: "tag values are at most 10 characters"
        """;

    private static readonly CrdSchema Schema = TestJson.Schema(SchemaYaml);

    private static JsonObject Object(string specYaml, string name = "acme")
    {
        var obj = TestJson.Object($"{{apiVersion: openkbs.com/v1alpha1, kind: ClientAccount, metadata: {{name: {name}, namespace: t}}}}");
        obj["spec"] = TestJson.Yaml(specYaml);
        Schema.ApplyDefaults(obj);
        return obj;
    }

    public static TheoryData<string, string[]> CreateCases => new()
    {
        { "{region: eu-west-1, accountId: '1'}", [] },
        { "{region: eu-west-1, minReplicas: 5, maxReplicas: 2}", ["spec: Invalid value: \"object\": minReplicas must not exceed maxReplicas"] },
        { "{region: us-east-1}", ["spec: Invalid value: \"object\": region us-east-1 is outside the EU"] },
        { "{region: eu-west-1, mode: legacy}", ["spec.legacyConfig: Required value: legacyConfig is required in legacy mode"] },
        { "{region: eu-west-1, owner: Bob}", ["spec.owner: Invalid value: \"string\": failed rule: self.matches('^[a-z]+@[a-z.]+$')"] },
        { "{region: eu-west-1, owner: root@example.com}", ["spec.owner: Forbidden: the root account may not own a client account"] },
        { "{region: eu-west-1, functions: [{name: api}, {name: Web}]}", ["spec.functions: Invalid value: \"array\": function names must be DNS labels"] },
        { "{region: eu-west-1, functions: [{name: api}, {name: web, memoryMb: 100}]}", ["spec.functions[1]: Invalid value: \"object\": memoryMb must be a multiple of 64"] },
        { "{region: eu-west-1, tags: {env: production-eu-1}}", ["spec.tags[env]: Invalid value: \"string\": tag values are at most 10 characters"] },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Rules_are_evaluated_on_create(string specYaml, string[] expected)
    {
        Assert.Equal(expected, TestJson.Messages(Schema.Validate(Object(specYaml), null)));
    }

    [Fact]
    public void Root_rules_see_metadata_name()
    {
        var errors = Schema.Validate(Object("{region: eu-west-1}", name: "a-name-that-is-far-too-long"), null);

        Assert.Equal(["<nil>: Invalid value: \"object\": name must be at most 20 characters"], TestJson.Messages(errors));
    }

    [Fact]
    public void Schema_errors_block_rule_evaluation()
    {
        var obj = Object("{region: us-east-1, minReplicas: x}");

        Assert.Equal(
            [
                "spec.minReplicas: Invalid value: \"string\": spec.minReplicas in body must be of type integer: \"string\"",
                "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            TestJson.Messages(Schema.Validate(obj, null)));
    }

    [Fact]
    public void Transition_rules_run_only_on_update_with_an_old_value()
    {
        var old = Object("{region: eu-west-1, accountId: '111'}");
        var changed = Object("{region: eu-west-1, accountId: '222'}");
        var unchanged = Object("{region: eu-west-1, accountId: '111', minReplicas: 1}");

        Assert.Empty(Schema.Validate(changed, null));
        Assert.Equal(["spec.accountId: Invalid value: \"string\": accountId is immutable"], TestJson.Messages(Schema.Validate(changed, old)));
        Assert.Empty(Schema.Validate(unchanged, old));
    }

    [Fact]
    public void Transition_rules_on_map_list_items_correlate_by_key()
    {
        var old = Object("{region: eu-west-1, functions: [{name: api, runtime: nodejs22.x}, {name: web}]}");
        var reordered = Object("{region: eu-west-1, functions: [{name: web}, {name: api, runtime: nodejs22.x}, {name: new, runtime: python3.13}]}");
        var changed = Object("{region: eu-west-1, functions: [{name: web}, {name: api}]}");

        Assert.Empty(Schema.Validate(reordered, old));
        Assert.Equal(["spec.functions[1]: Invalid value: \"object\": runtime is immutable"], TestJson.Messages(Schema.Validate(changed, old)));
    }

    [Fact]
    public void Optional_old_self_rules_run_on_create_with_no_value()
    {
        var old = Object("{region: eu-west-1, size: 10}");

        Assert.Empty(Schema.Validate(Object("{region: eu-west-1, size: 5}"), null));
        Assert.Equal(["spec: Invalid value: \"object\": size may only grow"], TestJson.Messages(Schema.Validate(Object("{region: eu-west-1, size: 5}"), old)));
        Assert.Empty(Schema.Validate(Object("{region: eu-west-1, size: 20}"), old));
    }

    [Fact]
    public void Failing_rules_on_unchanged_values_are_ratcheted_on_update()
    {
        var old = Object("{region: eu-west-1, owner: Bob, tags: {env: production-eu-1}}");
        var stillInvalidButUntouched = Object("{region: eu-west-1, owner: Bob, tags: {env: production-eu-1}, minReplicas: 1}");
        var touched = Object("{region: eu-west-1, owner: Bobby, tags: {env: production-eu-1}}");

        Assert.Empty(Schema.Validate(stillInvalidButUntouched, old));
        Assert.Equal(["spec.owner: Invalid value: \"string\": failed rule: self.matches('^[a-z]+@[a-z.]+$')"], TestJson.Messages(Schema.Validate(touched, old)));
    }

    [Fact]
    public void Runtime_errors_are_reported_with_the_rule()
    {
        var schema = TestJson.Schema("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: "self.limit > 1"
                  - rule: "self.items[5] == 'x'"
                    message: "item 5 must be x"
                properties:
                  limit: {type: integer}
                  items: {type: array, items: {type: string}}
            """);
        var obj = TestJson.Object("{metadata: {name: a}, spec: {items: [a]}}");

        Assert.Equal(
            [
                "spec: Invalid value: \"object\": no such key: limit evaluating rule: self.limit > 1",
                "spec: Invalid value: \"object\": index out of bounds: 5 evaluating rule: item 5 must be x",
            ],
            TestJson.Messages(schema.Validate(obj, null)));
    }

    public static TheoryData<string, string> CompileFailures => new()
    {
        { "self.nosuch == 1", "rule: Invalid value: map[string]interface {}{\"rule\":\"self.nosuch == 1\"}: compilation failed: ERROR: <input>:1:5: undefined field 'nosuch'\n | self.nosuch == 1\n | ....^" },
        { "self.name.lowerAscii() == 'a' && self.name.sha256() == 'x'", "undeclared reference to 'sha256' (in container '')" },
        { "self.name", "cel expression must evaluate to a bool" },
        { "self.name ==", "compilation failed: ERROR: <input>:1:13: Syntax error: mismatched input '<EOF>'" },
        { "self.count.startsWith('1')", "found no matching overload for 'startsWith' applied to 'int.(string)'" },
        { "self.name + 1 == 'a1'", "found no matching overload for '_+_' applied to '(string, int)'" },
        { "self.name.matches('[a-z')", "error parsing regexp" },
        { "ip('10.0.0.1').family() == 4", "undeclared reference to 'ip' (in container '')" },
        { "self.count.quantity() == 1", "undeclared reference to 'quantity' (in container '')" },
        { "self.items.all(i, i.nope)", "type 'string' does not support field selection" },
        { "foo == 1", "undeclared reference to 'foo' (in container '')" },
    };

    [Theory]
    [MemberData(nameof(CompileFailures))]
    public void Rules_that_do_not_compile_fail_the_installation(string rule, string expected)
    {
        var schema = $$$"""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: {{{System.Text.Json.JsonSerializer.Serialize(rule)}}}
                properties:
                  name: {type: string}
                  count: {type: integer}
                  items: {type: array, items: {type: string}}
            """;

        var errors = TestJson.CompileErrors(schema);

        var error = Assert.Single(errors);
        Assert.StartsWith("openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RuleSettingFailures => new()
    {
        { "{rule: 'self.a == oldSelf.value().a', optionalOldSelf: true}", "" },
        { "{rule: 'self.a == oldSelf.a', optionalOldSelf: true}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: map[string]interface {}{\"optionalOldSelf\":true, \"rule\":\"self.a == oldSelf.a\"}: compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(string, optional_type(string))'" },
        { "{rule: 'self.a == \"x\"', optionalOldSelf: true}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if rule does not use oldSelf" },
        { "{rule: 'self.a == \"x\"', reason: FieldValueWrong}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: \"FieldValueWrong\": supported values: \"FieldValueRequired\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueDuplicate\"" },
        { "{rule: 'self.a == \"x\"', fieldPath: .b}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].fieldPath: Invalid value: \".b\": fieldPath must be a valid path: does not refer to a valid field" },
        { "{rule: 'self.a == \"x\"', messageExpression: 'self.size'}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].messageExpression: Invalid value: " },
        { "{rule: '  '}", "openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified" },
    };

    [Theory]
    [MemberData(nameof(RuleSettingFailures))]
    public void Rule_settings_are_checked(string ruleYaml, string expectedPrefix)
    {
        var schema = $$$"""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations: [{{{ruleYaml}}}]
                properties:
                  a: {type: string}
                  size: {type: integer}
            """;

        var errors = TestJson.CompileErrors(schema);

        if (expectedPrefix.Length == 0)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(expectedPrefix, Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Old_self_is_refused_where_old_values_cannot_be_correlated()
    {
        var errors = TestJson.CompileErrors("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  names:
                    type: array
                    items:
                      type: string
                      x-kubernetes-validations: [{rule: "self == oldSelf"}]
            """);

        Assert.Contains("oldSelf cannot be used on the uncorrelatable portion of the schema within openAPIV3Schema.properties[spec].properties[names]", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Property_names_are_escaped_like_kubernetes()
    {
        var schema = TestJson.Schema("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: "self.x__dash__y == 'a' && self.__namespace__ == 'b' && self.a__dot__b == 'c'"
                properties:
                  x-y: {type: string}
                  namespace: {type: string}
                  a.b: {type: string}
            """);

        Assert.Empty(schema.Validate(TestJson.Object("{metadata: {name: n}, spec: {x-y: a, namespace: b, a.b: c}}"), null));
        Assert.Single(schema.Validate(TestJson.Object("{metadata: {name: n}, spec: {x-y: z, namespace: b, a.b: c}}"), null));
    }
}
