namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>x-kubernetes-list-type set and map uniqueness (listtype.ValidateListSetsAndMaps).</summary>
public sealed class ListTypeTests
{
    private static readonly OpenKbs.Sandbox.Schema.CrdSchema Schema = TestJson.Schema("""
        type: object
        properties:
          spec:
            type: object
            properties:
              names: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              functions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items: {type: object, required: [name], properties: {name: {type: string}, memoryMb: {type: integer}}}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port, protocol]
                items: {type: object, required: [port, protocol], properties: {port: {type: integer}, protocol: {type: string}}}
        """);

    public static TheoryData<string, string[]> Cases => new()
    {
        { "{names: [a, b, c]}", [] },
        { "{names: [bank, bank]}", ["spec.names[1]: Duplicate value: \"bank\""] },
        { "{names: [a, b, a, a, b]}", ["spec.names[2]: Duplicate value: \"a\"", "spec.names[4]: Duplicate value: \"b\""] },
        { "{functions: [{name: api}, {name: web}]}", [] },
        { "{functions: [{name: api}, {name: api, memoryMb: 256}]}", ["spec.functions[1]: Duplicate value: map[string]interface {}{\"name\":\"api\"}"] },
        { "{ports: [{port: 80, protocol: TCP}, {port: 80, protocol: UDP}]}", [] },
        { "{ports: [{port: 80, protocol: TCP}, {port: 80, protocol: TCP}]}", ["spec.ports[1]: Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Duplicates_are_reported_at_their_second_appearance(string specYaml, string[] expected)
    {
        var obj = TestJson.Object("{metadata: {name: a}}");
        obj["spec"] = TestJson.Yaml(specYaml);

        Assert.Equal(expected, TestJson.Messages(Schema.Validate(obj, null)));
    }

    [Fact]
    public void Existing_duplicates_are_tolerated_on_update()
    {
        var old = TestJson.Object("{metadata: {name: a}, spec: {names: [x, x]}}");
        var obj = TestJson.Object("{metadata: {name: a}, spec: {names: [x, x, y]}}");

        Assert.Empty(Schema.Validate(obj, old));
    }
}
