using System.Collections.Immutable;
using Acornima.Ast;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Code;

/// <summary>One taint a value carries: its kind, the hops from the source (file:line each) and the CWEs a sanitiser or guard has cleared.</summary>
internal sealed record Taint(TaintKind Kind, ImmutableList<TraceStep> Steps, ImmutableHashSet<int> Cleared)
{
    public const int MaxSteps = 24;

    public Taint With(TraceStep step) => Steps.Count >= MaxSteps || Steps[^1].Location == step.Location ? this : this with { Steps = Steps.Add(step) };

    public bool Reaches(int cwe) => !Cleared.Contains(cwe);
}

/// <summary>A function value: its node, the scope it closes over and the module it was written in.</summary>
internal sealed record FunctionRef(Node Node, Scope Closure, ModuleState Module, string Name);

/// <summary>
/// The abstract value of an expression: the taints it carries; what it resolves to (a module member such as
/// <c>child_process.exec</c>, a global, the response object); a function; an object's known properties; a string constant.
/// </summary>
internal sealed class Value
{
    public static readonly Value Clean = new();

    public ImmutableArray<Taint> Taints { get; init; } = [];

    /// <summary>The module the value comes from (normalised), <c>""</c> for a global, null when unknown.</summary>
    public string? Module { get; init; }

    /// <summary>The member path inside <see cref="Module"/> (<c>Pool().query</c>); <c>""</c> the module itself.</summary>
    public string Path { get; init; } = string.Empty;

    public FunctionRef? Function { get; init; }

    public Dictionary<string, Value>? Props { get; init; }

    public Dictionary<string, int>? PropLines { get; init; }

    /// <summary>A string constant (SQL text, a header name, a hash algorithm); also carried along a module call chain as its tag.</summary>
    public string? Text { get; init; }

    public bool IsTainted => !Taints.IsEmpty;

    public Taint? Get(TaintKind kind) => Taints.FirstOrDefault(t => t.Kind == kind);

    public static Value Global(string name) => new() { Module = string.Empty, Path = name };

    public static Value Constant(string text) => new() { Text = text };

    public static Value Source(TaintKind kind, TraceStep step) => new() { Taints = [new Taint(kind, [step], [])] };

    public Value WithStep(TraceStep step) => IsTainted ? Copy(Taints.Select(t => t.With(step)).ToImmutableArray()) : this;

    public Value Clear(IEnumerable<int> cwes) =>
        IsTainted ? Copy(Taints.Select(t => t.Kind == TaintKind.Input ? t with { Cleared = t.Cleared.Union(cwes) } : t).ToImmutableArray()) : this;

    public Value WithTaints(ImmutableArray<Taint> taints) => Copy(taints);

    /// <summary>This value's taints with the shape (module, path, function, properties, text) of <paramref name="shape"/>.</summary>
    public Value Merge(Value shape) => new()
    {
        Taints = Taints, Module = shape.Module, Path = shape.Path, Function = shape.Function, Props = shape.Props, PropLines = shape.PropLines, Text = shape.Text,
    };

    public Value WithText(string? text) => text is null ? this : new Value { Taints = Taints, Text = text };

    public Value WithObject(Dictionary<string, Value> props, Dictionary<string, int> lines) => new() { Taints = Taints, Props = props, PropLines = lines };

    public Value TaintOnly() => IsTainted ? new Value { Taints = Taints } : Clean;

    private Value Copy(ImmutableArray<Taint> taints) => new()
    {
        Taints = taints, Module = Module, Path = Path, Function = Function, Props = Props, PropLines = PropLines, Text = Text,
    };

    /// <summary>The taints of all values together, one per kind: the shorter trace, with only the CWEs every branch cleared.</summary>
    public static Value Join(IEnumerable<Value> values)
    {
        Taint?[] byKind = new Taint?[3];
        foreach (var taint in values.SelectMany(v => v.Taints))
        {
            var current = byKind[(int)taint.Kind];
            byKind[(int)taint.Kind] = current is null
                ? taint
                : (current.Steps.Count <= taint.Steps.Count ? current : taint) with { Cleared = current.Cleared.Intersect(taint.Cleared) };
        }

        var taints = byKind.Where(t => t is not null).Select(t => t!).ToImmutableArray();
        return taints.IsEmpty ? Clean : new Value { Taints = taints };
    }

    public static Value Join(params Value[] values) => Join((IEnumerable<Value>)values);

    /// <summary>A short key of the taint kinds of values (for function summaries).</summary>
    public static string Signature(IEnumerable<Value> values) =>
        string.Concat(values.Select(v => v.Taints.Aggregate(0, (mask, t) => mask | (1 << (int)t.Kind)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>A lexical scope: names declared in it and its parent; function scopes catch undeclared assignments.</summary>
internal sealed class Scope(Scope? parent, bool isFunction)
{
    private readonly Dictionary<string, Value> names = new(StringComparer.Ordinal);

    public Scope? Parent => parent;

    public void Declare(string name, Value value) => names[name] = value;

    public bool Has(string name) => names.ContainsKey(name);

    public Value? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.names.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    public void Assign(string name, Value value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.names.ContainsKey(name))
            {
                scope.names[name] = value;
                return;
            }
        }

        var target = this;
        while (!target.IsFunction && target.Parent is not null)
        {
            target = target.Parent;
        }

        target.names[name] = value;
    }

    public bool IsFunction => isFunction;
}

/// <summary>One module (file) of the artifact as the engine evaluates it: its scope and its exports.</summary>
internal sealed class ModuleState(string path, string text, Program program)
{
    public string Path => path;

    public Program Program => program;

    public string[] Lines { get; } = text.Split('\n');

    public string Text => text;

    public Scope Scope { get; } = new(null, isFunction: true);

    public Value ModuleObject { get; } = new() { Props = new(StringComparer.Ordinal) { ["exports"] = new Value { Props = new(StringComparer.Ordinal) } } };

    public bool Evaluated { get; set; }

    public Value Exports => ModuleObject.Props!["exports"];

    public SourceLocation At(Node node) => new(path, node.Location.Start.Line, node.Location.Start.Column + 1);

    public string LineText(int line) => line >= 1 && line <= Lines.Length ? Lines[line - 1].Trim() : string.Empty;

    public string Source(Node node) => text[node.Range.Start..node.Range.End];
}
