using System.Text.Json;

namespace OpenKbs.Sandbox.Tests.Schema;

/// <summary>
/// CEL evaluation semantics as cel-go implements them: errors are values that the logical operators and the
/// all/exists macros absorb when the other operands decide, strict integer arithmetic, heterogeneous numeric equality.
/// </summary>
public sealed class CelSemanticsTests
{
    private const string Template = """
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations: [{rule: RULE}]
            properties:
              present: {type: integer}
              missing: {type: integer}
              list: {type: array, items: {type: object, properties: {a: {type: integer}}}}
              big: {type: integer}
              ratio: {type: number}
        """;

    private const string Fixture = "{metadata: {name: n}, spec: {present: 2, list: [{a: 1}, {}], big: 9223372036854775807, ratio: 2.0}}";

    public static TheoryData<string, string?> Cases => new()
    {
        // || and && decide despite an erroring operand, in either order.
        { "self.missing > 1 || true", null },
        { "true || self.missing > 1", null },
        { "self.missing > 1 && false", "failed" },
        { "false && self.missing > 1", "failed" },
        { "self.missing > 1 || false", "no such key: missing" },
        { "self.present == 2 ? true : self.missing > 1", null },
        // all() is false if any element is false, an error only when nothing decides.
        { "self.list.all(x, x.a == 5)", "failed" },
        { "self.list.all(x, x.a == 1)", "no such key: a" },
        { "self.list.exists(x, x.a == 1)", null },
        { "self.list.exists(x, x.a == 5)", "no such key: a" },
        { "self.list.exists_one(x, has(x.a))", null },
        // numbers
        { "self.big + 1 > 0", "integer overflow" },
        { "self.present / 0 == 1", "division by zero" },
        { "self.present == 2.0 && self.ratio == 2 && 1u == 1", null },
        { "self.present < 2.5 && self.ratio > 1", null },
        { "-7 / 2 == -3 && -7 % 2 == -1", null },
        { "dyn(self.present) + 1.0 == 3.0", "no such overload" },
        // strings and lists
        { "'a😀b'.size() == 3 && 'abc' < 'abd' && 'x' + 'y' == 'xy'", null },
        { "[1, 2] + [3] == [1, 2, 3] && 2 in [1, 2] && !(4 in [1, 2])", null },
        { "{'a': 1, 'b': 2} == {'b': 2, 'a': 1} && 'a' in {'a': 1}", null },
        { "[1, 2][5] == 1", "index out of bounds: 5" },
        { "{'a': 1}['b'] == 1", "no such key: b" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expression_evaluates_like_cel_go(string rule, string? expected)
    {
        var schema = TestJson.Schema(Template.Replace("RULE", JsonSerializer.Serialize(rule), StringComparison.Ordinal));

        var errors = TestJson.Messages(schema.Validate(TestJson.Object(Fixture), null));

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else if (expected == "failed")
        {
            Assert.Equal([$"spec: Invalid value: \"object\": failed rule: {rule}"], errors);
        }
        else
        {
            Assert.Equal([$"spec: Invalid value: \"object\": {(expected == "no such overload" ? $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule}" : $"{expected} evaluating rule: {rule}")}"], errors);
        }
    }
}
