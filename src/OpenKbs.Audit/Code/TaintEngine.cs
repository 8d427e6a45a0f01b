using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Acornima;
using Acornima.Ast;
using OpenKbs.Audit.Findings;
using SourceLocation = OpenKbs.Audit.Findings.SourceLocation;

namespace OpenKbs.Audit.Code;

/// <summary>
/// Scope-aware taint tracking over all modules of an artifact, as an abstract interpreter of the AST: statements run in
/// order in lexical scopes (shadowing, closures, hoisted function declarations); values carry taints with their trace;
/// a call of a function of the artifact (same module, or a relative <c>require</c>/<c>import</c>) runs its body with
/// the arguments' values (a summary per function and argument-taint signature, bounded depth); functions no one calls
/// run once as entries, with parameters named as handler input (<see cref="SinkCatalog.SourceRoots"/>) tainted.
/// Sinks match only when the callee resolves to the module that defines them (<c>exec</c> of child_process, not a local exec).
/// </summary>
internal sealed partial class TaintEngine
{
    private const int MaxDepth = 32;
    private const int MaxEvaluationsPerModule = 400_000;

    private readonly Dictionary<string, ModuleState> modules;
    private readonly bool yamlLoadUnsafe;
    private readonly Dictionary<(string, string, int, int), Finding> findings = [];
    private readonly HashSet<Node> visited = [];
    private readonly Dictionary<Node, Scope> closures = [];
    private readonly Dictionary<(Node, string), Value> summaries = [];
    private readonly HashSet<Node> onStack = [];
    private readonly HashSet<TraceStep> reportedRandomSources = [];
    private readonly HashSet<(string, string, int)> reportedLines = [];
    private readonly SortedSet<string> incomplete = new(StringComparer.Ordinal);
    private int evaluations;
    private CancellationToken cancellation;

    /// <summary>Modules whose analysis stopped early (nesting too deep for the stack); reported as info notes.</summary>
    public IReadOnlyCollection<string> Incomplete => incomplete;

    public TaintEngine(IEnumerable<ModuleState> modules, bool yamlLoadUnsafe)
    {
        this.modules = modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        this.yamlLoadUnsafe = yamlLoadUnsafe;
    }

    private sealed class Frame(ModuleState module, FunctionRef? function, bool isEntry, int depth)
    {
        public ModuleState Module => module;

        public FunctionRef? Function => function;

        public bool IsEntry => isEntry;

        public int Depth => depth;

        public List<Value> Returns { get; } = [];

        public bool IsLambdaHandler => isEntry && function?.Node is IFunction fn && fn.Params.Count > 0 && fn.Params[0] is Identifier { Name: "event" };
    }

    public IReadOnlyList<Finding> Run(CancellationToken cancellationToken)
    {
        cancellation = cancellationToken;
        foreach (var module in modules.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Evaluate(module);
        }

        foreach (var module in modules.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            evaluations = 0;
            foreach (var fn in Functions(module.Program))
            {
                if (!visited.Contains(fn))
                {
                    var closure = closures.GetValueOrDefault(fn) ?? module.Scope;
                    try
                    {
                        Invoke(new FunctionRef(fn, closure, module, FunctionName(fn)), [], fn, new Frame(module, null, false, 0), entry: true);
                    }
                    catch (InsufficientExecutionStackException)
                    {
                        incomplete.Add(module.Path);
                    }
                }
            }

            try
            {
                AccessControl.Check(module, this);
            }
            catch (InsufficientExecutionStackException)
            {
                incomplete.Add(module.Path);
            }
        }

        return [.. findings.Values.OrderBy(f => f.Location!.Path, StringComparer.Ordinal).ThenBy(f => f.Location!.Line).ThenBy(f => f.Location!.Column)];
    }

    private void Evaluate(ModuleState module)
    {
        if (module.Evaluated)
        {
            return;
        }

        module.Evaluated = true;
        evaluations = 0;
        module.Scope.Declare("module", module.ModuleObject);
        module.Scope.Declare("exports", module.Exports);
        var frame = new Frame(module, null, false, 0);
        try
        {
            ExecBlock(module.Program.Body, module.Scope, frame);
        }
        catch (InsufficientExecutionStackException)
        {
            // Nesting deeper than the thread's stack allows (generated or minified code): what ran so far stands.
            incomplete.Add(module.Path);
        }
    }

    private static IEnumerable<Node> Functions(Node root)
    {
        var stack = new Stack<Node>();
        stack.Push(root);
        var found = new List<Node>();
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is IFunction)
            {
                found.Add(node);
            }

            foreach (var child in node.ChildNodes)
            {
                stack.Push(child);
            }
        }

        return found.OrderBy(n => n.Range.Start);
    }

    private static string FunctionName(Node fn) => fn switch
    {
        FunctionDeclaration { Id: { } id } => id.Name,
        FunctionExpression { Id: { } id } => id.Name,
        _ => "anonymous function",
    };

    // ---------------------------------------------------------------- statements

    private void ExecBlock(IEnumerable<Node> statements, Scope scope, Frame frame)
    {
        var list = statements as IList<Node> ?? [.. statements];
        foreach (var statement in list)
        {
            var declaration = statement is ExportNamedDeclaration { Declaration: FunctionDeclaration f1 } ? f1
                : statement is ExportDefaultDeclaration { Declaration: FunctionDeclaration f2 } ? f2
                : statement as FunctionDeclaration;
            if (declaration?.Id is { } id)
            {
                scope.Declare(id.Name, FunctionValue(declaration, scope, frame.Module, id.Name));
            }
        }

        foreach (var statement in list)
        {
            Exec(statement, scope, frame);
        }
    }

    private Value FunctionValue(Node fn, Scope scope, ModuleState module, string name)
    {
        closures[fn] = scope;
        return new Value { Function = new FunctionRef(fn, scope, module, name) };
    }

    private void Exec(Node statement, Scope scope, Frame frame)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (statement)
        {
            case VariableDeclaration declaration:
                foreach (var declarator in declaration.Declarations)
                {
                    var value = declarator.Init is null ? Value.Clean : Eval(declarator.Init, scope, frame, NameOf(declarator.Id));
                    Bind(declarator.Id, value, scope, frame, declare: true);
                }

                break;
            case ExpressionStatement expression:
                Eval(expression.Expression, scope, frame);
                break;
            case ReturnStatement ret:
                var returned = ret.Argument is null ? Value.Clean : Eval(ret.Argument, scope, frame);
                frame.Returns.Add(returned);
                if (frame.IsLambdaHandler)
                {
                    CheckLambdaResponse(ret, returned, frame);
                }

                if (frame.Function is { } fn && Regex.IsMatch(fn.Name, SinkCatalog.TokenNamePattern) && returned.Get(TaintKind.Random) is { } random)
                {
                    Report("js/insecure-randomness", ret, frame.Module, random, $"return of {fn.Name}");
                }

                break;
            case IfStatement conditional:
                ExecIf(conditional, scope, frame);
                break;
            case BlockStatement block:
                ExecBlock(block.Body, new Scope(scope, false), frame);
                break;
            case ForOfStatement forOf:
                {
                    var inner = new Scope(scope, false);
                    var iterable = Eval(forOf.Right, scope, frame).TaintOnly();
                    BindLoopVariable(forOf.Left, iterable, inner, frame);
                    Exec(forOf.Body, inner, frame);
                    Again(forOf.Body, inner, frame);
                    break;
                }

            case ForInStatement forIn:
                {
                    var inner = new Scope(scope, false);
                    var iterable = Eval(forIn.Right, scope, frame).TaintOnly();
                    BindLoopVariable(forIn.Left, iterable, inner, frame);
                    Exec(forIn.Body, inner, frame);
                    break;
                }

            case ForStatement loop:
                {
                    var inner = new Scope(scope, false);
                    if (loop.Init is VariableDeclaration init)
                    {
                        Exec(init, inner, frame);
                    }
                    else if (loop.Init is not null)
                    {
                        Eval(loop.Init, inner, frame);
                    }

                    Eval(loop.Test, inner, frame);
                    Exec(loop.Body, inner, frame);
                    Eval(loop.Update, inner, frame);
                    Again(loop.Body, inner, frame);
                    break;
                }

            case WhileStatement loop:
                Eval(loop.Test, scope, frame);
                Exec(loop.Body, scope, frame);
                Again(loop.Body, scope, frame);
                break;
            case DoWhileStatement loop:
                Exec(loop.Body, scope, frame);
                Eval(loop.Test, scope, frame);
                Again(loop.Body, scope, frame);
                break;
            case TryStatement attempt:
                ExecBlock(attempt.Block.Body, new Scope(scope, false), frame);
                if (attempt.Handler is { } handler)
                {
                    var inner = new Scope(scope, false);
                    if (handler.Param is { } param)
                    {
                        var error = Value.Source(TaintKind.Error, new TraceStep(frame.Module.At(param), $"caught error `{NameOf(param)}`"));
                        Bind(param, error, inner, frame, declare: true);
                    }

                    ExecBlock(handler.Body.Body, inner, frame);
                }

                if (attempt.Finalizer is { } finalizer)
                {
                    ExecBlock(finalizer.Body, new Scope(scope, false), frame);
                }

                break;
            case SwitchStatement switchStatement:
                Eval(switchStatement.Discriminant, scope, frame);
                var cases = new Scope(scope, false);
                foreach (var switchCase in switchStatement.Cases)
                {
                    ExecBlock(switchCase.Consequent, cases, frame);
                }

                break;
            case ThrowStatement thrown:
                Eval(thrown.Argument, scope, frame);
                break;
            case LabeledStatement labeled:
                Exec(labeled.Body, scope, frame);
                break;
            case FunctionDeclaration:
                break;
            case ClassDeclaration { Id: { } classId } classDeclaration:
                scope.Declare(classId.Name, ClassValue(classDeclaration.Body, scope, frame));
                break;
            case ImportDeclaration import:
                Import(import, scope, frame);
                break;
            case ExportNamedDeclaration export:
                ExportNamed(export, scope, frame);
                break;
            case ExportDefaultDeclaration exportDefault:
                var exported = exportDefault.Declaration switch
                {
                    FunctionDeclaration { Id: { } fid } => scope.Lookup(fid.Name) ?? Value.Clean,
                    FunctionDeclaration f => FunctionValue(f, scope, frame.Module, "default"),
                    ClassDeclaration c => ClassValue(c.Body, scope, frame),
                    var expression => Eval(expression, scope, frame, "default"),
                };
                frame.Module.Exports.Props!["default"] = exported;
                break;
            default:
                break;
        }
    }

    /// <summary>A loop body's second pass (values assigned late in the body reach its start), within the evaluation budget
    /// so nested loops stay linear rather than doubling per level.</summary>
    private void Again(Node body, Scope scope, Frame frame)
    {
        if (evaluations < MaxEvaluationsPerModule / 4)
        {
            Exec(body, scope, frame);
        }
    }

    private void BindLoopVariable(Node left, Value value, Scope scope, Frame frame)
    {
        if (left is VariableDeclaration declaration)
        {
            foreach (var declarator in declaration.Declarations)
            {
                Bind(declarator.Id, value, scope, frame, declare: true);
            }
        }
        else
        {
            Bind(left, value, scope, frame, declare: false);
        }
    }

    private void ExecIf(IfStatement conditional, Scope scope, Frame frame)
    {
        Eval(conditional.Test, scope, frame);
        var (positive, negative) = Guards(conditional.Test, scope, frame);
        var thenScope = Guarded(scope, positive);
        Exec(conditional.Consequent, thenScope, frame);
        if (conditional.Alternate is { } alternate)
        {
            Exec(alternate, Guarded(scope, negative), frame);
        }

        if (AlwaysExits(conditional.Consequent))
        {
            // `if (!guard) return;`: the guard holds for the rest of the block.
            foreach (var (name, cwes) in negative)
            {
                if (scope.Lookup(name) is { } value)
                {
                    scope.Assign(name, cwes.Count == 0 ? value.WithTaints(value.Taints.RemoveAll(t => t.Kind == TaintKind.Input)) : value.Clear(cwes));
                }
            }
        }
    }

    private static Scope Guarded(Scope scope, List<(string Name, IReadOnlySet<int> Cwes)> guards)
    {
        if (guards.Count == 0)
        {
            return scope;
        }

        var inner = new Scope(scope, false);
        foreach (var (name, cwes) in guards)
        {
            if (scope.Lookup(name) is { } value)
            {
                inner.Declare(name, cwes.Count == 0 ? value.WithTaints(value.Taints.RemoveAll(t => t.Kind == TaintKind.Input)) : value.Clear(cwes));
            }
        }

        return inner;
    }

    private static bool AlwaysExits(Node statement) => statement switch
    {
        ReturnStatement or ThrowStatement => true,
        BlockStatement block => block.Body.Count > 0 && AlwaysExits(block.Body[^1]),
        IfStatement { Alternate: { } alternate } both => AlwaysExits(both.Consequent) && AlwaysExits(alternate),
        _ => false,
    };

    /// <summary>
    /// The names a condition validates when it holds (positive) and when it fails (negative):
    /// <c>x.startsWith(base)</c> (containment, prefix allow-list), <c>LIST.includes(x)</c>, <c>SET.has(x)</c>,
    /// <c>/re/.test(x)</c> and <c>x === 'literal'</c> (allow-lists and validation).
    /// </summary>
    private static (List<(string, IReadOnlySet<int>)> Positive, List<(string, IReadOnlySet<int>)> Negative) Guards(Node test, Scope scope, Frame frame)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var positive = new List<(string, IReadOnlySet<int>)>();
        var negative = new List<(string, IReadOnlySet<int>)>();
        switch (test)
        {
            case UnaryExpression { Operator: Operator.LogicalNot } not:
                var (p, n) = Guards(not.Argument, scope, frame);
                return (n, p);
            case LogicalExpression { Operator: Operator.LogicalAnd } and:
                positive.AddRange(Guards(and.Left, scope, frame).Positive);
                positive.AddRange(Guards(and.Right, scope, frame).Positive);
                return (positive, negative);
            case LogicalExpression { Operator: Operator.LogicalOr } or:
                negative.AddRange(Guards(or.Left, scope, frame).Negative);
                negative.AddRange(Guards(or.Right, scope, frame).Negative);
                return (positive, negative);
            case BinaryExpression { Operator: Operator.StrictEquality or Operator.Equality } equality when equality.Right is Literal && equality.Left is Identifier left:
                positive.Add((left.Name, new HashSet<int>()));
                return (positive, negative);
            case BinaryExpression { Operator: Operator.StrictInequality or Operator.Inequality } inequality when inequality.Right is Literal && inequality.Left is Identifier left:
                negative.Add((left.Name, new HashSet<int>()));
                return (positive, negative);
            case CallExpression { Callee: MemberExpression { Property: Identifier method } callee } call:
                IReadOnlySet<int>? clears = method.Name switch
                {
                    "startsWith" => SinkCatalog.PrefixGuardClears,
                    "includes" or "has" or "test" => new HashSet<int>(),
                    _ => null,
                };
                if (clears is null)
                {
                    break;
                }

                var guarded = method.Name == "startsWith" ? [callee.Object] : call.Arguments.Take(1);
                foreach (var id in guarded.SelectMany(Identifiers))
                {
                    positive.Add((id, clears));
                    negative.Add((id, clears));
                }

                // `negative` is only meaningful negated: the caller swaps for `!guard`.
                return (positive, []);
            default:
                break;
        }

        return (positive, negative);
    }

    private static IEnumerable<string> Identifiers(Node node)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        return IdentifiersOf(node);
    }

    private static IEnumerable<string> IdentifiersOf(Node node) => node switch
    {
        Identifier id => [id.Name],
        MemberExpression m => Identifiers(m.Object),
        _ => node.ChildNodes.SelectMany(Identifiers),
    };

    // ---------------------------------------------------------------- modules

    private static string NormaliseModule(string specifier)
    {
        var name = specifier.StartsWith("node:", StringComparison.Ordinal) ? specifier[5..] : specifier;
        return name switch
        {
            "fs/promises" => "fs",
            "mysql2/promise" => "mysql2",
            "js-yaml/index.js" => "js-yaml",
            _ => name,
        };
    }

    private Value Require(string specifier, ModuleState from)
    {
        if (!specifier.StartsWith('.'))
        {
            return new Value { Module = NormaliseModule(specifier) };
        }

        if (Resolve(from.Path, specifier, modules.ContainsKey) is { } path)
        {
            var target = modules[path];
            var saved = evaluations;
            Evaluate(target);
            evaluations = saved;
            return target.Exports;
        }

        return Value.Clean;
    }

    /// <summary>The artifact path a relative specifier names from a module (as Node resolves it: exact, .js/.mjs/.cjs, index), or null.</summary>
    internal static string? Resolve(string fromPath, string specifier, Func<string, bool> exists)
    {
        var directory = System.IO.Path.GetDirectoryName(fromPath)?.Replace('\\', '/') ?? string.Empty;
        var joined = NormalisePath(directory.Length == 0 ? specifier : directory + "/" + specifier);
        return new[] { joined, joined + ".js", joined + ".mjs", joined + ".cjs", joined + "/index.js", joined + "/index.mjs" }.FirstOrDefault(exists);
    }

    private static string NormalisePath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "." or "")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private void Import(ImportDeclaration import, Scope scope, Frame frame)
    {
        var source = Require(import.Source.Value, frame.Module);
        foreach (var specifier in import.Specifiers)
        {
            switch (specifier)
            {
                case ImportDefaultSpecifier d:
                    scope.Declare(d.Local.Name, source.Module is null && source.Props is { } p && p.TryGetValue("default", out var def) ? def : source);
                    break;
                case ImportNamespaceSpecifier ns:
                    scope.Declare(ns.Local.Name, source);
                    break;
                case ImportSpecifier named:
                    scope.Declare(named.Local.Name, Member(source, ModuleExportName(named.Imported)));
                    break;
                default:
                    break;
            }
        }
    }

    private static string ModuleExportName(Node name) => name switch
    {
        Identifier id => id.Name,
        StringLiteral s => s.Value,
        _ => string.Empty,
    };

    private void ExportNamed(ExportNamedDeclaration export, Scope scope, Frame frame)
    {
        var exports = frame.Module.Exports.Props!;
        if (export.Declaration is { } declaration)
        {
            Exec(declaration, scope, frame);
            var names = declaration switch
            {
                VariableDeclaration v => v.Declarations.SelectMany(d => PatternNames(d.Id)),
                FunctionDeclaration { Id: { } id } => [id.Name],
                ClassDeclaration { Id: { } id } => [id.Name],
                _ => [],
            };
            foreach (var name in names)
            {
                exports[name] = scope.Lookup(name) ?? Value.Clean;
            }
        }

        if (export.Source is { } reexport)
        {
            var source = Require(reexport.Value, frame.Module);
            foreach (var specifier in export.Specifiers)
            {
                exports[ModuleExportName(specifier.Exported)] = Member(source, ModuleExportName(specifier.Local));
            }
        }
        else
        {
            foreach (var specifier in export.Specifiers)
            {
                exports[ModuleExportName(specifier.Exported)] = scope.Lookup(ModuleExportName(specifier.Local)) ?? Value.Clean;
            }
        }
    }

    private static IEnumerable<string> PatternNames(Node pattern) => pattern switch
    {
        Identifier id => [id.Name],
        MemberExpression => [],
        _ => pattern.ChildNodes.SelectMany(PatternNames),
    };

    private static string NameOf(Node pattern) => pattern switch
    {
        Identifier id => id.Name,
        MemberExpression { Property: Identifier p } => p.Name,
        _ => string.Empty,
    };

    // ---------------------------------------------------------------- binding

    private void Bind(Node pattern, Value value, Scope scope, Frame frame, bool declare)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (pattern)
        {
            case Identifier id:
                var bound = value.IsTainted ? value.WithStep(new TraceStep(frame.Module.At(id), $"`{id.Name}` = ...")) : value;
                if (declare)
                {
                    scope.Declare(id.Name, bound);
                }
                else
                {
                    scope.Assign(id.Name, bound);
                }

                CheckRandomName(id.Name, value, id, frame);
                break;
            case ObjectPattern obj:
                foreach (var property in obj.Properties)
                {
                    if (property is RestElement rest)
                    {
                        Bind(rest.Argument, value.TaintOnly(), scope, frame, declare);
                    }
                    else if (property is AssignmentProperty assignment)
                    {
                        var key = assignment.Computed ? null : PropertyKey(assignment.Key);
                        Bind(assignment.Value, key is null ? value.TaintOnly() : Member(value, key), scope, frame, declare);
                    }
                }

                break;
            case ArrayPattern array:
                foreach (var element in array.Elements)
                {
                    if (element is not null)
                    {
                        Bind(element, value.TaintOnly(), scope, frame, declare);
                    }
                }

                break;
            case AssignmentPattern withDefault:
                Bind(withDefault.Left, Value.Join(value, Eval(withDefault.Right, scope, frame)).Merge(value), scope, frame, declare);
                break;
            case RestElement restElement:
                Bind(restElement.Argument, value.TaintOnly(), scope, frame, declare);
                break;
            case MemberExpression member:
                AssignMember(member, value, scope, frame);
                break;
            default:
                break;
        }
    }

    private void AssignMember(MemberExpression member, Value value, Scope scope, Frame frame)
    {
        var target = Eval(member.Object, scope, frame);
        var key = member.Computed ? (member.Property as StringLiteral)?.Value : (member.Property as Identifier)?.Name;
        if (key is not null && target.Props is { } props)
        {
            props[key] = value;
            CheckRandomName(key, value, member, frame);
        }
        else if (key is not null)
        {
            CheckRandomName(key, value, member, frame);
        }

        if (value.IsTainted && member.Object is Identifier holder && scope.Lookup(holder.Name) is { } current)
        {
            scope.Assign(holder.Name, current.WithTaints(Value.Join(current, value.WithStep(new TraceStep(frame.Module.At(member), $"`{holder.Name}.{key ?? "[]"}` = ..."))).Taints));
        }
    }

    private void CheckRandomName(string name, Value value, Node at, Frame frame)
    {
        if (value.Get(TaintKind.Random) is { } random && Regex.IsMatch(name, SinkCatalog.TokenNamePattern))
        {
            Report("js/insecure-randomness", at, frame.Module, random, $"`{name}`");
        }
    }

    private static string? PropertyKey(Node key) => key switch
    {
        Identifier id => id.Name,
        StringLiteral s => s.Value,
        _ => null,
    };

    // ---------------------------------------------------------------- expressions

    private Value Eval(Node? node, Scope scope, Frame frame, string? name = null)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (node is null)
        {
            return Value.Clean;
        }

        if ((++evaluations & 0xFFF) == 0)
        {
            cancellation.ThrowIfCancellationRequested();
        }

        switch (node)
        {
            case Identifier id:
                return scope.Lookup(id.Name) ?? Value.Global(id.Name);
            case StringLiteral literal:
                return Value.Constant(literal.Value);
            case Literal:
                return Value.Clean;
            case TemplateLiteral template:
                {
                    var parts = template.Expressions.Select(e => Eval(e, scope, frame)).ToList();
                    var text = parts.Count == 0 ? string.Concat(template.Quasis.Select(q => q.Value.Cooked)) : template.Quasis.Count > 0 ? template.Quasis[0].Value.Cooked : null;
                    return Value.Join(parts).Clear([943]).WithText(text);
                }

            case TaggedTemplateExpression tagged:
                Eval(tagged.Tag, scope, frame);
                return Value.Clean;
            case LogicalExpression logical:
                {
                    var left = Eval(logical.Left, scope, frame);
                    var right = Eval(logical.Right, scope, frame);
                    return Value.Join(left, right).Merge(left.Props is not null || left.Module is not null ? left : right);
                }
            case BinaryExpression { Operator: Operator.Addition } concat:
                {
                    var left = Eval(concat.Left, scope, frame);
                    var right = Eval(concat.Right, scope, frame);
                    return Value.Join(left, right).Clear([943]).WithText(left.Text is { } l ? l + right.Text : null);
                }

            case BinaryExpression other:
                Eval(other.Left, scope, frame);
                Eval(other.Right, scope, frame);
                return Value.Clean;
            case ConditionalExpression conditional:
                {
                    Eval(conditional.Test, scope, frame);
                    var (positive, negative) = Guards(conditional.Test, scope, frame);
                    var whenTrue = Eval(conditional.Consequent, Guarded(scope, positive), frame);
                    var whenFalse = Eval(conditional.Alternate, Guarded(scope, negative), frame);
                    return Value.Join(whenTrue, whenFalse).Merge(whenTrue.Props is not null ? whenTrue : whenFalse);
                }

            case AssignmentExpression assignment:
                {
                    var value = Eval(assignment.Right, scope, frame, NameOf(assignment.Left));
                    if (assignment.Operator != Operator.Assignment)
                    {
                        value = Value.Join(Eval(assignment.Left, scope, frame), value);
                    }

                    Bind(assignment.Left, value, scope, frame, declare: false);
                    return value;
                }

            case MemberExpression member:
                {
                    var target = Eval(member.Object, scope, frame);
                    var key = member.Computed ? (member.Property as StringLiteral)?.Value : (member.Property as Identifier)?.Name;
                    if (member.Computed && key is null)
                    {
                        Eval(member.Property, scope, frame);
                    }

                    return Member(target, key);
                }

            case ChainExpression chain:
                return Eval(chain.Expression, scope, frame);
            case CallExpression call:
                return Call(call, scope, frame);
            case NewExpression construct:
                return New(construct, scope, frame);
            case AwaitExpression awaited:
                return Eval(awaited.Argument, scope, frame);
            case ObjectExpression obj:
                return ObjectLiteral(obj, scope, frame);
            case ArrayExpression array:
                return Value.Join(array.Elements.Select(e => Eval(e, scope, frame)));
            case ArrowFunctionExpression or FunctionExpression:
                return FunctionValue(node, scope, frame.Module, name is { Length: > 0 } ? name : FunctionName(node));
            case UpdateExpression:
                return Value.Clean;
            case UnaryExpression unary:
                Eval(unary.Argument, scope, frame);
                return Value.Clean;
            case SequenceExpression sequence:
                return sequence.Expressions.Select(e => Eval(e, scope, frame)).LastOrDefault() ?? Value.Clean;
            case SpreadElement spread:
                return Eval(spread.Argument, scope, frame);
            case ClassExpression classExpression:
                return ClassValue(classExpression.Body, scope, frame);
            case ThisExpression or Super:
                return Value.Clean;
            default:
                return Value.Join(node.ChildNodes.Select(child => Eval(child, scope, frame)));
        }
    }

    /// <summary>A class as an object of its methods (static and instance alike): <c>new C(x)</c> runs the constructor and
    /// gives an object with the same methods, so <c>repo.find(input)</c> runs <c>find</c> with the input.</summary>
    private Value ClassValue(ClassBody body, Scope scope, Frame frame)
    {
        var methods = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var member in body.Body)
        {
            if (member is MethodDefinition { Computed: false } method && PropertyKey(method.Key) is { } key)
            {
                methods[key] = FunctionValue(method.Value, scope, frame.Module, key);
            }
        }

        return new Value { Props = methods };
    }

    private Value ObjectLiteral(ObjectExpression obj, Scope scope, Frame frame)
    {
        var props = new Dictionary<string, Value>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new List<Value>();
        foreach (var property in obj.Properties)
        {
            if (property is SpreadElement spread)
            {
                var spreadValue = Eval(spread.Argument, scope, frame);
                all.Add(spreadValue);
                foreach (var (k, v) in spreadValue.Props ?? [])
                {
                    props[k] = v;
                }

                continue;
            }

            if (property is not ObjectProperty p)
            {
                continue;
            }

            var key = p.Computed ? null : PropertyKey(p.Key);
            var value = Eval(p.Value, scope, frame, key);
            all.Add(value);
            if (key is not null)
            {
                props[key] = value;
                lines[key] = p.Value.Location.Start.Line;
                CheckRandomName(key, value, p, frame);
            }
        }

        return Value.Join(all).WithObject(props, lines);
    }

    /// <summary>A member of a value: a known property, a module member (<c>fs.readFile</c>), or the value's taint.</summary>
    private static Value Member(Value target, string? key)
    {
        if (key is not null && target.Props is { } props && props.TryGetValue(key, out var known))
        {
            return known;
        }

        if (target.Module is not null)
        {
            return new Value { Module = target.Module, Path = target.Path.Length == 0 ? key ?? "[]" : target.Path + "." + (key ?? "[]"), Text = target.Text };
        }

        if (!target.IsTainted || key == "length")
        {
            return Value.Clean;
        }

        var taints = target.Taints.Where(t => t.Kind switch
        {
            TaintKind.Input => key is null || !SinkCatalog.TrustedInputMembers.Contains(key),
            TaintKind.Error => key is null or "message" or "stack" or "toString",
            _ => true,
        }).ToImmutableArray();
        return taints.IsEmpty ? Value.Clean : new Value { Taints = taints };
    }

    private static string LastSegment(string path)
    {
        var dot = path.LastIndexOf('.');
        var last = dot < 0 ? path : path[(dot + 1)..];
        return last.EndsWith("()", StringComparison.Ordinal) ? last[..^2] : last;
    }

    private Value Call(CallExpression call, Scope scope, Frame frame)
    {
        Value callee;
        Value? receiver = null;
        string calleeName;
        if (call.Callee is MemberExpression member)
        {
            receiver = Eval(member.Object, scope, frame);
            var key = member.Computed ? (member.Property as StringLiteral)?.Value : (member.Property as Identifier)?.Name;
            callee = Member(receiver, key);
            if (receiver.Module is null && receiver.Function is null && callee.Function is null)
            {
                callee = new Value { Module = receiver.Props is null ? null : "$object", Path = key ?? "[]", Taints = callee.Taints };
            }

            calleeName = key ?? "[]";
        }
        else
        {
            callee = Eval(call.Callee, scope, frame);
            calleeName = call.Callee is Identifier id ? id.Name : LastSegment(callee.Path);
        }

        var args = call.Arguments.Select(a => Eval(a, scope, frame)).ToList();

        if (call.Callee is Identifier { Name: "require" } && scope.Lookup("require") is null && call.Arguments.Count == 1 && call.Arguments[0] is StringLiteral spec)
        {
            return Require(spec.Value, frame.Module);
        }

        CheckSinks(call, callee, args, frame);

        if (callee.Module == string.Empty && callee.Path == "Math.random")
        {
            return Value.Source(TaintKind.Random, new TraceStep(frame.Module.At(call), "Math.random()"));
        }

        if (callee.Module == "crypto" && LastSegment(callee.Path) == "createHash")
        {
            return new Value { Module = "crypto", Path = "createHash()", Text = args.Count > 0 ? args[0].Text : null };
        }

        if (callee.Module == "crypto" && LastSegment(callee.Path) == "update" && callee.Text is { } algorithm && SinkCatalog.WeakHashes.Contains(algorithm)
            && call.Arguments.Count > 0 && Regex.IsMatch(frame.Module.Source(call.Arguments[0]), SinkCatalog.PasswordNamePattern))
        {
            var step = new Taint(TaintKind.Input, [new TraceStep(frame.Module.At(call.Arguments[0]), $"password hashed with {algorithm}")], []);
            Report("js/weak-password-hash", call, frame.Module, step, $"createHash('{algorithm}').update");
        }

        if (SinkCatalog.Sanitisers.TryGetValue(calleeName, out var clears))
        {
            if (clears!.Count == 0)
            {
                return Value.Clean;
            }

            var sanitised = args.Count > 0 ? args[0] : Value.Clean;
            return sanitised.TaintOnly().Clear(clears).WithStep(new TraceStep(frame.Module.At(call), $"{calleeName}(...) (clears CWE-{string.Join("/", clears.Order())})"));
        }

        if (callee.Function is { } fn)
        {
            return Invoke(fn, args, call, frame, entry: false);
        }

        // Callbacks (route handlers, .then, .map) run as entries; their parameters carry the receiver's taint.
        var result = Value.Clean;
        foreach (var argument in args.Where(a => a.Function is not null))
        {
            var given = Value.Join(receiver ?? Value.Clean, Value.Join(args.Where(a => a.Function is null))).TaintOnly();
            result = Value.Join(result, Invoke(argument.Function!, [given, given], call, frame, entry: true));
        }

        if (callee.Module is { Length: > 0 } module && module != "$object" && module != SinkCatalog.AnyReceiver)
        {
            // A library call: its result is library data, not the caller's input (pool.query's rows), except string helpers.
            return SinkCatalog.PropagatingModules.Contains(module)
                ? Value.Join(args).Merge(new Value { Module = module, Path = callee.Path + "()", Text = callee.Text })
                : new Value { Module = module, Path = callee.Path + "()", Text = callee.Text };
        }

        if (callee.Module is null && SinkCatalog.Sinks.Any(s => s.Method == calleeName && s.Modules.Contains(SinkCatalog.AnyReceiver)))
        {
            return Value.Clean;
        }

        return Value.Join([receiver ?? Value.Clean, callee, .. args, result]);
    }

    private Value New(NewExpression construct, Scope scope, Frame frame)
    {
        var callee = Eval(construct.Callee, scope, frame);
        var args = construct.Arguments.Select(a => Eval(a, scope, frame)).ToList();
        CheckSinks(construct, callee, args, frame);
        if (callee.Function is { } fn)
        {
            Invoke(fn, args, construct, frame, entry: false);
            return new Value { Props = new(StringComparer.Ordinal) };
        }

        if (callee.Module is null && callee.Props is { } methods)
        {
            if (methods.GetValueOrDefault("constructor")?.Function is { } constructor)
            {
                Invoke(constructor, args, construct, frame, entry: false);
            }

            return new Value { Props = new(methods, StringComparer.Ordinal) };
        }

        if (callee.Module is { Length: > 0 } module)
        {
            return new Value { Module = module, Path = callee.Path + "()", Text = callee.Text };
        }

        if (callee.Module == string.Empty)
        {
            return callee.Path is "URL" or "String" or "Buffer" ? Value.Join(args).TaintOnly() : new Value { Module = string.Empty, Path = callee.Path + "()" };
        }

        return Value.Clean;
    }

    // ---------------------------------------------------------------- functions

    private Value Invoke(FunctionRef fn, List<Value> args, Node callSite, Frame caller, bool entry)
    {
        var node = (IFunction)fn.Node;
        var depth = caller.Depth + 1;
        var key = (fn.Node, $"{(entry ? "entry:" : string.Empty)}{System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(fn.Closure)}:{Value.Signature(args)}");
        if (onStack.Contains(fn.Node) || depth > MaxDepth || evaluations > MaxEvaluationsPerModule)
        {
            return Value.Join(args).TaintOnly();
        }

        // A summary is reused for the same function, closure and argument taints (its trace is the first call's).
        if (summaries.TryGetValue(key, out var summary))
        {
            return summary;
        }

        visited.Add(fn.Node);
        onStack.Add(fn.Node);
        try
        {
            var frame = new Frame(fn.Module, fn, entry, depth);
            var scope = new Scope(fn.Closure, isFunction: true);
            var hasSource = node.Params.Any(p => p is Identifier id && SinkCatalog.SourceRoots.Contains(id.Name));
            for (var i = 0; i < node.Params.Count; i++)
            {
                var param = node.Params[i];
                var value = i < args.Count ? args[i] : Value.Clean;
                if (entry && param is Identifier pid)
                {
                    if (SinkCatalog.SourceRoots.Contains(pid.Name))
                    {
                        value = Value.Source(TaintKind.Input, new TraceStep(fn.Module.At(param), $"handler input `{pid.Name}` of {fn.Name}"));
                    }
                    else if (hasSource && SinkCatalog.ResponseNames.Contains(pid.Name))
                    {
                        value = new Value { Module = SinkCatalog.Response };
                    }
                }
                else if (!entry && value.IsTainted)
                {
                    value = value.WithStep(new TraceStep(fn.Module.At(param), $"argument {i + 1} of {fn.Name}(...) at {caller.Module.Path}:{callSite.Location.Start.Line}"));
                }

                Bind(param, value, scope, frame, declare: true);
            }

            Value result;
            if (node.Body is FunctionBody body)
            {
                ExecBlock(body.Body, scope, frame);
                result = Value.Join(frame.Returns).Merge(frame.Returns.FirstOrDefault(r => r.Props is not null || r.Function is not null) ?? Value.Clean);
            }
            else
            {
                result = Eval(node.Body, scope, frame);
                if (frame.IsLambdaHandler)
                {
                    CheckLambdaResponse(node.Body, result, frame);
                }
            }

            if (!entry && result.IsTainted)
            {
                result = result.WithStep(new TraceStep(caller.Module.At(callSite), $"returned from {fn.Name}(...)"));
            }

            summaries[key] = result;
            return result;
        }
        finally
        {
            onStack.Remove(fn.Node);
        }
    }

    // ---------------------------------------------------------------- sinks

    private void CheckSinks(Node call, Value callee, List<Value> args, Frame frame)
    {
        if (callee.Function is not null)
        {
            return;
        }

        var method = callee.Module == string.Empty ? callee.Path : LastSegment(callee.Path);
        foreach (var sink in SinkCatalog.Sinks)
        {
            if (sink.Method != method || !Matches(sink, callee))
            {
                continue;
            }

            if (!ConditionHolds(sink, args))
            {
                continue;
            }

            var rule = SinkCatalog.Rules[sink.RuleId];
            foreach (var index in sink.Arguments)
            {
                if (index >= args.Count)
                {
                    continue;
                }

                var argument = args[index];
                if (rule.Cwe == 89 && argument.Props is { } props && (props.GetValueOrDefault("text") ?? props.GetValueOrDefault("sql")) is { } text)
                {
                    argument = text;
                }

                if (argument.Get(sink.Kind) is { } taint && (sink.Kind != TaintKind.Input || taint.Reaches(rule.Cwe)))
                {
                    Report(sink.RuleId, call, frame.Module, taint, $"{(callee.Module is { Length: > 0 } m && !m.StartsWith('$') ? m + "." : string.Empty)}{callee.Path}(...) argument {index + 1}");
                    break;
                }
            }
        }
    }

    private static bool Matches(SinkSpec sink, Value callee)
    {
        var module = callee.Module;
        if (module is null || module == "$object")
        {
            return sink.Modules.Contains(SinkCatalog.AnyReceiver) && module is null;
        }

        if (module == string.Empty)
        {
            return sink.Modules.Contains(string.Empty);
        }

        return sink.Modules.Contains(module) && (sink.Method.Length > 0 || callee.Path.Length == 0);
    }

    private bool ConditionHolds(SinkSpec sink, List<Value> args) => sink.Condition switch
    {
        null => true,
        "shell" => args.Any(a => a.Props is { } p && p.TryGetValue("shell", out var shell) && (shell.Text is not null || shell.IsTainted || shell.Props is null) && ShellIsOn(shell)),
        "location-header" => args.Count > 0 && string.Equals(args[0].Text, "Location", StringComparison.OrdinalIgnoreCase),
        "unsafe-yaml" => yamlLoadUnsafe || args.Skip(1).Any(a => a.Props is { } p && p.TryGetValue("schema", out var schema) && schema.Path.EndsWith("FULL_SCHEMA", StringComparison.Ordinal)),
        _ => false,
    };

    private static bool ShellIsOn(Value shell) => shell.Text is not { } text || text.Length > 0;

    private void CheckLambdaResponse(Node at, Value response, Frame frame)
    {
        if (response.Props is not { } props)
        {
            return;
        }

        var headers = props.GetValueOrDefault("headers")?.Props;
        var contentType = headers?.FirstOrDefault(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)).Value?.Text ?? string.Empty;
        if (props.TryGetValue("body", out var body))
        {
            var line = response.PropLines?.GetValueOrDefault("body");
            if (body.Get(TaintKind.Error) is { } error)
            {
                Report("js/stack-trace-exposure", at, frame.Module, error, "response body", line);
            }

            if (contentType.Contains("html", StringComparison.OrdinalIgnoreCase) && body.Get(TaintKind.Input) is { } input && input.Reaches(79))
            {
                Report("js/xss", at, frame.Module, input, $"response body ({contentType})", line);
            }
        }

        var location = headers?.FirstOrDefault(h => h.Key.Equals("location", StringComparison.OrdinalIgnoreCase)).Value;
        if (location?.Get(TaintKind.Input) is { } redirect && redirect.Reaches(601))
        {
            Report("js/open-redirect", at, frame.Module, redirect, "Location header", props.GetValueOrDefault("headers")?.PropLines?.FirstOrDefault(h => h.Key.Equals("location", StringComparison.OrdinalIgnoreCase)).Value);
        }
    }

    internal void Report(string ruleId, Node at, ModuleState module, Taint taint, string sink, int? line = null)
    {
        var rule = SinkCatalog.Rules[ruleId];
        var location = line is > 0 ? new SourceLocation(module.Path, line.Value, 1) : module.At(at);
        var key = (ruleId, module.Path, location.Line, location.Column);
        if (reportedLines.Contains((ruleId, module.Path, location.Line)))
        {
            return;
        }

        var source = taint.Steps[0];
        if (taint.Kind == TaintKind.Random && !reportedRandomSources.Add(source))
        {
            // One finding per Math.random call: the first name that makes it a token, not every object it lands in.
            return;
        }

        reportedLines.Add((ruleId, module.Path, location.Line));
        var evidence = module.LineText(location.Line);
        findings[key] = new Finding
        {
            Analyzer = "code",
            RuleId = ruleId,
            Cwe = rule.Cwe,
            Severity = rule.Severity,
            Title = rule.Title,
            Message = $"{Describe(taint.Kind)} from {source.Location.Path}:{source.Location.Line} ({source.Note}) reaches {sink}.",
            Location = location,
            Evidence = evidence,
            Impact = rule.Impact,
            Remediation = rule.Remediation,
            Trace = [.. taint.Steps, new TraceStep(location, $"sink {sink}")],
            Fingerprint = CodeAnalyzer.Fingerprint(ruleId, module.Path, evidence, taint.Kind.ToString()),
        };
    }

    private static string Describe(TaintKind kind) => kind switch
    {
        TaintKind.Input => "Handler input",
        TaintKind.Error => "An error object",
        _ => "A Math.random value",
    };
}
