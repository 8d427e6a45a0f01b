using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>The shape of the OpenAPI documents kube-apiserver publishes for CRDs, as kubectl reads them.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly JsonObject Crd = TestJson.Object("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [size]
                      properties:
                        size: {type: integer, minimum: 1, maximum: 10}
                        color: {type: string, enum: [red, blue], nullable: true}
                        port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                        raw: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {a: {type: string}}}
                        template:
                          type: object
                          x-kubernetes-embedded-resource: true
                          x-kubernetes-preserve-unknown-fields: true
                    status: {type: object, properties: {ready: {type: boolean}}}
            - name: v0
              served: false
              storage: false
              schema: {openAPIV3Schema: {type: object}}
        """);

    [Fact]
    public void V3_group_version_document_has_the_kind_its_list_and_the_meta_definitions()
    {
        var doc = OpenApiBuilder.BuildV3GroupVersion("example.com", "v1", [Crd]);

        Assert.Equal("3.0.0", (string?)doc["openapi"]);
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var widget = schemas["com.example.v1.Widget"]!;
        Assert.Equal("""[{"group":"example.com","kind":"Widget","version":"v1"}]""", widget["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", (string?)widget["properties"]!["metadata"]!["allOf"]![0]!["$ref"]);
        Assert.Equal("string", (string?)widget["properties"]!["apiVersion"]!["type"]);
        Assert.Equal(10, (int)widget["properties"]!["spec"]!["properties"]!["size"]!["maximum"]!);
        Assert.Equal("""["size"]""", widget["properties"]!["spec"]!["required"]!.ToJsonString());
        Assert.Equal("#/components/schemas/com.example.v1.Widget", (string?)schemas["com.example.v1.WidgetList"]!["properties"]!["items"]!["items"]!["$ref"]);
        foreach (var meta in new[] { "ObjectMeta", "ListMeta", "ManagedFieldsEntry", "OwnerReference", "Time", "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Patch" })
        {
            Assert.True(schemas.ContainsKey("io.k8s.apimachinery.pkg.apis.meta.v1." + meta), meta);
        }

        var embedded = widget["properties"]!["spec"]!["properties"]!["template"]!;
        Assert.Equal("""["kind","apiVersion"]""", embedded["required"]!.ToJsonString());
        Assert.NotNull(embedded["properties"]!["metadata"]);
    }

    [Fact]
    public void V3_paths_declare_field_validation_on_patch_with_the_group_version_kind()
    {
        var doc = OpenApiBuilder.BuildV3GroupVersion("example.com", "v1", [Crd]);
        var paths = doc["paths"]!.AsObject();

        Assert.Equal(
            ["/apis/example.com/v1/namespaces/{namespace}/widgets", "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}", "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status", "/apis/example.com/v1/widgets"],
            paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        var patch = paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]!["patch"]!;
        Assert.Equal("""{"group":"example.com","kind":"Widget","version":"v1"}""", patch["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Equal("patch", (string?)patch["x-kubernetes-action"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation" && (string?)p["in"] == "query");
        Assert.Equal(["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"], patch["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Equal("patchExampleComV1NamespacedWidget", (string?)patch["operationId"]);
    }

    [Fact]
    public void V2_strips_value_validations_like_the_published_crd_swagger()
    {
        var doc = OpenApiBuilder.BuildV2([Crd]);

        Assert.Equal("2.0", (string?)doc["swagger"]);
        var widget = doc["definitions"]!["com.example.v1.Widget"]!;
        var spec = widget["properties"]!["spec"]!;
        Assert.Null(spec["required"]);
        Assert.Null(spec["properties"]!["size"]!["maximum"]);
        Assert.Null(spec["properties"]!["color"]!["enum"]);
        Assert.Null(spec["properties"]!["color"]!["nullable"]);
        Assert.Null(spec["properties"]!["port"]!["anyOf"]);
        Assert.Null(spec["properties"]!["raw"]!["properties"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", (string?)widget["properties"]!["metadata"]!["$ref"]);
        Assert.False(doc["definitions"]!.AsObject().ContainsKey("com.example.v0.Widget"));
        Assert.Contains(doc["paths"]!["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]!["patch"]!["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }

    [Fact]
    public void V3_root_points_at_each_group_version_with_the_hash_of_its_document()
    {
        var doc = OpenApiBuilder.BuildV3GroupVersion("example.com", "v1", [Crd]);

        var root = OpenApiBuilder.BuildV3Root([("example.com", "v1", doc), ("", "v1", new JsonObject())]);

        var url = (string)root["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!;
        Assert.Equal("/openapi/v3/apis/example.com/v1?hash=" + OpenApiBuilder.Hash(doc), url);
        Assert.Matches("^[0-9A-F]{128}$", OpenApiBuilder.Hash(doc));
        Assert.StartsWith("/openapi/v3/api/v1?hash=", (string)root["paths"]!["api/v1"]!["serverRelativeURL"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openkbs.com", "v1alpha1", "ClientAccount", "com.openkbs.v1alpha1.ClientAccount")]
    [InlineData("apps.example.io", "v2", "Thing", "io.example.apps.v2.Thing")]
    public void Definition_names_reverse_the_group(string group, string version, string kind, string expected) =>
        Assert.Equal(expected, OpenApiBuilder.DefinitionName(group, version, kind));
}
