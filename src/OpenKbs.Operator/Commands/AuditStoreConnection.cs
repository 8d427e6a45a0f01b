using System.CommandLine;

namespace OpenKbs.Operator.Commands;

/// <summary>The <c>--connection-string</c> option of the audit-store verbs (audit, usage); defaults to the operator's own setting.</summary>
internal static class AuditStoreConnection
{
    /// <summary>The variable the operator reads its store connection from (section AuditStore, OPENKBS_ prefix).</summary>
    public const string Variable = "OPENKBS_AuditStore__ConnectionString";

    public static Option<string?> Option() => new("--connection-string")
    {
        Description = $"PostgreSQL connection string of the audit store (default: ${Variable}). Read access is enough.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Variable),
    };

    /// <summary>The connection string, or null after telling the user what is missing (<paramref name="verb"/>: e.g. <c>audit verify</c>).</summary>
    public static string? Resolve(string? value, string verb, TextWriter error)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        error.WriteLine($"openkbs {verb}: no audit store: pass --connection-string or set {Variable}");
        return null;
    }
}
