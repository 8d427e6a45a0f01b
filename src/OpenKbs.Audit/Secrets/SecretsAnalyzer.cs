using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Intake;

namespace OpenKbs.Audit.Secrets;

/// <summary>
/// The <c>secrets</c> analyzer: keys, tokens, passwords and connection strings in the artifact's text files and in a
/// function's environment, by the rules of <see cref="SecretRules"/>. A value never leaves this class: findings carry
/// a mask and a fingerprint (<see cref="SecretValue"/>), and the evidence line is masked before it is kept.
/// False positives are held down by entropy floors, placeholder and stopword lists, and scope: the heuristic rules
/// skip third-party packages, lockfiles, minified/bundled files and source maps, and report test code at low.
/// </summary>
public sealed class SecretsAnalyzer : IAnalyzer
{
    public const string AnalyzerName = "secrets";
    public const string SensitiveFileRule = "secrets/sensitive-file";
    public const string EnvironmentRule = "secrets/function-environment";

    private static readonly Regex StandaloneAwsSecret = SecretRule.Compile("(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)");

    private static readonly string[] Lockfiles = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"];

    private static readonly string[] TestSegments = ["test", "tests", "__tests__", "spec", "specs", "__mocks__", "fixtures", "testdata", "test-data", "mocks"];

    public string Name => AnalyzerName;

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var generated = artifact.Manifest.Notes
            .Where(n => n.Kind is ArtifactFileKind.Minified or ArtifactFileKind.Bundled || (n.Kind == ArtifactFileKind.SourceMap && n.Path.EndsWith(".map", StringComparison.OrdinalIgnoreCase)))
            .Select(n => n.Path)
            .ToHashSet(StringComparer.Ordinal);
        var findings = new List<Finding>();
        foreach (var file in artifact.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FileClassifier.IsBinary(file.Content.Span))
            {
                findings.AddRange(SensitiveFile(file));
                continue;
            }

            var text = file.Text;
            findings.AddRange(ScanText(file.Path, text, generated.Contains(file.Path)));
            findings.AddRange(SensitiveFile(file, text));
        }

        return Task.FromResult<IReadOnlyList<Finding>>(findings);
    }

    /// <summary>
    /// Scans a function's environment variables (as declared in a Project spec): a secret there is readable by anyone
    /// who may read the function's configuration. <paramref name="resource"/> names where they are, e.g.
    /// "Project team-a/shop, function api". Reported at critical (catalog SEC-ENV-008).
    /// </summary>
    public static IReadOnlyList<Finding> ScanEnvironment(string resource, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var findings = new List<Finding>();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var line = $"{name}={value}";
            var hits = Detect("environment.env", line, allowHeuristics: true);
            var hit = hits.FirstOrDefault();
            if (hit is null)
            {
                continue;
            }

            var fingerprint = SecretValue.Fingerprint(hit.Value);
            findings.Add(new Finding
            {
                Analyzer = AnalyzerName,
                RuleId = EnvironmentRule,
                Severity = Severity.Critical,
                Cwe = 798,
                Title = "Secret in a function's environment variables",
                Message = $"Environment variable {name} of {resource} holds a {hit.Rule.Title.ToLowerInvariant()} ({SecretValue.Mask(hit.Value, PublicPrefix(hit))}).",
                Resource = resource,
                Evidence = $"{name}={SecretValue.Mask(hit.Value, PublicPrefix(hit))}",
                Impact = "Function environment variables are shown in plain text to everyone who may read the function's configuration (console, GetFunctionConfiguration, infrastructure code) and end up in deployment logs.",
                Remediation = "Keep the secret in AWS Secrets Manager or SSM Parameter Store and give the function its ARN; read it at run time with the execution role. Rotate the value that was exposed.",
                Fingerprint = Hash(EnvironmentRule, resource, name, fingerprint),
            });
        }

        return findings;
    }

    internal static IEnumerable<Finding> ScanText(string path, string text, bool generated)
    {
        var thirdParty = IsThirdParty(path);
        var lockfile = Lockfiles.Contains(path[(path.LastIndexOf('/') + 1)..], StringComparer.Ordinal);
        var test = IsTestPath(path);
        var hits = Detect(path, text, allowHeuristics: !thirdParty && !lockfile && !generated && !path.EndsWith(".map", StringComparison.OrdinalIgnoreCase));
        if (hits.Count == 0)
        {
            yield break;
        }

        var lines = new LineIndex(text);
        var pairedAws = hits.Any(h => h.Rule.Id == "secrets/aws-secret-access-key");
        foreach (var hit in hits)
        {
            var severity = hit.Rule.Severity;
            var note = string.Empty;
            if (hit.Rule.Id == "secrets/aws-access-key-id" && pairedAws)
            {
                severity = Severity.Critical;
                note = " Its secret access key is in the same file.";
            }

            if (thirdParty)
            {
                severity = Severity.Low;
                note += " It is inside a third-party package (node_modules), most likely a test fixture of that package; check it and remove the file from the deployment package.";
            }
            else if (test && hit.Rule.Scope == SecretRuleScope.Heuristic)
            {
                severity = Severity.Low;
                note += " It is in test code.";
            }

            var (line, column) = lines.Position(hit.Index);
            var mask = SecretValue.Mask(hit.Value, PublicPrefix(hit));
            var fingerprint = SecretValue.Fingerprint(hit.Value);
            yield return new Finding
            {
                Analyzer = AnalyzerName,
                RuleId = hit.Rule.Id,
                Severity = severity,
                Cwe = hit.Rule.Cwe,
                Title = hit.Rule.Title,
                Message = $"{hit.Rule.Title} in {path} at line {line}: {mask}.{note}",
                Location = new SourceLocation(path, line, column),
                Evidence = Evidence(lines, text, hit, hits),
                Impact = hit.Rule.Impact,
                Remediation = hit.Rule.Remediation,
                Fingerprint = Hash(hit.Rule.Id, path, fingerprint),
            };
        }
    }

    /// <summary>Every accepted value in <paramref name="text"/>, in text order, each value once (the most specific rule wins).</summary>
    private static List<Hit> Detect(string path, string text, bool allowHeuristics)
    {
        var hits = new List<Hit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var covered = new List<(int Start, int End)>();
        foreach (var rule in SecretRules.All)
        {
            if ((rule.Scope == SecretRuleScope.Heuristic && !allowHeuristics) || (rule.Files is not null && !rule.Files(path)))
            {
                continue;
            }

            foreach (Match match in rule.Pattern.Matches(text))
            {
                var group = match.Groups[rule.ValueGroup];
                var value = group.Value;
                if (value.Length == 0 || seen.Contains(value) || covered.Any(c => group.Index < c.End && c.Start < group.Index + group.Length))
                {
                    continue;
                }

                if (SecretValue.Entropy(value) < rule.MinEntropy || (rule.Accept is not null && !rule.Accept(value, match, text)))
                {
                    continue;
                }

                seen.Add(value);
                covered.Add((group.Index, group.Index + group.Length));
                hits.Add(new Hit(rule, value, group.Index));
            }
        }

        // An access key ID without a named secret: a lone 40-character token of high entropy in the same text is its
        // likely secret (trufflehog's pairing; entropy 4.25).
        if (hits.Any(h => h.Rule.Id == "secrets/aws-access-key-id") && !hits.Any(h => h.Rule.Id == "secrets/aws-secret-access-key"))
        {
            var secretRule = SecretRules.All.First(r => r.Id == "secrets/aws-secret-access-key");
            foreach (Match match in StandaloneAwsSecret.Matches(text))
            {
                var group = match.Groups[1];
                var value = group.Value;
                if (!seen.Contains(value) && SecretValue.Entropy(value) >= 4.25 && !value.Contains("EXAMPLE", StringComparison.Ordinal)
                    && value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower))
                {
                    seen.Add(value);
                    hits.Add(new Hit(secretRule, value, group.Index));
                }
            }
        }

        hits.Sort((a, b) => a.Index.CompareTo(b.Index));
        return hits;
    }

    /// <summary>The line of the hit with every value found in the text masked, cut to a window around the hit.</summary>
    private static string Evidence(LineIndex lines, string text, Hit hit, IReadOnlyList<Hit> all)
    {
        var (line, _) = lines.Position(hit.Index);
        var (start, end) = lines.Bounds(line);
        var builder = new StringBuilder();
        var at = start;
        var maskedAt = -1;
        foreach (var other in all.Where(h => h.Index + h.Value.Length > start && h.Index < end).OrderBy(h => h.Index))
        {
            var from = Math.Max(other.Index, at);
            builder.Append(text, at, from - at);
            if (other == hit)
            {
                maskedAt = builder.Length;
            }

            var mask = SecretValue.Mask(other.Value, PublicPrefix(other));
            builder.Append(other.Value.Contains('\n', StringComparison.Ordinal) ? mask + $" ({other.Value.Count(c => c == '\n') + 1} lines)" : mask);
            at = Math.Min(end, other.Index + other.Value.Length);
            if (other.Index + other.Value.Length > end)
            {
                at = end;
                break;
            }
        }

        if (at < end)
        {
            builder.Append(text, at, end - at);
        }

        var evidence = builder.ToString().Trim();
        if (evidence.Length > 200)
        {
            var centre = Math.Max(0, maskedAt - (builder.Length - builder.ToString().TrimStart().Length));
            var from = Math.Clamp(centre - 80, 0, Math.Max(0, evidence.Length - 200));
            evidence = string.Concat(from > 0 ? "..." : string.Empty, evidence.AsSpan(from, Math.Min(200, evidence.Length - from)), from + 200 < evidence.Length ? "..." : string.Empty);
        }

        // The value must not survive in any form we know of; if it does (it should not), say nothing of the line.
        return all.Any(h => evidence.Contains(h.Value, StringComparison.Ordinal)) ? SecretValue.Mask(hit.Value, PublicPrefix(hit)) : evidence;
    }

    /// <summary>Files that should not ship at all: dotenv files, .npmrc with a token, SSH keys, keystores, credential files.</summary>
    private static IEnumerable<Finding> SensitiveFile(ArtifactFile file, string? text = null)
    {
        var path = file.Path;
        if (IsThirdParty(path))
        {
            yield break;
        }

        var name = path[(path.LastIndexOf('/') + 1)..];
        var lower = name.ToLowerInvariant();
        string? why = null;
        if (lower.StartsWith(".env", StringComparison.Ordinal) && !(lower.EndsWith(".example", StringComparison.Ordinal) || lower.EndsWith(".sample", StringComparison.Ordinal) || lower.EndsWith(".template", StringComparison.Ordinal) || lower.EndsWith(".dist", StringComparison.Ordinal)))
        {
            why = "a dotenv file (local environment settings, usually credentials)";
        }
        else if (lower == ".npmrc" && text is not null && (text.Contains("_authToken=", StringComparison.Ordinal) || text.Contains("_auth=", StringComparison.Ordinal) || text.Contains("_password=", StringComparison.Ordinal)))
        {
            why = "an .npmrc with registry credentials";
        }
        else if (lower is "id_rsa" or "id_dsa" or "id_ecdsa" or "id_ed25519" or ".git-credentials" or ".pgpass" or ".netrc" or ".htpasswd" or "credentials.json" or "service-account.json"
                 || lower.EndsWith(".p12", StringComparison.Ordinal) || lower.EndsWith(".pfx", StringComparison.Ordinal) || lower.EndsWith(".jks", StringComparison.Ordinal) || lower.EndsWith(".keystore", StringComparison.Ordinal)
                 || (path.EndsWith(".aws/credentials", StringComparison.Ordinal) || lower == "credentials") && text is not null && text.Contains("aws_secret_access_key", StringComparison.OrdinalIgnoreCase))
        {
            why = "a credential or key store file";
        }

        if (why is null)
        {
            yield break;
        }

        yield return new Finding
        {
            Analyzer = AnalyzerName,
            RuleId = SensitiveFileRule,
            Severity = Severity.High,
            Cwe = 538,
            Title = "Credential file in the deployment package",
            Message = $"{path} is {why} and ships with the artifact.",
            Location = new SourceLocation(path, 1),
            Evidence = $"{path} ({file.Content.Length} bytes)",
            Impact = "Whatever the file holds is readable by everyone who can read the artifact or the function's code, and it usually holds more than the function needs.",
            Remediation = "Exclude the file from the package (.npmignore / files in package.json / the bundler's config), move the values to AWS Secrets Manager and rotate them.",
            Fingerprint = Hash(SensitiveFileRule, path),
        };
    }

    /// <summary>
    /// The part of a value that only names the kind of key: the rule's prefix extended to its separator ("gh" to "ghp_",
    /// "xox" to "xoxb-"), or the four letters of an AWS key ID (AKIA long-lived, ASIA session).
    /// </summary>
    private static string? PublicPrefix(Hit hit)
    {
        var prefix = hit.Rule.PublicPrefix;
        if (prefix is null || !hit.Value.StartsWith(prefix[..Math.Min(prefix.Length, 1)], StringComparison.Ordinal))
        {
            return null;
        }

        if (hit.Rule.Id == "secrets/aws-access-key-id")
        {
            return hit.Value[..4];
        }

        if (!hit.Value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = hit.Value.IndexOfAny(['_', '-'], prefix.Length > 0 && prefix[^1] is '_' or '-' ? prefix.Length - 1 : prefix.Length);
        return separator >= 0 && separator < 9 ? hit.Value[..(separator + 1)] : prefix;
    }

    private static bool IsThirdParty(string path) => path.StartsWith("node_modules/", StringComparison.Ordinal) || path.Contains("/node_modules/", StringComparison.Ordinal);

    internal static bool IsTestPath(string path)
    {
        var segments = path.Split('/');
        var name = segments[^1];
        return segments[..^1].Any(s => TestSegments.Contains(s, StringComparer.OrdinalIgnoreCase))
            || name.Contains(".test.", StringComparison.OrdinalIgnoreCase) || name.Contains(".spec.", StringComparison.OrdinalIgnoreCase);
    }

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    private sealed record Hit(SecretRule Rule, string Value, int Index);

    /// <summary>Offsets to 1-based line and column.</summary>
    private sealed class LineIndex
    {
        private readonly List<int> _starts = [0];
        private readonly int _length;

        public LineIndex(string text)
        {
            _length = text.Length;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public (int Line, int Column) Position(int offset)
        {
            var index = _starts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            return (line + 1, offset - _starts[line] + 1);
        }

        /// <summary>Start and end (exclusive, before '\n') of a 1-based line.</summary>
        public (int Start, int End) Bounds(int line)
        {
            var start = _starts[line - 1];
            var end = line < _starts.Count ? _starts[line] - 1 : _length;
            return (start, Math.Max(start, end));
        }
    }
}
