using System.Diagnostics;
using System.Text.Json;

namespace OpenKbs.Audit.Tests.Code;

/// <summary>
/// The second engine: ESLint 9 with eslint-plugin-security's recommended rules (tests/eslint-baseline, installed from its
/// committed lock by <c>make eslint-baseline-deps</c>) over the labelled corpus, its findings mapped to CWEs. Shared (as a
/// linked source file) by <see cref="EslintBaselineTests"/> and the bench's corpus comparison, so both score the same way.
/// </summary>
internal static class EslintBaseline
{
    /// <summary>ESLint rule id to the CWE class of the corpus; rules outside the corpus classes (detect-object-injection,
    /// detect-unsafe-regex, ...) are not scored but counted.</summary>
    public static readonly IReadOnlyDictionary<string, int> RuleCwe = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["security/detect-child-process"] = 78,
        ["security/detect-non-literal-fs-filename"] = 22,
        ["security/detect-eval-with-expression"] = 94,
        ["security/detect-non-literal-require"] = 94,
        ["no-eval"] = 94,
        ["no-implied-eval"] = 94,
        ["no-new-func"] = 94,
        ["security/detect-disable-mustache-escape"] = 79,
        ["security/detect-pseudoRandomBytes"] = 338,
    };

    public static string Directory => Path.Combine(RepositoryFiles.Root, "tests", "eslint-baseline");

    /// <summary>The ESLint version installed from the lock (node_modules/eslint/package.json).</summary>
    public static string Version(string package)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "node_modules", package, "package.json")));
        return manifest.RootElement.GetProperty("version").GetString()!;
    }

    /// <exception cref="InvalidOperationException">ESLint is not installed, or it failed.</exception>
    public static async Task<(IReadOnlyList<CorpusHit> Mapped, int Unmapped)> RunAsync()
    {
        var eslint = Path.Combine(Directory, "node_modules", "eslint", "bin", "eslint.js");
        if (!File.Exists(eslint))
        {
            throw new InvalidOperationException($"{eslint} is missing: run `make eslint-baseline-deps` (npm ci in tests/eslint-baseline)");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = CorpusScore.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { eslint, "-c", Path.Combine(Directory, "eslint.config.mjs"), "-f", "json", "." })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"eslint exited with {process.ExitCode}: {await stderr}");
        }

        using var report = JsonDocument.Parse(await stdout);
        var mapped = new List<CorpusHit>();
        var unmapped = 0;
        foreach (var file in report.RootElement.EnumerateArray())
        {
            var path = Path.GetRelativePath(CorpusScore.Directory, file.GetProperty("filePath").GetString()!).Replace('\\', '/');
            foreach (var message in file.GetProperty("messages").EnumerateArray())
            {
                var rule = message.TryGetProperty("ruleId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : string.Empty;
                if (RuleCwe.TryGetValue(rule, out var cwe))
                {
                    mapped.Add(new CorpusHit(path, message.GetProperty("line").GetInt32(), cwe));
                }
                else
                {
                    unmapped++;
                }
            }
        }

        return (mapped, unmapped);
    }
}
