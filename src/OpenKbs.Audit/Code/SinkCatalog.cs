using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Code;

/// <summary>One sink of the catalog: a call whose callee ends with <see cref="Callee"/> (a name or dotted member path) and whose argument <see cref="Argument"/> must not carry handler input.</summary>
public sealed record SinkSpec(string RuleId, int Cwe, Severity Severity, string Title, string Callee, int Argument);

/// <summary>
/// Sinks and sanitisers as data, not code paths. A first cut: member-name matching, no module resolution yet
/// (a <c>query</c> of any receiver is a SQL sink), see docs/audit-code.md.
/// </summary>
public static class SinkCatalog
{
    public static readonly IReadOnlyList<SinkSpec> Sinks =
    [
        new("js/sql-injection", 89, Severity.Critical, "SQL injection", ".query", 0),
        new("js/sql-injection", 89, Severity.Critical, "SQL injection", ".execute", 0),
        new("js/command-injection", 78, Severity.Critical, "OS command injection", "exec", 0),
        new("js/command-injection", 78, Severity.Critical, "OS command injection", "execSync", 0),
        new("js/code-injection", 94, Severity.Critical, "Code injection", "eval", 0),
        new("js/code-injection", 94, Severity.Critical, "Code injection", "Function", 0),
        new("js/code-injection", 94, Severity.Critical, "Code injection", ".runInNewContext", 0),
        new("js/code-injection", 94, Severity.Critical, "Code injection", ".runInThisContext", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "fetch", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "axios.get", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "got", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "axios", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "axios.post", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "http.get", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "http.request", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "https.get", 0),
        new("js/ssrf", 918, Severity.High, "Server-side request forgery", "https.request", 0),
        new("js/code-injection", 94, Severity.Critical, "Code injection", ".runInContext", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".writeFile", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".writeFileSync", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".sendFile", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".readFile", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".readFileSync", 0),
        new("js/path-traversal", 22, Severity.High, "Path traversal", ".createReadStream", 0),
        new("js/open-redirect", 601, Severity.Medium, "Open redirect", ".redirect", 0),
        new("js/unsafe-deserialization", 502, Severity.High, "Insecure deserialisation", ".unserialize", 0),
    ];

    /// <summary>Why each rule matters and how to fix it, as the reports print them.</summary>
    public static readonly IReadOnlyDictionary<string, (string Impact, string Remediation)> Texts = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["js/sql-injection"] = ("A caller can read, change or delete any data the database user can reach.", "Use a parameterised query: placeholders ($1 or ?) in a literal SQL text and the values in the values array."),
        ["js/command-injection"] = ("A caller can run any command in the function's environment, with its credentials.", "Use execFile/spawn without a shell and pass the input as a separate argument after validating it."),
        ["js/code-injection"] = ("A caller can run any JavaScript in the function, with its credentials.", "Never evaluate input as code; parse data with JSON.parse and dispatch on an allow-list."),
        ["js/ssrf"] = ("A caller can make the function reach internal endpoints or the metadata service.", "Allow-list the hosts the function may call; build the URL from a fixed base and validated parts."),
        ["js/path-traversal"] = ("A caller can read files outside the intended directory (../ or absolute paths).", "Resolve the path against a fixed base and refuse it unless it still starts with the base."),
        ["js/open-redirect"] = ("A caller can send users to a site of their choosing under this domain's name (phishing).", "Redirect only to relative paths or to an allow-list of known URLs."),
        ["js/unsafe-deserialization"] = ("Deserialising input with node-serialize or an unsafe YAML schema runs attacker code.", "Use JSON.parse or js-yaml load with the default (safe) schema."),
    };

    /// <summary>Calls whose result no longer carries handler input (numeric conversion, URL component encoding, escaping).</summary>
    public static readonly IReadOnlySet<string> Sanitisers = new HashSet<string>(StringComparer.Ordinal)
    {
        "parseInt", "parseFloat", "Number", "encodeURIComponent", "escape", "escapeHtml", "basename",
    };

    /// <summary>Identifiers whose members are handler input: the Lambda event and the Express request.</summary>
    public static readonly IReadOnlySet<string> SourceRoots = new HashSet<string>(StringComparer.Ordinal) { "event", "req" };
}
