using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using Antlr4.Runtime;
using Cel.Internal;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// Compiles a checked CEL parse tree (from the Cel package's parser) into closures, once per rule. Evaluation follows
/// the CEL specification as cel-go implements it: errors are values, &amp;&amp; and || absorb errors when the other
/// side decides, all() / exists() decide on any element, functions are strict in their arguments.
/// </summary>
internal sealed class CelCompiler
{
    private static readonly HashSet<string> Namespaces = new(StringComparer.Ordinal) { "sets", "optional" };

    private int _slots = 2;

    private CelCompiler()
    {
    }

    public static CelProgram Compile(CelParser.StartContext start)
    {
        var compiler = new CelCompiler();
        var scope = ImmutableDictionary<string, int>.Empty.Add("self", 0).Add("oldSelf", 1);
        var root = compiler.Expr(start.e, scope);
        return new CelProgram(root, compiler._slots);
    }

    private CelNode Expr(CelParser.ExprContext e, ImmutableDictionary<string, int> scope)
    {
        var condition = Or(e.e, scope);
        if (e.op is null)
        {
            return condition;
        }

        var whenTrue = Or(e.e1, scope);
        var whenFalse = Expr(e.e2, scope);
        return frame => condition(frame) switch
        {
            true => whenTrue(frame),
            false => whenFalse(frame),
            CelError error => error,
            _ => CelError.NoSuchOverload,
        };
    }

    private CelNode Or(CelParser.ConditionalOrContext c, ImmutableDictionary<string, int> scope) =>
        c._ops.Count == 0 ? And(c.e, scope) : ShortCircuit([And(c.e, scope), .. c._e1.Select(x => And(x, scope))], absorbing: true);

    private CelNode And(CelParser.ConditionalAndContext c, ImmutableDictionary<string, int> scope) =>
        c._ops.Count == 0 ? Relation(c.e, scope) : ShortCircuit([Relation(c.e, scope), .. c._e1.Select(x => Relation(x, scope))], absorbing: false);

    /// <summary><c>||</c> (absorbing value true) and <c>&amp;&amp;</c> (false): <see cref="Absorb"/> over the operands.</summary>
    private static CelNode ShortCircuit(CelNode[] operands, bool absorbing) => frame => Absorb(operands.Select(operand => operand(frame)), absorbing);

    /// <summary>
    /// cel-go's commutative error semantics for <c>||</c>, <c>&amp;&amp;</c>, <c>exists</c> (absorbing value true) and
    /// <c>all</c> (false): the absorbing value wins over an error in any result (and stops the lazy enumeration);
    /// otherwise the first error; otherwise the other boolean.
    /// </summary>
    private static object Absorb(IEnumerable<object?> results, bool absorbing)
    {
        CelError? error = null;
        foreach (var result in results)
        {
            switch (result)
            {
                case bool value when value == absorbing:
                    return absorbing;
                case bool:
                    break;
                case CelError e:
                    error ??= e;
                    break;
                default:
                    error ??= CelError.NoSuchOverload;
                    break;
            }
        }

        return error is null ? !absorbing : error;
    }

    private CelNode Relation(CelParser.RelationContext r, ImmutableDictionary<string, int> scope)
    {
        if (r.op is null)
        {
            return Calc(r.calc(), scope);
        }

        var left = Relation(r.relation(0), scope);
        var right = Relation(r.relation(1), scope);
        Func<object?, object?, object?> op = r.op.Text switch
        {
            "==" => (a, b) => CelOperators.AreEqual(a, b),
            "!=" => (a, b) => !CelOperators.AreEqual(a, b),
            "<" => (a, b) => CelOperators.Compare(a, b) is { } c ? c < 0 : CelError.NoSuchOverload,
            "<=" => (a, b) => CelOperators.Compare(a, b) is { } c ? c <= 0 : CelError.NoSuchOverload,
            ">" => (a, b) => CelOperators.Compare(a, b) is { } c ? c > 0 : CelError.NoSuchOverload,
            ">=" => (a, b) => CelOperators.Compare(a, b) is { } c ? c >= 0 : CelError.NoSuchOverload,
            _ => CelOperators.In,
        };
        return Binary(left, right, op);
    }

    private CelNode Calc(CelParser.CalcContext c, ImmutableDictionary<string, int> scope)
    {
        if (c.op is null)
        {
            return Unary(c.unary(), scope);
        }

        var left = Calc(c.calc(0), scope);
        var right = Calc(c.calc(1), scope);
        Func<object?, object?, object?> op = c.op.Text switch
        {
            "+" => CelOperators.Add,
            "-" => CelOperators.Subtract,
            "*" => CelOperators.Multiply,
            "/" => CelOperators.Divide,
            _ => CelOperators.Modulo,
        };
        return Binary(left, right, op);
    }

    private static CelNode Binary(CelNode left, CelNode right, Func<object?, object?, object?> op) => frame =>
    {
        var a = left(frame);
        if (a is CelError)
        {
            return a;
        }

        var b = right(frame);
        return b is CelError ? b : op(a, b);
    };

    private CelNode Unary(CelParser.UnaryContext u, ImmutableDictionary<string, int> scope)
    {
        switch (u)
        {
            case CelParser.LogicalNotContext not:
                var operand = Member(not.member(), scope);
                var count = not._ops.Count;
                return frame =>
                {
                    var value = operand(frame);
                    for (var i = 0; i < count && value is not CelError; i++)
                    {
                        value = CelOperators.Not(value);
                    }

                    return value;
                };
            case CelParser.NegateContext negate:
                var target = Member(negate.member(), scope);
                var negations = negate._ops.Count;
                return frame =>
                {
                    var value = target(frame);
                    for (var i = 0; i < negations && value is not CelError; i++)
                    {
                        value = CelOperators.Negate(value);
                    }

                    return value;
                };
            case CelParser.MemberExprContext m:
                return Member(m.member(), scope);
            default:
                throw new CelSyntaxException("unsupported expression");
        }
    }

    private CelNode Member(CelParser.MemberContext m, ImmutableDictionary<string, int> scope)
    {
        switch (m)
        {
            case CelParser.PrimaryExprContext p:
                return Primary(p.primary(), scope);
            case CelParser.SelectContext s:
                return Select(Member(s.member(), scope), s.id.Text, optional: s.opt is not null);
            case CelParser.MemberCallContext call:
                return MemberCall(call, scope);
            case CelParser.IndexContext index:
                var target = Member(index.member(), scope);
                var key = Expr(index.index, scope);
                var optionalIndex = index.opt is not null;
                return frame =>
                {
                    var optional = optionalIndex;
                    var t = target(frame);
                    if (t is CelError)
                    {
                        return t;
                    }

                    var k = key(frame);
                    if (k is CelError)
                    {
                        return k;
                    }

                    if (t is CelOptional o)
                    {
                        if (!o.HasValue)
                        {
                            return CelOptional.None;
                        }

                        t = o.Value;
                        optional = true;
                    }

                    if (!optional)
                    {
                        return CelOperators.Index(t, k);
                    }

                    return t switch
                    {
                        IDictionary map => CelOperators.TryGet(map, k, out var v) ? CelOptional.Of(v) : CelOptional.None,
                        IList list => CelOperators.Index(list, k) is var v && v is CelError ? CelOptional.None : CelOptional.Of(v),
                        _ => CelError.NoSuchOverload,
                    };
                };
            default:
                throw new CelSyntaxException("unsupported expression");
        }
    }

    private static CelNode Select(CelNode target, string field, bool optional) => frame =>
    {
        var t = target(frame);
        if (t is CelError)
        {
            return t;
        }

        if (t is CelOptional o)
        {
            if (!o.HasValue)
            {
                return CelOptional.None;
            }

            var inner = o.Value is IDictionary m && CelOperators.TryGet(m, field, out var v) ? CelOptional.Of(v) : CelOptional.None;
            return inner;
        }

        if (optional)
        {
            return t is IDictionary map ? (CelOperators.TryGet(map, field, out var v) ? CelOptional.Of(v) : CelOptional.None) : CelError.NoSuchOverload;
        }

        return CelOperators.Select(t, field);
    };

    private CelNode MemberCall(CelParser.MemberCallContext call, ImmutableDictionary<string, int> scope)
    {
        var name = call.id.Text;
        var args = call.args?._e ?? [];
        if (name is "all" or "exists" or "exists_one" or "map" or "filter" && args.Count is 2 or 3 && VariableName(args[0]) is { } variable)
        {
            return Comprehension(name, Member(call.member(), scope), variable, args, scope);
        }

        if (call.member() is CelParser.PrimaryExprContext p && p.primary() is CelParser.IdentOrGlobalCallContext { op: null } ns
            && Namespaces.Contains(ns.id.Text) && !scope.ContainsKey(ns.id.Text))
        {
            return Call(ns.id.Text + "." + name, [.. args.Select(a => Expr(a, scope))], call.id);
        }

        return Call(name, [Member(call.member(), scope), .. args.Select(a => Expr(a, scope))], call.id);
    }

    private CelNode Comprehension(string macro, CelNode range, string variable, IList<CelParser.ExprContext> args, ImmutableDictionary<string, int> scope)
    {
        var slot = _slots++;
        var inner = scope.SetItem(variable, slot);
        var first = Expr(args[1], inner);
        var second = args.Count == 3 ? Expr(args[2], inner) : null;

        return frame =>
        {
            var target = range(frame);
            if (target is CelError)
            {
                return target;
            }

            IEnumerable<object?> items = target switch
            {
                IList list => list.Cast<object?>(),
                IDictionary map => map.Keys.Cast<object?>(),
                _ => throw new CelEvaluationException("no such overload"),
            };

            switch (macro)
            {
                case "all" or "exists":
                    return Absorb(items.Select(item => { frame[slot] = item; return first(frame); }), absorbing: macro == "exists");

                case "exists_one":
                {
                    var count = 0;
                    foreach (var item in items)
                    {
                        frame[slot] = item;
                        switch (first(frame))
                        {
                            case true:
                                count++;
                                break;
                            case false:
                                break;
                            case CelError e:
                                return e;
                            default:
                                return CelError.NoSuchOverload;
                        }
                    }

                    return count == 1;
                }

                case "filter":
                {
                    var result = new List<object?>();
                    foreach (var item in items)
                    {
                        frame[slot] = item;
                        switch (first(frame))
                        {
                            case true:
                                result.Add(item);
                                break;
                            case false:
                                break;
                            case CelError e:
                                return e;
                            default:
                                return CelError.NoSuchOverload;
                        }
                    }

                    return result;
                }

                default:
                {
                    var result = new List<object?>();
                    foreach (var item in items)
                    {
                        frame[slot] = item;
                        if (second is not null)
                        {
                            switch (first(frame))
                            {
                                case false:
                                    continue;
                                case true:
                                    break;
                                case CelError e:
                                    return e;
                                default:
                                    return CelError.NoSuchOverload;
                            }
                        }

                        var mapped = (second ?? first)(frame);
                        if (mapped is CelError)
                        {
                            return mapped;
                        }

                        result.Add(mapped);
                    }

                    return result;
                }
            }
        };
    }

    private static string? VariableName(CelParser.ExprContext e)
    {
        var text = e.GetText();
        return text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? text : null;
    }

    private CelNode Primary(CelParser.PrimaryContext p, ImmutableDictionary<string, int> scope)
    {
        switch (p)
        {
            case CelParser.IdentOrGlobalCallContext { op: null } id:
                var name = id.id.Text;
                if (scope.TryGetValue(name, out var slot))
                {
                    return frame => frame[slot];
                }

                if (CelFunctionCatalog.TypeNames.Contains(name))
                {
                    var type = new CelTypeValue(name == "int" ? "int" : name);
                    return _ => type;
                }

                throw new CelSyntaxException($"undeclared reference to '{name}'");
            case CelParser.IdentOrGlobalCallContext call:
                var args = call.args?._e ?? [];
                if (call.id.Text == "has" && args.Count == 1 && Unwrap(args[0]) is CelParser.SelectContext select)
                {
                    var target = Member(select.member(), scope);
                    var field = select.id.Text;
                    return frame =>
                    {
                        var t = target(frame);
                        return t is CelError ? t : CelOperators.Has(t, field);
                    };
                }

                return Call(call.id.Text, [.. args.Select(a => Expr(a, scope))], call.id);
            case CelParser.NestedContext nested:
                return Expr(nested.e, scope);
            case CelParser.CreateListContext list:
                var elements = (list.elems?._elems ?? []).Select(x => (Node: Expr(x.e, scope), Optional: x.opt is not null)).ToArray();
                return frame =>
                {
                    var result = new List<object?>(elements.Length);
                    foreach (var (node, optional) in elements)
                    {
                        var value = node(frame);
                        if (value is CelError)
                        {
                            return value;
                        }

                        if (optional)
                        {
                            if (value is CelOptional { HasValue: true } o)
                            {
                                result.Add(o.Value);
                            }

                            continue;
                        }

                        result.Add(value);
                    }

                    return result;
                };
            case CelParser.CreateStructContext map:
                var entries = new List<(CelNode Key, CelNode Value, bool Optional)>();
                if (map.entries is { } init)
                {
                    for (var i = 0; i < init._keys.Count; i++)
                    {
                        entries.Add((Expr(init._keys[i].e, scope), Expr(init._values[i], scope), init._keys[i].opt is not null));
                    }
                }

                return frame => BuildMap(entries, frame);
            case CelParser.ConstantLiteralContext literal:
                var constant = Literal(literal.literal());
                return _ => constant;
            default:
                throw new CelSyntaxException("unsupported: message construction");
        }
    }

    private static object? BuildMap(List<(CelNode Key, CelNode Value, bool Optional)> entries, object?[] frame)
    {
        var keys = new List<object?>(entries.Count);
        var values = new List<object?>(entries.Count);
        foreach (var (keyNode, valueNode, optional) in entries)
        {
            var key = keyNode(frame);
            if (key is CelError)
            {
                return key;
            }

            var value = valueNode(frame);
            if (value is CelError)
            {
                return value;
            }

            if (optional)
            {
                if (value is not CelOptional { HasValue: true } o)
                {
                    continue;
                }

                value = o.Value;
            }

            if (keys.Any(k => CelOperators.AreEqual(k, key)))
            {
                return new CelError($"Failed with repeated key: {key}");
            }

            keys.Add(key);
            values.Add(value);
        }

        if (keys.All(k => k is string))
        {
            var strings = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++)
            {
                strings[(string)keys[i]!] = values[i];
            }

            return strings;
        }

        var map = new Hashtable();
        for (var i = 0; i < keys.Count; i++)
        {
            map[keys[i] is int n ? (long)n : keys[i]!] = values[i];
        }

        return map;
    }

    private static CelNode Call(string name, CelNode[] args, IToken at)
    {
        if (!CelStandardLibrary.TryGet(name, out var function))
        {
            throw new CelSyntaxException($"undeclared reference to '{name}' at {at.Line}:{at.Column + 1}");
        }

        return frame =>
        {
            var values = new object?[args.Length];
            for (var i = 0; i < args.Length; i++)
            {
                var value = args[i](frame);
                if (value is CelError)
                {
                    return value;
                }

                values[i] = value;
            }

            try
            {
                return function(values);
            }
            catch (CelEvaluationException ex)
            {
                return new CelError(ex.Message);
            }
            catch (OverflowException)
            {
                return new CelError("integer overflow");
            }
            catch (Exception ex) when (ex is InvalidCastException or FormatException or ArgumentException or IndexOutOfRangeException)
            {
                return CelError.NoSuchOverload;
            }
        };
    }

    private static object? Literal(CelParser.LiteralContext literal)
    {
        switch (literal)
        {
            case CelParser.IntContext i:
                var text = (i.sign?.Text ?? "") + i.tok.Text;
                var negative = text.StartsWith('-');
                var digits = negative ? text[1..] : text;
                var magnitude = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? ulong.Parse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : ulong.Parse(digits, CultureInfo.InvariantCulture);
                return negative ? (magnitude == 9223372036854775808UL ? long.MinValue : -(long)magnitude) : checked((long)magnitude);
            case CelParser.UintContext u:
                var uintText = u.tok.Text.TrimEnd('u', 'U');
                return uintText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? ulong.Parse(uintText[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : ulong.Parse(uintText, CultureInfo.InvariantCulture);
            case CelParser.DoubleContext d:
                return double.Parse((d.sign?.Text ?? "") + d.tok.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            case CelParser.StringContext s:
                return CelLiterals.TryUnquote(s.tok.Text, out var value) ? value : throw new CelSyntaxException("invalid string literal");
            case CelParser.BytesContext b:
                return CelLiterals.TryUnquote(b.tok.Text[1..], out var bytes) ? System.Text.Encoding.Latin1.GetBytes(bytes) : throw new CelSyntaxException("invalid bytes literal");
            case CelParser.BoolTrueContext:
                return true;
            case CelParser.BoolFalseContext:
                return false;
            default:
                return null;
        }
    }

    /// <summary>The member expression inside an argument (has(self.x) parses as expr → ... → member).</summary>
    internal static CelParser.MemberContext? Unwrap(CelParser.ExprContext e)
    {
        if (e.op is not null || e.e._ops.Count != 0 || e.e.e._ops.Count != 0)
        {
            return null;
        }

        var relation = e.e.e.e;
        if (relation.op is not null || relation.calc() is not { op: null } calc)
        {
            return null;
        }

        return calc.unary() is CelParser.MemberExprContext m ? m.member() : null;
    }
}
