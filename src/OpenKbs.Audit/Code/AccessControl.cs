using System.Text.RegularExpressions;
using Acornima.Ast;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Code;

/// <summary>
/// CWE-862: a handler (a function whose first parameter is the Lambda <c>event</c>, or the last callback of an
/// Express-style route <c>app.post('/path', ..., handler)</c>) that changes state (a catalog state-changing call, an AWS
/// SDK write command, an INSERT/UPDATE/DELETE text) with no sign of an authorisation check in the handler, its route
/// middleware or a module-wide <c>app.use(auth...)</c> (<see cref="SinkCatalog.AuthorisationPattern"/>).
/// </summary>
internal static class AccessControl
{
    private static readonly string[] RouteMethods = ["get", "post", "put", "patch", "delete", "all"];

    public static void Check(ModuleState module, TaintEngine engine)
    {
        var nodes = new List<Node>();
        Collect(module.Program, nodes);
        var calls = nodes.OfType<CallExpression>().ToList();
        var moduleWideAuth = calls.Any(c => c.Callee is MemberExpression { Property: Identifier { Name: "use" } }
            && c.Arguments.Any(a => Regex.IsMatch(module.Source(a), SinkCatalog.AuthorisationPattern)));
        if (moduleWideAuth)
        {
            return;
        }

        var handlers = new List<(Node Handler, string Guards)>();
        foreach (var fn in nodes.Where(n => n is IFunction f && f.Params.Count > 0 && f.Params[0] is Identifier { Name: "event" }))
        {
            handlers.Add((fn, string.Empty));
        }

        foreach (var route in calls)
        {
            if (route.Callee is MemberExpression { Property: Identifier method } && RouteMethods.Contains(method.Name)
                && route.Arguments.Count >= 2 && route.Arguments[0] is StringLiteral or TemplateLiteral && route.Arguments[^1] is IFunction)
            {
                var middleware = string.Join(' ', route.Arguments.Skip(1).SkipLast(1).Select(module.Source));
                handlers.Add((route.Arguments[^1], middleware));
            }
        }

        foreach (var (handler, guards) in handlers)
        {
            if (Regex.IsMatch(guards + " " + module.Source(handler), SinkCatalog.AuthorisationPattern))
            {
                continue;
            }

            var body = new List<Node>();
            Collect(handler, body);
            var change = body.OfType<CallExpression>().FirstOrDefault(IsStateChange);
            if (change is null)
            {
                continue;
            }

            var step = new TraceStep(module.At(handler), "handler without an authorisation check");
            engine.Report("js/missing-authorization", change, module, new Taint(TaintKind.Input, [step], []), "a state-changing call");
        }
    }

    private static bool IsStateChange(CallExpression call)
    {
        var name = call.Callee switch
        {
            MemberExpression { Property: Identifier p } => p.Name,
            Identifier id => id.Name,
            _ => string.Empty,
        };
        if (SinkCatalog.StateChangingCalls.Contains(name))
        {
            return true;
        }

        if (name == "send" && call.Arguments.Count > 0 && call.Arguments[0] is NewExpression { Callee: Identifier command } && SinkCatalog.StateChangingCommands.Contains(command.Name))
        {
            return true;
        }

        if (name is "query" or "execute" && call.Arguments.Count > 0)
        {
            var text = call.Arguments[0] switch
            {
                StringLiteral s => s.Value,
                TemplateLiteral t when t.Quasis.Count > 0 => t.Quasis[0].Value.Cooked ?? string.Empty,
                _ => string.Empty,
            };
            return Regex.IsMatch(text, SinkCatalog.StateChangingSqlPattern);
        }

        return false;
    }

    private static void Collect(Node node, List<Node> into)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        into.Add(node);
        foreach (var child in node.ChildNodes)
        {
            Collect(child, into);
        }
    }
}
