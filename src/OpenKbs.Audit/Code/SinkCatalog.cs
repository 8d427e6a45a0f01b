using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Code;

/// <summary>A rule of the code analyzer: what it is (CWE, severity, title) and what the reports print about it.</summary>
public sealed record CodeRule(string Id, int Cwe, Severity Severity, string Title, string Impact, string Remediation);

/// <summary>
/// One sink: a call whose callee resolves to <see cref="Method"/> of one of <see cref="Modules"/> and whose arguments
/// <see cref="Arguments"/> must not carry handler input. Module names are normalised (no <c>node:</c> prefix,
/// <c>fs/promises</c> is <c>fs</c>); <c>""</c> is a global (not shadowed by a local name), <see cref="SinkCatalog.Response"/>
/// the HTTP response object of an Express-style route, <see cref="SinkCatalog.AnyReceiver"/> a member call on a receiver
/// the engine cannot resolve (raw <c>db.query(sql)</c>). <see cref="Method"/> <c>""</c> is the module itself called
/// (<c>axios(url)</c>). <see cref="Condition"/> names an extra requirement (<c>shell</c>: the options argument has
/// <c>shell: true</c>; <c>unsafe-yaml</c>: js-yaml before 4 or an unsafe schema).
/// </summary>
public sealed record SinkSpec(string RuleId, IReadOnlyList<string> Modules, string Method, IReadOnlyList<int> Arguments, string? Condition = null, TaintKind Kind = TaintKind.Input);

/// <summary>What a value carries: handler input, an error object (for CWE-209) or a <c>Math.random</c> number (CWE-338).</summary>
public enum TaintKind
{
    Input,
    Error,
    Random,
}

/// <summary>
/// Sources, sinks and sanitisers as data, not code paths: <see cref="TaintEngine"/> reads these tables and knows no
/// library by name itself. See docs/audit-code.md.
/// </summary>
public static class SinkCatalog
{
    /// <summary>The Express-style response object (the parameter after <c>req</c> in a route callback).</summary>
    public const string Response = "$response";

    /// <summary>A member call on a receiver the engine could not resolve to a module.</summary>
    public const string AnyReceiver = "*";

    public static readonly IReadOnlyDictionary<string, CodeRule> Rules = new[]
    {
        new CodeRule("js/sql-injection", 89, Severity.Critical, "SQL injection", "A caller can read, change or delete any data the database user can reach.", "Use a parameterised query: placeholders ($1 or ?) in a literal SQL text and the values in the values array."),
        new CodeRule("js/nosql-injection", 943, Severity.High, "NoSQL operator injection", "A caller can send an object such as {\"$ne\": null} instead of a value and match, change or delete any document.", "Convert each input to the expected type (String(x), Number(x)) before it goes into a filter or update, or validate it against a schema."),
        new CodeRule("js/command-injection", 78, Severity.Critical, "OS command injection", "A caller can run any command in the function's environment, with its credentials.", "Use execFile/spawn without a shell and pass the input as a separate argument after validating it."),
        new CodeRule("js/code-injection", 94, Severity.Critical, "Code injection", "A caller can run any JavaScript in the function, with its credentials.", "Never evaluate input as code; parse data with JSON.parse and dispatch on an allow-list."),
        new CodeRule("js/ssrf", 918, Severity.High, "Server-side request forgery", "A caller can make the function reach internal endpoints or the metadata service.", "Allow-list the hosts the function may call; build the URL from a fixed base and validated parts."),
        new CodeRule("js/path-traversal", 22, Severity.High, "Path traversal", "A caller can read or write files outside the intended directory (../ or absolute paths).", "Resolve the path against a fixed base and refuse it unless it still starts with the base plus a separator."),
        new CodeRule("js/xss", 79, Severity.High, "Cross-site scripting", "A caller can make the response run script in another user's browser under this site's origin.", "Return JSON, or escape every input placed in HTML (escapeHtml) and set a restrictive Content-Security-Policy."),
        new CodeRule("js/open-redirect", 601, Severity.Medium, "Open redirect", "A caller can send users to a site of their choosing under this domain's name (phishing).", "Redirect only to relative paths or to an allow-list of known URLs."),
        new CodeRule("js/unsafe-deserialization", 502, Severity.High, "Insecure deserialisation", "Deserialising input with node-serialize or an unsafe YAML schema runs attacker code.", "Use JSON.parse, or js-yaml 4 load with the default (safe) schema."),
        new CodeRule("js/stack-trace-exposure", 209, Severity.Medium, "Error details in an HTTP response", "Stack traces and error messages tell an attacker about file paths, libraries, queries and internal hosts.", "Log the error server-side with a correlation id and return a generic message with that id."),
        new CodeRule("js/weak-password-hash", 328, Severity.High, "Weak hash for a password", "MD5 and SHA-1 password hashes are cracked at billions of guesses per second once the table leaks.", "Hash passwords with scrypt, argon2 or bcrypt (crypto.scrypt with a per-user salt)."),
        new CodeRule("js/insecure-randomness", 338, Severity.High, "Predictable random value for a secret", "Math.random is not a cryptographic generator; its tokens and ids can be predicted from a few samples.", "Use crypto.randomUUID() or crypto.randomBytes(32).toString('base64url')."),
        new CodeRule("js/missing-authorization", 862, Severity.High, "State change without an authorisation check", "Anyone who can reach the endpoint can change or delete data; nothing checks who the caller is or what they may do.", "Check the caller's identity and permission (an API Gateway authorizer, verified JWT claims or auth middleware) before the change."),
    }.ToDictionary(rule => rule.Id, StringComparer.Ordinal);

    private static readonly string[] SqlModules = ["pg", "mysql", "mysql2", "mysql2/promise", "mssql", "sequelize", AnyReceiver];
    private static readonly string[] MongoModules = ["mongodb", "mongoose"];
    private static readonly string[] FsModules = ["fs", "fs-extra"];
    private static readonly string[] ChildProcess = ["child_process"];

    public static readonly IReadOnlyList<SinkSpec> Sinks =
    [
        .. new[] { "query", "execute" }.Select(m => new SinkSpec("js/sql-injection", SqlModules, m, [0])),
        new("js/sql-injection", ["knex"], "raw", [0]),
        .. new[] { "find", "findOne", "updateOne", "updateMany", "deleteOne", "deleteMany", "findOneAndUpdate", "findOneAndDelete", "replaceOne", "countDocuments" }
            .Select(m => new SinkSpec("js/nosql-injection", MongoModules, m, [0])),
        new("js/command-injection", ChildProcess, "exec", [0]),
        new("js/command-injection", ChildProcess, "execSync", [0]),
        new("js/command-injection", ["shelljs"], "exec", [0]),
        .. new[] { "spawn", "spawnSync", "execFile", "execFileSync" }.Select(m => new SinkSpec("js/command-injection", ChildProcess, m, [0, 1], "shell")),
        new("js/code-injection", [""], "eval", [0]),
        new("js/code-injection", [""], "Function", [0, 1, 2]),
        .. new[] { "runInNewContext", "runInThisContext", "runInContext", "Script", "compileFunction" }.Select(m => new SinkSpec("js/code-injection", ["vm"], m, [0])),
        new("js/ssrf", [""], "fetch", [0]),
        new("js/ssrf", ["node-fetch"], "", [0]),
        .. new[] { "", "get", "post", "put", "delete", "patch", "request" }.Select(m => new SinkSpec("js/ssrf", ["axios", "got"], m, [0])),
        .. new[] { "get", "request" }.Select(m => new SinkSpec("js/ssrf", ["http", "https"], m, [0])),
        .. new[] { "request", "fetch" }.Select(m => new SinkSpec("js/ssrf", ["undici"], m, [0])),
        .. new[] { "readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync", "createReadStream", "createWriteStream", "unlink", "unlinkSync", "rm", "rmSync", "readdir", "readdirSync", "open", "openSync" }
            .Select(m => new SinkSpec("js/path-traversal", FsModules, m, [0])),
        new("js/path-traversal", [Response], "sendFile", [0]),
        new("js/path-traversal", [Response], "download", [0]),
        .. new[] { "send", "write", "end" }.Select(m => new SinkSpec("js/xss", [Response], m, [0])),
        new("js/open-redirect", [Response], "redirect", [0, 1]),
        new("js/open-redirect", [Response], "location", [0]),
        new("js/open-redirect", [Response], "setHeader", [1], "location-header"),
        new("js/open-redirect", [Response], "set", [1], "location-header"),
        new("js/unsafe-deserialization", ["node-serialize"], "unserialize", [0]),
        new("js/unsafe-deserialization", ["js-yaml"], "unsafeLoad", [0]),
        new("js/unsafe-deserialization", ["js-yaml"], "load", [0], "unsafe-yaml"),
        .. new[] { "send", "json", "write", "end" }.Select(m => new SinkSpec("js/stack-trace-exposure", [Response], m, [0], Kind: TaintKind.Error)),
    ];

    /// <summary>CWEs an input can no longer reach after the named call (by the callee's last name); an empty set means every CWE.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<int>> Sanitisers = new Dictionary<string, IReadOnlySet<int>>(StringComparer.Ordinal)
    {
        ["parseInt"] = new HashSet<int>(),
        ["parseFloat"] = new HashSet<int>(),
        ["Number"] = new HashSet<int>(),
        ["Boolean"] = new HashSet<int>(),
        ["isInteger"] = new HashSet<int>(),
        ["randomUUID"] = new HashSet<int>(),
        ["String"] = new HashSet<int> { 943 },
        ["encodeURIComponent"] = new HashSet<int> { 22, 78, 79, 94, 601, 918, 943 },
        ["escapeHtml"] = new HashSet<int> { 79 },
        ["escape"] = new HashSet<int> { 79 },
        ["encode"] = new HashSet<int> { 79 },
        ["sanitize"] = new HashSet<int> { 79 },
        ["stringify"] = new HashSet<int> { 79, 943 },
        ["basename"] = new HashSet<int> { 22 },
        ["escapeLiteral"] = new HashSet<int> { 89 },
        ["escapeIdentifier"] = new HashSet<int> { 89 },
        ["quote"] = new HashSet<int> { 78 },
    };

    /// <summary>Guards: <c>x.startsWith(base)</c> clears these CWEs for <c>x</c>; allow-list and regex guards clear all.</summary>
    public static readonly IReadOnlySet<int> PrefixGuardClears = new HashSet<int> { 22, 601, 918 };

    /// <summary>Parameter names that are handler input: the Lambda event and the Express request.</summary>
    public static readonly IReadOnlySet<string> SourceRoots = new HashSet<string>(StringComparer.Ordinal) { "event", "req", "request" };

    /// <summary>Parameter names of the response object in a route callback that also has a source parameter.</summary>
    public static readonly IReadOnlySet<string> ResponseNames = new HashSet<string>(StringComparer.Ordinal) { "res", "response", "reply" };

    /// <summary>Members of handler input that an authoriser has already validated (not attacker-controlled).</summary>
    public static readonly IReadOnlySet<string> TrustedInputMembers = new HashSet<string>(StringComparer.Ordinal) { "authorizer", "user" };

    /// <summary>Calls whose result carries their arguments' taint (string building in the standard library).</summary>
    public static readonly IReadOnlySet<string> PropagatingModules = new HashSet<string>(StringComparer.Ordinal) { "", "path", "util", "url", "querystring", "buffer" };

    /// <summary>Hash algorithms too fast or broken for passwords.</summary>
    public static readonly IReadOnlySet<string> WeakHashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "md5", "sha1", "sha-1", "md4" };

    /// <summary>Names that say a value is a password (for <see cref="WeakHashes"/>).</summary>
    public const string PasswordNamePattern = @"(?i)pass(word|wd)?|pwd|secret";

    /// <summary>Names that say a value is a secret token or identifier (for <c>Math.random</c>).</summary>
    public const string TokenNamePattern = @"(?i)token|secret|session|nonce|password|otp|apikey|api_key|salt|(^|_)id$|[a-z]Id$|^id$|key$";

    /// <summary>Calls that change state (for the missing-authorisation rule), by the callee's last name.</summary>
    public static readonly IReadOnlySet<string> StateChangingCalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "insertOne", "insertMany", "updateOne", "updateMany", "deleteOne", "deleteMany", "replaceOne", "findOneAndUpdate",
        "findOneAndDelete", "writeFile", "writeFileSync", "unlink", "unlinkSync", "rm", "rmSync", "destroy", "putItem", "deleteItem", "updateItem",
    };

    /// <summary>AWS SDK v3 commands that change state (passed to <c>client.send</c>).</summary>
    public static readonly IReadOnlySet<string> StateChangingCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "PutCommand", "DeleteCommand", "UpdateCommand", "PutItemCommand", "DeleteItemCommand", "UpdateItemCommand",
        "PutObjectCommand", "DeleteObjectCommand", "TransactWriteCommand", "BatchWriteCommand",
    };

    /// <summary>SQL texts that change state.</summary>
    public const string StateChangingSqlPattern = @"(?i)^\s*(insert|update|delete|drop|alter|truncate|create|grant)\b";

    /// <summary>Source text in a handler (or its middleware) that shows an authorisation check.</summary>
    public const string AuthorisationPattern = @"(?i)authori[sz]|authenticat|requireAuth|verify(Token|Jwt|Session)?\b|jwt|isAdmin|hasRole|hasPermission|checkAccess|assertCan|\bclaims\b|req\.user|ensureOwner|canEdit";
}
