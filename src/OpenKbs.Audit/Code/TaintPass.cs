using Acornima.Ast;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;
using SourceLocation = OpenKbs.Audit.Findings.SourceLocation;

namespace OpenKbs.Audit.Code;

/// <summary>
/// A first, flow-insensitive, single-file taint pass: names assigned (also by destructuring) from expressions that
/// carry <c>event.*</c>/<c>req.*</c> become tainted until a fixpoint; a catalog sink whose argument is tainted is a
/// finding. Not yet: scopes, function summaries, cross-module flows, header/content-type sinks (XSS, CWE-209, 862).
/// </summary>
internal static class TaintPass
{
    public static IEnumerable<Finding> Run(ArtifactFile file, Node program)
    {
        var nodes = new List<Node>();
        Collect(program, nodes);
        var tainted = new HashSet<string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var node in nodes)
            {
                var (target, value) = node switch
                {
                    VariableDeclarator d when d.Init is not null => ((Node)d.Id, (Node?)d.Init),
                    AssignmentExpression a => (a.Left, a.Right),
                    _ => ((Node?)null, (Node?)null),
                };
                if (target is null || value is null || !Carries(value, tainted))
                {
                    continue;
                }

                foreach (var name in Names(target))
                {
                    changed |= tainted.Add(name);
                }
            }
        }
        while (changed);

        var lines = file.Text.Split('\n');
        foreach (var node in nodes)
        {
            if (node is not (CallExpression or NewExpression))
            {
                continue;
            }

            var (callee, args) = node is CallExpression c ? (c.Callee, c.Arguments) : (((NewExpression)node).Callee, ((NewExpression)node).Arguments);
            var path = Path(callee);
            var sink = SinkCatalog.Sinks.FirstOrDefault(s => path == s.Callee.TrimStart('.') || path.EndsWith(s.Callee.StartsWith('.') ? s.Callee : "." + s.Callee, StringComparison.Ordinal));
            if (sink is null || args.Count <= sink.Argument || !Carries(args[sink.Argument], tainted))
            {
                continue;
            }

            var line = node.Location.Start.Line;
            var evidence = lines[line - 1].Trim();
            yield return new Finding
            {
                Analyzer = "code",
                RuleId = sink.RuleId,
                Cwe = sink.Cwe,
                Severity = sink.Severity,
                Title = sink.Title,
                Message = $"Handler input reaches {path}(...) argument {sink.Argument + 1}.",
                Location = new SourceLocation(file.Path, line, node.Location.Start.Column + 1),
                Evidence = evidence,
                Impact = SinkCatalog.Texts[sink.RuleId].Impact,
                Remediation = SinkCatalog.Texts[sink.RuleId].Remediation,
                Trace = [new TraceStep(new SourceLocation(file.Path, line, node.Location.Start.Column + 1), $"sink {path}")],
                Fingerprint = CodeAnalyzer.Fingerprint(sink.RuleId, file.Path, evidence, "handler-input"),
            };
        }
    }

    private static void Collect(Node node, List<Node> into)
    {
        into.Add(node);
        foreach (var child in node.ChildNodes)
        {
            Collect(child, into);
        }
    }

    private static IEnumerable<string> Names(Node pattern) => pattern switch
    {
        Identifier id => [id.Name],
        MemberExpression => [],
        _ => pattern.ChildNodes.SelectMany(Names),
    };

    private static bool Carries(Node expression, HashSet<string> tainted) => expression switch
    {
        Identifier id => tainted.Contains(id.Name) || SinkCatalog.SourceRoots.Contains(id.Name),
        CallExpression call when SinkCatalog.Sanitisers.Contains(LastName(call.Callee)) => false,
        ArrowFunctionExpression or FunctionExpression => false,
        MemberExpression m => Carries(m.Object, tainted),
        _ => expression.ChildNodes.Any(child => Carries(child, tainted)),
    };

    private static string LastName(Node callee) => callee switch
    {
        Identifier id => id.Name,
        MemberExpression { Property: Identifier p } => p.Name,
        _ => string.Empty,
    };

    private static string Path(Node callee) => callee switch
    {
        Identifier id => id.Name,
        MemberExpression { Property: Identifier p } m => Path(m.Object) + "." + p.Name,
        _ => "?",
    };
}
