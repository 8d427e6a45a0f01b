using System.Collections.Immutable;
using Antlr4.Runtime;
using Cel.Internal;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// A static checker over the Cel package's parse tree, standing in for cel-go's type checker: it resolves
/// identifiers (self, oldSelf, comprehension variables), checks field selections against the schema's declared type
/// ("undefined field 'x'"), accepts only functions we can evaluate, validates constant regular expressions and infers
/// the result type so non-boolean rules fail at CRD installation, as they do in kube-apiserver.
/// </summary>
internal sealed class CelChecker
{
    private readonly CelType _selfType;
    private readonly CelType? _oldSelfType;
    private readonly List<CelCheckIssue> _issues = [];

    /// <param name="selfType">The declared type of self.</param>
    /// <param name="oldSelfType">The type of oldSelf (an optional for optionalOldSelf rules); null when oldSelf is not available.</param>
    public CelChecker(CelType selfType, CelType? oldSelfType)
    {
        _selfType = selfType;
        _oldSelfType = oldSelfType;
    }

    public IReadOnlyList<CelCheckIssue> Issues => _issues;

    /// <summary>True when the expression references oldSelf (a transition rule).</summary>
    public bool UsesOldSelf { get; private set; }

    public CelType Check(CelParser.StartContext start) => Expr(start.e, ImmutableDictionary<string, CelType>.Empty);

    private CelType Expr(CelParser.ExprContext e, ImmutableDictionary<string, CelType> scope)
    {
        if (e.op is null)
        {
            return Or(e.e, scope);
        }

        ExpectBool(Or(e.e, scope), e.op, "_?_:_");
        var whenTrue = Or(e.e1, scope);
        var whenFalse = Expr(e.e2, scope);
        return Join(whenTrue, whenFalse);
    }

    private CelType Or(CelParser.ConditionalOrContext c, ImmutableDictionary<string, CelType> scope)
    {
        if (c._ops.Count == 0)
        {
            return And(c.e, scope);
        }

        ExpectBool(And(c.e, scope), c._ops[0], "_||_");
        for (var i = 0; i < c._e1.Count; i++)
        {
            ExpectBool(And(c._e1[i], scope), c._ops[i], "_||_");
        }

        return CelType.Bool;
    }

    private CelType And(CelParser.ConditionalAndContext c, ImmutableDictionary<string, CelType> scope)
    {
        if (c._ops.Count == 0)
        {
            return Relation(c.e, scope);
        }

        ExpectBool(Relation(c.e, scope), c._ops[0], "_&&_");
        for (var i = 0; i < c._e1.Count; i++)
        {
            ExpectBool(Relation(c._e1[i], scope), c._ops[i], "_&&_");
        }

        return CelType.Bool;
    }

    private CelType Relation(CelParser.RelationContext r, ImmutableDictionary<string, CelType> scope)
    {
        if (r.op is null)
        {
            return Calc(r.calc(), scope);
        }

        var left = Relation(r.relation(0), scope);
        var right = Relation(r.relation(1), scope);
        var op = r.op.Text;
        switch (op)
        {
            case "in":
                if (!right.IsDyn && right.Kind is not (CelTypeKind.List or CelTypeKind.Map))
                {
                    NoOverload(r.op, "@in", left, right);
                }

                break;
            case "==":
            case "!=":
                if (!Comparable(left, right, ordering: false))
                {
                    NoOverload(r.op, op == "==" ? "_==_" : "_!=_", left, right);
                }

                break;
            default:
                if (!Comparable(left, right, ordering: true))
                {
                    NoOverload(r.op, "_" + op + "_", left, right);
                }

                break;
        }

        return CelType.Bool;
    }

    private CelType Calc(CelParser.CalcContext c, ImmutableDictionary<string, CelType> scope)
    {
        if (c.op is null)
        {
            return Unary(c.unary(), scope);
        }

        var left = Calc(c.calc(0), scope);
        var right = Calc(c.calc(1), scope);
        if (left.IsDyn || right.IsDyn)
        {
            return CelType.Dyn;
        }

        var op = c.op.Text;
        CelType? result = (op, left.Kind, right.Kind) switch
        {
            ("+", CelTypeKind.String, CelTypeKind.String) => CelType.String,
            ("+", CelTypeKind.Bytes, CelTypeKind.Bytes) => CelType.Bytes,
            ("+", CelTypeKind.List, CelTypeKind.List) => CelType.ListOf(Join(left.Elem ?? CelType.Dyn, right.Elem ?? CelType.Dyn)),
            ("+", CelTypeKind.Timestamp, CelTypeKind.Duration) or ("+", CelTypeKind.Duration, CelTypeKind.Timestamp) => CelType.Timestamp,
            ("+", CelTypeKind.Duration, CelTypeKind.Duration) or ("-", CelTypeKind.Duration, CelTypeKind.Duration) => CelType.Duration,
            ("-", CelTypeKind.Timestamp, CelTypeKind.Timestamp) => CelType.Duration,
            ("-", CelTypeKind.Timestamp, CelTypeKind.Duration) => CelType.Timestamp,
            (_, CelTypeKind.Int, CelTypeKind.Int) => CelType.Int,
            (_, CelTypeKind.Uint, CelTypeKind.Uint) => CelType.Uint,
            (_, CelTypeKind.Double, CelTypeKind.Double) when op != "%" => CelType.Double,
            _ => null,
        };
        if (result is null)
        {
            var name = op switch { "+" => "_+_", "-" => "_-_", "*" => "_*_", "/" => "_/_", _ => "_%_" };
            NoOverload(c.op, name, left, right);
            return CelType.Dyn;
        }

        return result;
    }

    private CelType Unary(CelParser.UnaryContext u, ImmutableDictionary<string, CelType> scope)
    {
        switch (u)
        {
            case CelParser.MemberExprContext m:
                return Member(m.member(), scope);
            case CelParser.LogicalNotContext n:
                ExpectBool(Member(n.member(), scope), n._ops[0], "!_");
                return CelType.Bool;
            case CelParser.NegateContext n:
                var t = Member(n.member(), scope);
                if (!t.IsDyn && t.Kind is not (CelTypeKind.Int or CelTypeKind.Double or CelTypeKind.Duration))
                {
                    Report(n._ops[0], $"found no matching overload for '-_' applied to '({t})'");
                }

                return t;
            default:
                return CelType.Dyn;
        }
    }

    private CelType Member(CelParser.MemberContext m, ImmutableDictionary<string, CelType> scope)
    {
        switch (m)
        {
            case CelParser.PrimaryExprContext p:
                return Primary(p.primary(), scope);
            case CelParser.SelectContext s:
                var receiver = Member(s.member(), scope);
                if (s.opt is not null || receiver.Kind == CelTypeKind.Optional)
                {
                    var inner = receiver.Kind == CelTypeKind.Optional ? receiver.Elem ?? CelType.Dyn : receiver;
                    return CelType.OptionalOf(inner.Kind is CelTypeKind.Map or CelTypeKind.Object or CelTypeKind.Dyn ? Select(inner, s.id.Text, s.op) : Select(inner, s.id.Text, s.op));
                }

                return Select(receiver, s.id.Text, s.op);
            case CelParser.MemberCallContext call:
                return MemberCall(call, scope);
            case CelParser.IndexContext index:
                var target = Member(index.member(), scope);
                var key = Expr(index.index, scope);
                return target.Kind switch
                {
                    CelTypeKind.List => ExpectIndex(key, CelTypeKind.Int, index.op, target) ?? target.Elem ?? CelType.Dyn,
                    CelTypeKind.Map => ExpectIndex(key, CelTypeKind.String, index.op, target) ?? target.Elem ?? CelType.Dyn,
                    CelTypeKind.Dyn => CelType.Dyn,
                    _ => NoOverloadDyn(index.op, "_[_]", target, key),
                };
            default:
                return CelType.Dyn;
        }
    }

    private CelType? ExpectIndex(CelType key, CelTypeKind expected, IToken at, CelType target)
    {
        if (key.IsDyn || key.Kind == expected || (expected == CelTypeKind.Int && key.Kind is CelTypeKind.Uint or CelTypeKind.Double))
        {
            return null;
        }

        NoOverload(at, "_[_]", target, key);
        return CelType.Dyn;
    }

    private CelType Select(CelType receiver, string field, IToken at)
    {
        switch (receiver.Kind)
        {
            case CelTypeKind.Object:
                if (receiver.Fields!.TryGetValue(field, out var type))
                {
                    return type;
                }

                Report(at, $"undefined field '{field}'");
                return CelType.Dyn;
            case CelTypeKind.Map:
                return receiver.Elem ?? CelType.Dyn;
            case CelTypeKind.Dyn:
                return CelType.Dyn;
            default:
                Report(at, $"type '{receiver}' does not support field selection");
                return CelType.Dyn;
        }
    }

    private CelType MemberCall(CelParser.MemberCallContext call, ImmutableDictionary<string, CelType> scope)
    {
        var name = call.id.Text;
        var args = call.args?._e ?? [];
        if (CelFunctionCatalog.Macros.Contains(name))
        {
            return Comprehension(call, name, args, scope);
        }

        if (call.member() is CelParser.PrimaryExprContext { } p && p.primary() is CelParser.IdentOrGlobalCallContext { op: null } ns
            && !scope.ContainsKey(ns.id.Text) && ns.id.Text is not ("self" or "oldSelf"))
        {
            var qualified = ns.id.Text + "." + name;
            var qualifiedArgs = args.Select(a => Expr(a, scope)).ToList();
            return ResolveCall(qualified, member: false, CelType.Dyn, qualifiedArgs, ns.id);
        }

        var receiver = Member(call.member(), scope);
        var argTypes = args.Select(a => Expr(a, scope)).ToList();
        CheckRegexLiteral(name, args, 0);
        return ResolveCall(name, member: true, receiver, argTypes, call.id);
    }

    private CelType Comprehension(CelParser.MemberCallContext call, string name, IList<CelParser.ExprContext> args, ImmutableDictionary<string, CelType> scope)
    {
        var receiver = Member(call.member(), scope);
        if (args.Count != 2 && !(args.Count == 3 && name == "map") || VariableName(args[0]) is not { } variable)
        {
            Report(call.id, $"invalid argument to {name}() macro: expected a variable name and an expression");
            return CelType.Dyn;
        }

        var elem = receiver.Kind switch
        {
            CelTypeKind.List => receiver.Elem ?? CelType.Dyn,
            CelTypeKind.Map => CelType.String,
            CelTypeKind.Dyn => CelType.Dyn,
            _ => null,
        };
        if (elem is null)
        {
            Report(call.id, $"expression of type '{receiver}' cannot be range of a comprehension (must be list, map, or dynamic)");
            elem = CelType.Dyn;
        }

        var body = Expr(args[1], scope.SetItem(variable, elem));
        switch (name)
        {
            case "map" when args.Count == 3:
                ExpectBool(body, call.id, name);
                return CelType.ListOf(Expr(args[2], scope.SetItem(variable, elem)));
            case "map":
                return CelType.ListOf(body);
            case "filter":
                ExpectBool(body, call.id, name);
                return CelType.ListOf(elem);
            default:
                ExpectBool(body, call.id, name);
                return CelType.Bool;
        }
    }

    private static string? VariableName(CelParser.ExprContext e)
    {
        var text = e.GetText();
        return text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? text : null;
    }

    private CelType Primary(CelParser.PrimaryContext p, ImmutableDictionary<string, CelType> scope)
    {
        switch (p)
        {
            case CelParser.IdentOrGlobalCallContext id when id.op is null:
                return Identifier(id.id, scope);
            case CelParser.IdentOrGlobalCallContext call:
                return GlobalCall(call, scope);
            case CelParser.NestedContext nested:
                return Expr(nested.e, scope);
            case CelParser.CreateListContext list:
                var elemType = (CelType?)null;
                foreach (var element in list.elems?._elems ?? [])
                {
                    var t = Expr(element.e, scope);
                    elemType = elemType is null ? t : Join(elemType, t);
                }

                return CelType.ListOf(elemType ?? CelType.Dyn);
            case CelParser.CreateStructContext map:
                var valueType = (CelType?)null;
                if (map.entries is { } entries)
                {
                    for (var i = 0; i < entries._keys.Count; i++)
                    {
                        Expr(entries._keys[i].e, scope);
                        var t = Expr(entries._values[i], scope);
                        valueType = valueType is null ? t : Join(valueType, t);
                    }
                }

                return CelType.MapOf(valueType ?? CelType.Dyn);
            case CelParser.CreateMessageContext message:
                Report(message.Start, "unsupported: message construction");
                return CelType.Dyn;
            case CelParser.ConstantLiteralContext literal:
                return literal.literal() switch
                {
                    CelParser.IntContext => CelType.Int,
                    CelParser.UintContext => CelType.Uint,
                    CelParser.DoubleContext => CelType.Double,
                    CelParser.StringContext => CelType.String,
                    CelParser.BytesContext => CelType.Bytes,
                    CelParser.BoolTrueContext or CelParser.BoolFalseContext => CelType.Bool,
                    CelParser.NullContext => CelType.Null,
                    _ => CelType.Dyn,
                };
            default:
                return CelType.Dyn;
        }
    }

    private CelType Identifier(IToken id, ImmutableDictionary<string, CelType> scope)
    {
        var name = id.Text;
        if (scope.TryGetValue(name, out var bound))
        {
            return bound;
        }

        switch (name)
        {
            case "self":
                return _selfType;
            case "oldSelf" when _oldSelfType is not null:
                UsesOldSelf = true;
                return _oldSelfType;
        }

        if (CelFunctionCatalog.TypeNames.Contains(name))
        {
            return CelType.TypeType;
        }

        Report(id, $"undeclared reference to '{name}' (in container '')");
        return CelType.Dyn;
    }

    private CelType GlobalCall(CelParser.IdentOrGlobalCallContext call, ImmutableDictionary<string, CelType> scope)
    {
        var name = call.id.Text;
        var args = call.args?._e ?? [];
        if (name == "has")
        {
            if (args.Count != 1 || Unwrap(args[0]) is not CelParser.SelectContext select)
            {
                Report(call.id, "invalid argument to has() macro");
                return CelType.Bool;
            }

            var receiver = Member(select.member(), scope);
            if (receiver.Kind is not (CelTypeKind.Map or CelTypeKind.Dyn))
            {
                Select(receiver, select.id.Text, select.op);
            }

            return CelType.Bool;
        }

        var argTypes = args.Select(a => Expr(a, scope)).ToList();
        CheckRegexLiteral(name, args, 1);
        return ResolveCall(name, member: false, CelType.Dyn, argTypes, call.id);
    }

    /// <summary>The member expression inside an argument (has(self.x) parses as expr → ... → member).</summary>
    private static CelParser.MemberContext? Unwrap(CelParser.ExprContext e)
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

    private CelType ResolveCall(string name, bool member, CelType receiver, List<CelType> args, IToken at)
    {
        var overloads = CelFunctionCatalog.Find(name).Where(o => o.Member == member).ToList();
        if (overloads.Count == 0)
        {
            Report(at, $"undeclared reference to '{name}' (in container '')");
            return CelType.Dyn;
        }

        var matching = overloads.Where(o => o.Arity == args.Count && (receiver.IsDyn || o.Receivers.Length == 0 || o.Receivers.Contains(receiver.Kind))).ToList();
        if (matching.Count == 0)
        {
            var signature = member ? $"{receiver}.({string.Join(", ", args)})" : $"({string.Join(", ", args)})";
            Report(at, $"found no matching overload for '{name}' applied to '{signature}'");
            return CelType.Dyn;
        }

        return matching[0].Result(receiver);
    }

    private void CheckRegexLiteral(string name, IList<CelParser.ExprContext> args, int patternIndex)
    {
        if (name is not ("matches" or "find" or "findAll") || args.Count <= patternIndex)
        {
            return;
        }

        var arg = args[patternIndex];
        if (Unwrap(arg) is CelParser.PrimaryExprContext { } p && p.primary() is CelParser.ConstantLiteralContext c
            && c.literal() is CelParser.StringContext s && CelLiterals.TryUnquote(s.tok.Text, out var pattern)
            && !GoRegex.TryCompile(pattern, out _, out var error))
        {
            Report(s.tok, error ?? "invalid regex");
        }
    }

    private void ExpectBool(CelType type, IToken at, string function)
    {
        if (!type.IsDyn && type.Kind != CelTypeKind.Bool)
        {
            Report(at, $"found no matching overload for '{function}' applied to '({type})'");
        }
    }

    private static bool Comparable(CelType a, CelType b, bool ordering)
    {
        if (a.IsDyn || b.IsDyn)
        {
            return true;
        }

        static bool Numeric(CelType t) => t.Kind is CelTypeKind.Int or CelTypeKind.Uint or CelTypeKind.Double;
        if (Numeric(a) && Numeric(b))
        {
            return true;
        }

        if (ordering)
        {
            return a.Kind == b.Kind && a.Kind is CelTypeKind.String or CelTypeKind.Bytes or CelTypeKind.Bool or CelTypeKind.Timestamp or CelTypeKind.Duration;
        }

        if (a.Kind == CelTypeKind.Null || b.Kind == CelTypeKind.Null)
        {
            return true;
        }

        return a.Kind == b.Kind || (a.Kind is CelTypeKind.Map or CelTypeKind.Object && b.Kind is CelTypeKind.Map or CelTypeKind.Object);
    }

    private static CelType Join(CelType a, CelType b) => a.Kind == b.Kind && a.Kind is not (CelTypeKind.List or CelTypeKind.Map or CelTypeKind.Object) ? a : ReferenceEquals(a, b) ? a : CelType.Dyn;

    private void NoOverload(IToken at, string function, CelType left, CelType right) =>
        Report(at, $"found no matching overload for '{function}' applied to '({left}, {right})'");

    private CelType NoOverloadDyn(IToken at, string function, CelType left, CelType right)
    {
        NoOverload(at, function, left, right);
        return CelType.Dyn;
    }

    private void Report(IToken at, string message) => _issues.Add(new CelCheckIssue(at.Line, at.Column + 1, message));
}
