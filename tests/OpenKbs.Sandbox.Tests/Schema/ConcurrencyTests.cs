namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>A compiled schema is shared by all requests of a server: concurrent use must give the same answers.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task A_schema_validates_concurrently_with_the_same_results()
    {
        var schema = TestJson.Schema("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: "self.items.all(i, i.matches('^[a-z]+$')) && self.items.map(i, i.upperAscii()).exists(i, i == 'B')"
                    messageExpression: "'bad items: ' + self.items.join(',')"
                properties:
                  items: {type: array, maxItems: 5, items: {type: string}}
                  count: {type: integer, maximum: 3}
            """);
        var good = TestJson.Object("{metadata: {name: a}, spec: {items: [a, b], count: 1}}");
        var bad = TestJson.Object("{metadata: {name: a}, spec: {items: [a, C], count: 1}}");
        var invalid = TestJson.Object("{metadata: {name: a}, spec: {items: [a, b], count: 9}}");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 200; i++)
            {
                var obj = (i % 3) switch { 0 => good, 1 => bad, _ => invalid };
                seen.Add(string.Join("|", TestJson.Messages(schema.Validate(obj, null))));
            }

            return seen;
        })));

        var expected = new HashSet<string>(StringComparer.Ordinal)
        {
            "",
            "spec: Invalid value: \"object\": bad items: a,C",
            "spec.count: Invalid value: 9: spec.count in body should be less than or equal to 3",
        };
        Assert.All(results, seen => Assert.Equal(expected, seen));
    }

    [Fact]
    public void A_failing_message_expression_falls_back_to_the_message()
    {
        var schema = TestJson.Schema("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: "has(self.name) && self.name != 'x'"
                    message: "name must be set and not x"
                    messageExpression: "'name ' + self.name + ' is not allowed'"
                properties:
                  name: {type: string}
            """);

        Assert.Equal(["spec: Invalid value: \"object\": name x is not allowed"], TestJson.Messages(schema.Validate(TestJson.Object("{metadata: {name: a}, spec: {name: x}}"), null)));
        Assert.Equal(["spec: Invalid value: \"object\": name must be set and not x"], TestJson.Messages(schema.Validate(TestJson.Object("{metadata: {name: a}, spec: {}}"), null)));
    }
}
