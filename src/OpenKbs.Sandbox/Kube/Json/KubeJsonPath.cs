using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>
/// The subset of Kubernetes JSONPath that printer columns and selectable fields use:
/// `.a.b`, `['a.b']`, `.a\.b`, `[0]`, `[-1]`, `[*]`, `.*`, `..name` and filters `[?(@.type=="Ready")]`
/// (==, !=, &lt;, &gt;, &lt;=, &gt;= and existence `[?(@.x)]`). Missing keys yield no result.
/// </summary>
internal sealed class KubeJsonPath
{
    private readonly List<Step> _steps;

    private KubeJsonPath(List<Step> steps) => _steps = steps;

    public static KubeJsonPath Parse(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var parser = new Parser(text);
        return new KubeJsonPath(parser.ParseSteps());
    }

    public static bool TryParse(string expression, out KubeJsonPath? path)
    {
        try
        {
            path = Parse(expression);
            return true;
        }
        catch (FormatException)
        {
            path = null;
            return false;
        }
    }

    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        var current = new List<JsonNode?> { root };
        foreach (var step in _steps)
        {
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                step.Apply(node, next);
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    /// <summary>The first result, or null when the path finds nothing.</summary>
    public JsonNode? First(JsonNode? root, out bool found)
    {
        var results = Evaluate(root);
        found = results.Count > 0;
        return found ? results[0] : null;
    }

    private abstract class Step
    {
        public abstract void Apply(JsonNode? node, List<JsonNode?> output);
    }

    private sealed class FieldStep(string name) : Step
    {
        public string Name { get; } = name;

        public override void Apply(JsonNode? node, List<JsonNode?> output)
        {
            if (node is JsonObject o && o.TryGetPropertyValue(Name, out var v))
            {
                output.Add(v);
            }
        }
    }

    private sealed class IndexStep(int index) : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> output)
        {
            if (node is JsonArray a)
            {
                var i = index < 0 ? a.Count + index : index;
                if (i >= 0 && i < a.Count)
                {
                    output.Add(a[i]);
                }
            }
        }
    }

    private sealed class WildcardStep : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> output)
        {
            switch (node)
            {
                case JsonArray a:
                    output.AddRange(a);
                    break;
                case JsonObject o:
                    output.AddRange(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));
                    break;
            }
        }
    }

    private sealed class RecursiveStep(string name) : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> output)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o.TryGetPropertyValue(name, out var v))
                    {
                        output.Add(v);
                    }

                    foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        Apply(kv.Value, output);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Apply(item, output);
                    }

                    break;
            }
        }
    }

    private sealed class FilterStep(List<Step> left, string? op, JsonNode? right) : Step
    {
        public override void Apply(JsonNode? node, List<JsonNode?> output)
        {
            var items = node switch
            {
                JsonArray a => a.ToList(),
                JsonObject o => [o],
                _ => [],
            };
            foreach (var item in items)
            {
                var values = new List<JsonNode?> { item };
                foreach (var s in left)
                {
                    var next = new List<JsonNode?>();
                    foreach (var v in values)
                    {
                        s.Apply(v, next);
                    }

                    values = next;
                }

                if (values.Count == 0)
                {
                    continue;
                }

                if (op is null || values.Any(v => Compare(v, op, right)))
                {
                    output.Add(item);
                }
            }
        }

        private static bool Compare(JsonNode? value, string op, JsonNode? literal)
        {
            if (op is "==" or "!=")
            {
                var equal = Equal(value, literal);
                return op == "==" ? equal : !equal;
            }

            if (Number(value) is { } a && Number(literal) is { } b)
            {
                return op switch
                {
                    "<" => a < b,
                    ">" => a > b,
                    "<=" => a <= b,
                    ">=" => a >= b,
                    _ => false,
                };
            }

            return false;
        }

        private static bool Equal(JsonNode? a, JsonNode? b)
        {
            if (Number(a) is { } x && Number(b) is { } y)
            {
                return x == y;
            }

            return JsonNode.DeepEquals(a, b);
        }

        private static double? Number(JsonNode? n) =>
            n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public List<Step> ParseSteps(bool stopAtFilterEnd = false)
        {
            var steps = new List<Step>();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (stopAtFilterEnd && (c is ' ' or '=' or '!' or '<' or '>' or ')'))
                {
                    break;
                }

                if (c == '.')
                {
                    if (_pos + 1 < text.Length && text[_pos + 1] == '.')
                    {
                        _pos += 2;
                        steps.Add(new RecursiveStep(ReadIdentifier()));
                        continue;
                    }

                    _pos++;
                    if (_pos < text.Length && text[_pos] == '*')
                    {
                        _pos++;
                        steps.Add(new WildcardStep());
                        continue;
                    }

                    if (_pos >= text.Length || text[_pos] == '[')
                    {
                        continue;
                    }

                    steps.Add(new FieldStep(ReadIdentifier()));
                }
                else if (c == '[')
                {
                    steps.Add(ParseBracket());
                }
                else if (steps.Count == 0 && !stopAtFilterEnd)
                {
                    steps.Add(new FieldStep(ReadIdentifier()));
                }
                else
                {
                    throw new FormatException($"unexpected '{c}' in JSONPath \"{text}\"");
                }
            }

            return steps;
        }

        private string ReadIdentifier()
        {
            var sb = new StringBuilder();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '\\' && _pos + 1 < text.Length)
                {
                    sb.Append(text[_pos + 1]);
                    _pos += 2;
                    continue;
                }

                if (c is '.' or '[' or ' ' or '=' or '!' or '<' or '>' or ')')
                {
                    break;
                }

                sb.Append(c);
                _pos++;
            }

            if (sb.Length == 0)
            {
                throw new FormatException($"empty field name in JSONPath \"{text}\"");
            }

            return sb.ToString();
        }

        private Step ParseBracket()
        {
            _pos++; // [
            SkipSpaces();
            if (_pos >= text.Length)
            {
                throw new FormatException("unterminated [");
            }

            Step step;
            var c = text[_pos];
            if (c == '*')
            {
                _pos++;
                step = new WildcardStep();
            }
            else if (c is '\'' or '"')
            {
                step = new FieldStep(ReadQuoted());
            }
            else if (c == '?')
            {
                _pos++;
                Expect('(');
                SkipSpaces();
                Expect('@');
                var left = ParseSteps(stopAtFilterEnd: true);
                SkipSpaces();
                string? op = null;
                JsonNode? right = null;
                if (_pos < text.Length && text[_pos] != ')')
                {
                    var start = _pos;
                    while (_pos < text.Length && text[_pos] is '=' or '!' or '<' or '>')
                    {
                        _pos++;
                    }

                    op = text[start.._pos];
                    SkipSpaces();
                    right = ReadLiteral();
                    SkipSpaces();
                }

                Expect(')');
                step = new FilterStep(left, op, right);
            }
            else
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-'))
                {
                    _pos++;
                }

                if (!int.TryParse(text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException($"invalid array index in JSONPath \"{text}\"");
                }

                step = new IndexStep(index);
            }

            SkipSpaces();
            Expect(']');
            return step;
        }

        private JsonValue? ReadLiteral()
        {
            if (_pos < text.Length && text[_pos] is '\'' or '"')
            {
                return JsonValue.Create(ReadQuoted());
            }

            var start = _pos;
            while (_pos < text.Length && text[_pos] != ')' && text[_pos] != ' ')
            {
                _pos++;
            }

            var raw = text[start.._pos];
            if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return JsonValue.Create(d);
            }

            return raw switch
            {
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                "nil" or "null" => null,
                _ => JsonValue.Create(raw),
            };
        }

        private string ReadQuoted()
        {
            var quote = text[_pos++];
            var sb = new StringBuilder();
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    _pos++;
                }

                sb.Append(text[_pos++]);
            }

            Expect(quote);
            return sb.ToString();
        }

        private void Expect(char c)
        {
            if (_pos >= text.Length || text[_pos] != c)
            {
                throw new FormatException($"expected '{c}' in JSONPath \"{text}\"");
            }

            _pos++;
        }

        private void SkipSpaces()
        {
            while (_pos < text.Length && text[_pos] == ' ')
            {
                _pos++;
            }
        }
    }
}
