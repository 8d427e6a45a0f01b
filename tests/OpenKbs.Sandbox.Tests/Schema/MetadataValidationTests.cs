using OpenKbs.Sandbox.Schema;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>ValidateObjectMetaAccessor(Update) for custom resources: names are DNS subdomains, namespaces DNS labels.</summary>
public sealed class MetadataValidationTests
{
    private static readonly CrdSchema Namespaced = TestJson.Schema("{type: object, properties: {spec: {type: object}}}", new CrdSchemaOptions { Namespaced = true });
    private static readonly CrdSchema Cluster = TestJson.Schema("{type: object, properties: {spec: {type: object}}}", new CrdSchemaOptions { Namespaced = false });

    public static TheoryData<string, string[]> CreateCases => new()
    {
        { "{name: acme, namespace: tenants}", [] },
        { "{namespace: tenants}", ["metadata.name: Required value: name or generateName is required"] },
        { "{name: '', generateName: acme-, namespace: tenants}", ["metadata.name: Required value: name or generateName is required"] },
        { "{name: Acme, namespace: tenants}", ["metadata.name: Invalid value: \"Acme\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"] },
        { "{name: acme, generateName: Acme-, namespace: tenants}", ["metadata.generateName: Invalid value: \"Acme-\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"] },
        { "{name: acme-x, generateName: acme-, namespace: tenants}", [] },
        { "{name: acme}", ["metadata.namespace: Required value"] },
        { "{name: acme, namespace: Bad.NS}", ["metadata.namespace: Invalid value: \"Bad.NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"] },
        { "{name: acme, namespace: a.b}", ["metadata.namespace: Invalid value: \"a.b\": must not contain dots"] },
        { "{name: acme, namespace: t, labels: {'bad key!': v}}", ["metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"] },
        { "{name: acme, namespace: t, labels: {app: 'bad value'}}", ["metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"] },
        { "{name: acme, namespace: t, labels: {openkbs.com/owner: ok}, annotations: {openkbs.com/note: 'free text!'}}", [] },
        { "{name: acme, namespace: t, finalizers: [openkbs.com/cleanup, 'bad finalizer']}", ["metadata.finalizers: Invalid value: \"bad finalizer\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"] },
        { "{name: acme, namespace: t, labels: {app: 1}}", ["metadata.labels: Invalid value: map[string]interface {}{\"app\":1}: must be of type map[string]string"] },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Metadata_is_validated_on_create(string metadataYaml, string[] expected)
    {
        var obj = TestJson.Object("{spec: {}}");
        obj["metadata"] = TestJson.Yaml(metadataYaml);

        Assert.Equal(expected, TestJson.Messages(Namespaced.Validate(obj, null)));
    }

    [Fact]
    public void Cluster_scoped_objects_must_not_have_a_namespace()
    {
        var obj = TestJson.Object("{metadata: {name: acme, namespace: t}}");

        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], TestJson.Messages(Cluster.Validate(obj, null)));
    }

    [Fact]
    public void Name_longer_than_253_bytes_is_refused()
    {
        var obj = TestJson.Object("{metadata: {namespace: t}}");
        obj["metadata"]!["name"] = new string('a', 254);

        Assert.Equal([$"metadata.name: Invalid value: \"{new string('a', 254)}\": must be no more than 253 characters"], TestJson.Messages(Namespaced.Validate(obj, null)));
    }

    public static TheoryData<string, string, string[]> UpdateCases => new()
    {
        { "{name: acme, namespace: t, uid: u1}", "{name: acme, namespace: t, uid: u1, labels: {a: b}}", [] },
        { "{name: acme, namespace: t, uid: u1}", "{name: other, namespace: t, uid: u1}", ["metadata.name: Invalid value: \"other\": field is immutable"] },
        { "{name: acme, namespace: t, uid: u1}", "{name: acme, namespace: t, uid: u2}", ["metadata.uid: Invalid value: \"u2\": field is immutable"] },
        { "{name: acme, namespace: t, generation: 3}", "{name: acme, namespace: t, generation: 2}", ["metadata.generation: Invalid value: 2: must not be decremented"] },
        {
            "{name: acme, namespace: t, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [a.io/x]}",
            "{name: acme, namespace: t, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [a.io/x, b.io/y]}",
            ["metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b.io/y\"}"]
        },
        { "{name: acme, namespace: t, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [a.io/x]}", "{name: acme, namespace: t, deletionTimestamp: '2025-01-01T00:00:00Z'}", [] },
    };

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void Metadata_is_validated_on_update(string oldYaml, string newYaml, string[] expected)
    {
        var old = TestJson.Object("{spec: {}}");
        old["metadata"] = TestJson.Yaml(oldYaml);
        var obj = TestJson.Object("{spec: {}}");
        obj["metadata"] = TestJson.Yaml(newYaml);

        Assert.Equal(expected, TestJson.Messages(Namespaced.Validate(obj, old)));
    }
}
