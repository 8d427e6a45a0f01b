namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>Schemas kube-apiserver refuses at CRD installation (structural invariants and CRD validation).</summary>
public sealed class StructuralSchemaTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "{properties: {spec: {type: object}}}", "openAPIV3Schema.type: Required value: must not be empty at the root" },
        { "{type: string}", "openAPIV3Schema.type: Invalid value: \"string\": must be object at the root" },
        { "{type: object, properties: {spec: {properties: {a: {type: string}}}}}", "openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields" },
        { "{type: object, properties: {list: {type: array}}}", "openAPIV3Schema.properties[list].items: Required value: must be specified" },
        { "{type: object, properties: {list: {type: array, items: {}}}}", "openAPIV3Schema.properties[list].items.type: Required value: must not be empty for specified array items" },
        { "{type: object, properties: {list: {type: array, uniqueItems: true, items: {type: string}}}}", "openAPIV3Schema.properties[list].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic" },
        { "{type: object, properties: {a: {type: object, properties: {b: {type: string}}, additionalProperties: {type: string}}}}", "openAPIV3Schema.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive" },
        { "{type: object, additionalProperties: {type: string}}", "openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root" },
        { "{type: object, properties: {a: {type: string, x-kubernetes-preserve-unknown-fields: false}}}", "openAPIV3Schema.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined" },
        { "{type: object, properties: {a: {type: strnig}}}", "openAPIV3Schema.properties[a].type: Unsupported value: \"strnig\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"" },
        { "{type: object, properties: {a: {type: string, pattern: '[a-z'}}}", "openAPIV3Schema.properties[a].pattern: Invalid value: \"[a-z\": must be a valid regular expression, but isn't: error parsing regexp:" },
        { "{type: object, properties: {a: {type: string, anyOf: [{type: string, description: x}]}}}", "openAPIV3Schema.properties[a].anyOf[0].description: Forbidden: must be empty to be structural" },
        { "{type: object, properties: {metadata: {type: object, properties: {labels: {type: object}}}}}", "openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified" },
        { "{type: object, properties: {l: {type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}}}", "openAPIV3Schema.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map" },
        { "{type: object, properties: {l: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}}}", "openAPIV3Schema.properties[l].x-kubernetes-list-map-keys: Invalid value: \"name\": entries must all be names of required properties or have a default value" },
        { "{type: object, properties: {l: {type: array, x-kubernetes-list-type: bag, items: {type: string}}}}", "openAPIV3Schema.properties[l].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"" },
        { "{type: object, properties: {e: {type: object, x-kubernetes-embedded-resource: true}}}", "openAPIV3Schema.properties[e].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields" },
        { "{type: object, properties: {r: {type: integer, default: abc}}}", "openAPIV3Schema.properties[r].default: Invalid value: \"string\":  in body must be of type integer: \"string\"" },
        { "{type: object, properties: {o: {type: object, default: {x: 1}, properties: {y: {type: integer}}}}}", "openAPIV3Schema.properties[o].default: Invalid value: map[string]interface {}{\"x\":1}: must not have unknown fields" },
        { "{type: object, properties: {a: {$ref: '#/definitions/x'}}}", "openAPIV3Schema.properties[a].$ref: Forbidden: $ref is not supported" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Non_structural_or_invalid_schemas_are_refused(string schemaYaml, string expectedPrefix)
    {
        var errors = TestJson.CompileErrors(schemaYaml);

        Assert.Contains(errors, e => e.StartsWith(expectedPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Int_or_string_and_preserve_unknown_fields_need_no_type()
    {
        Assert.Empty(TestJson.CompileErrors("""
            type: object
            properties:
              port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
              raw: {x-kubernetes-preserve-unknown-fields: true}
              metadata: {type: object, properties: {name: {type: string, maxLength: 40}}}
            """));
    }

    [Fact]
    public void Crd_version_schema_errors_carry_the_crd_path()
    {
        var crd = TestJson.Object("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: projects.openkbs.com}
            spec:
              group: openkbs.com
              names: {kind: Project, plural: projects}
              scope: Namespaced
              versions:
                - name: v1alpha1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec: {type: object, properties: {a: {}}}
            """);

        var ex = Assert.Throws<OpenKbs.Sandbox.Schema.CrdSchemaException>(() => OpenKbs.Sandbox.Schema.CrdSchema.FromCrd(crd, "v1alpha1"));

        Assert.Equal(
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].type: Required value: must not be empty for specified object fields",
            Assert.Single(ex.Errors).ToString());
    }
}
