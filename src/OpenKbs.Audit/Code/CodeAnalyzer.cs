using System.Security.Cryptography;
using System.Text;
using Acornima;
using Acornima.Ast;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;
using SourceLocation = OpenKbs.Audit.Findings.SourceLocation;

namespace OpenKbs.Audit.Code;

/// <summary>
/// The <c>code</c> analyzer (SAST) over the JavaScript files of an artifact, on Acornima. Each .js/.mjs/.cjs file is
/// parsed as an ES module and, when that fails, as a script; a file neither parse accepts is reported as an
/// info-severity <c>js/parse-error</c> finding (a note the report surfaces) instead of failing the run.
/// All parsed files go together through <see cref="TaintEngine"/> (calls across modules) with the tables of <see cref="SinkCatalog"/>.
/// </summary>
public sealed partial class CodeAnalyzer : IAnalyzer
{
    public const string ParseErrorRule = "js/parse-error";

    /// <summary>An info note: a file's analysis stopped early (nesting deeper than the stack allows); its findings may be incomplete.</summary>
    public const string IncompleteRule = "js/analysis-incomplete";

    public string Name => "code";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var findings = new List<Finding>();
        var yamlLoadUnsafe = JsYamlLoadIsUnsafe(artifact);

        // Modules that reach each other by relative require/import are analysed together; each group on its own, so
        // only one group's ASTs and scopes are alive at a time (memory stays bounded by the largest group).
        foreach (var group in ModuleGroups([.. artifact.Files.Where(f => IsJavaScript(f.Path))]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parsed = new List<ModuleState>();
            foreach (var file in group)
            {
                if (TryParse(file, out var program, out var error))
                {
                    parsed.Add(new ModuleState(file.Path, file.Text, program!));
                }
                else
                {
                    findings.Add(error!);
                }
            }

            var engine = new TaintEngine(parsed, yamlLoadUnsafe);
            findings.AddRange(engine.Run(cancellationToken));
            findings.AddRange(engine.Incomplete.Select(IncompleteNote));
        }

        findings.Sort((a, b) => (a.Location?.Path, a.Location?.Line, a.Location?.Column).CompareTo((b.Location?.Path, b.Location?.Line, b.Location?.Column)));
        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }

    private static Finding IncompleteNote(string path) => new()
    {
        Analyzer = "code",
        RuleId = IncompleteRule,
        Severity = Severity.Info,
        Title = "File only partly analysed",
        Message = $"{path} nests expressions or calls deeper than the analyzer's stack allows; the analysis of this file stopped early and may miss findings.",
        Location = new SourceLocation(path, 1),
        Remediation = "Audit the unbundled source rather than generated or minified code.",
        Fingerprint = Fingerprint(IncompleteRule, path, string.Empty, string.Empty),
    };

    /// <summary>The JavaScript files in groups connected by relative <c>require</c>/<c>import</c>/<c>from</c> specifiers (found by a
    /// regular expression over the text; an edge it misses only makes a cross-module call unresolved), in path order.</summary>
    internal static List<List<ArtifactFile>> ModuleGroups(List<ArtifactFile> files)
    {
        var index = files.Select((f, i) => (f.Path, i)).ToDictionary(x => x.Path, x => x.i, StringComparer.Ordinal);
        var parent = Enumerable.Range(0, files.Count).ToArray();
        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        for (var i = 0; i < files.Count; i++)
        {
            foreach (System.Text.RegularExpressions.Match match in RelativeSpecifier().Matches(files[i].Text))
            {
                if (TaintEngine.Resolve(files[i].Path, match.Groups[1].Value, index.ContainsKey) is { } target)
                {
                    parent[Find(i)] = Find(index[target]);
                }
            }
        }

        return [.. Enumerable.Range(0, files.Count).GroupBy(Find).Select(g => g.Select(i => files[i]).ToList()).OrderBy(g => g[0].Path, StringComparer.Ordinal)];
    }

    [System.Text.RegularExpressions.GeneratedRegex("""(?:\brequire\s*\(\s*|\bfrom\s*|\bimport\s*\(?\s*)['"`](\.{1,2}/[^'"`\r\n]+)['"`]""")]
    private static partial System.Text.RegularExpressions.Regex RelativeSpecifier();

    /// <summary>Whether the artifact's package.json (the shortest path) depends on js-yaml before 4, whose <c>load</c> runs the unsafe full schema.</summary>
    internal static bool JsYamlLoadIsUnsafe(ArtifactContents artifact)
    {
        var manifest = artifact.Files.Where(f => f.Path == "package.json" || f.Path.EndsWith("/package.json", StringComparison.Ordinal))
            .Where(f => !f.Path.Contains("node_modules/", StringComparison.Ordinal))
            .OrderBy(f => f.Path.Length).FirstOrDefault();
        if (manifest is null)
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(manifest.Content);
            foreach (var section in new[] { "dependencies", "devDependencies" })
            {
                if (document.RootElement.TryGetProperty(section, out var deps) && deps.ValueKind == System.Text.Json.JsonValueKind.Object
                    && deps.TryGetProperty("js-yaml", out var range) && range.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    var digits = new string(range.GetString()!.SkipWhile(c => !char.IsDigit(c)).TakeWhile(char.IsDigit).ToArray());
                    return int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var major) && major < 4;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // An unreadable package.json: the version is unknown, so js-yaml load is judged by its schema only.
        }

        return false;
    }

    /// <summary>Whether a path is JavaScript source this analyzer reads.</summary>
    public static bool IsJavaScript(string path) =>
        path.EndsWith(".js", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".cjs", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses one file as a module, then as a script; returns the parse-error note when both fail, else null.</summary>
    internal static Finding? Parse(ArtifactFile file) => TryParse(file, out _, out var error) ? null : error;

    /// <summary>Parses one file as a module, then as a script (CommonJS that uses <c>with</c> or octal literals).</summary>
    internal static bool TryParse(ArtifactFile file, out Program? program, out Finding? error)
    {
        var text = file.Text;
        var parser = new Parser();
        ParseErrorException moduleError;
        try
        {
            program = parser.ParseModule(text, file.Path);
            error = null;
            return true;
        }
        catch (ParseErrorException ex)
        {
            // Not a module: try sloppy-mode script below.
            moduleError = ex;
        }

        try
        {
            program = parser.ParseScript(text, file.Path);
            error = null;
            return true;
        }
        catch (ParseErrorException scriptError)
        {
            // Report the parse that got further: an ES module fails late, a CommonJS script fails at its syntax error.
            var ex = (scriptError.LineNumber, scriptError.Column).CompareTo((moduleError.LineNumber, moduleError.Column)) >= 0
                ? scriptError
                : moduleError;
            program = null;
            error = new Finding
            {
                Analyzer = "code",
                RuleId = ParseErrorRule,
                Severity = Severity.Info,
                Title = "File could not be parsed",
                Message = $"{file.Path} is not valid JavaScript (as module or script): {ex.Message}. It was not analysed.",
                Location = new SourceLocation(file.Path, Math.Max(1, ex.LineNumber), Math.Max(1, ex.Column + 1)),
                Remediation = "Audit the built JavaScript (not TypeScript or templates); fix the syntax error.",
                Fingerprint = Fingerprint(ParseErrorRule, file.Path, string.Empty, string.Empty),
            };
            return false;
        }
    }

    /// <summary>A stable identity: SHA-256 of rule, path, whitespace-normalised sink text and source kind; no line numbers.</summary>
    public static string Fingerprint(string ruleId, string path, string sinkText, string sourceKind)
    {
        var normalised = string.Join(' ', sinkText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{ruleId}\n{path}\n{normalised}\n{sourceKind}"));
        return Convert.ToHexStringLower(bytes);
    }
}
