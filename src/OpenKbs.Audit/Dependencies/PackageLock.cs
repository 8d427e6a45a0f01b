using System.Text.Json;

namespace OpenKbs.Audit.Dependencies;

/// <summary>One installed package of a lockfile: where it is installed, what it is, and how it got there.</summary>
public sealed record LockedPackage(string InstallPath, string Name, string Version)
{
    public bool Dev { get; init; }

    public bool Optional { get; init; }

    public string? Resolved { get; init; }

    public string? Integrity { get; init; }

    public bool HasInstallScript { get; init; }

    /// <summary>1-based line of the entry in the lockfile (0 when unknown).</summary>
    public int Line { get; init; }
}

/// <summary>Why a lockfile cannot be audited.</summary>
public sealed class UnsupportedLockfileException(string message) : Exception(message)
{
    public UnsupportedLockfileException()
        : this("unsupported lockfile")
    {
    }

    public UnsupportedLockfileException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

/// <summary>
/// package-lock.json (or npm-shrinkwrap.json) of lockfileVersion 2 or 3, read from its <c>packages</c> map: every
/// installed copy of every package with its version, dev/optional flags, resolved URL and integrity. Version 1 has no
/// such map (only a nested <c>dependencies</c> tree npm 6 wrote) and is refused with a message that says how to
/// regenerate it; links and workspace folders are the project's own code and are skipped.
/// </summary>
public static class PackageLock
{
    public static IReadOnlyList<LockedPackage> Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new UnsupportedLockfileException($"it is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UnsupportedLockfileException("it is not a JSON object");
            }

            var version = root.TryGetProperty("lockfileVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;
            if (version < 2 || !root.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Object)
            {
                throw new UnsupportedLockfileException(
                    $"lockfileVersion {(version == 0 ? "(missing)" : version)} has no \"packages\" map; only lockfile v2/v3 (npm 7 or later) can be audited. "
                    + "Regenerate it with `npm install --package-lock-only --lockfile-version 3` and commit the result");
            }

            var lines = KeyLines(text);
            var result = new List<LockedPackage>();
            foreach (var entry in packages.EnumerateObject())
            {
                var path = entry.Name;
                var package = entry.Value;
                if (path.Length == 0 || package.ValueKind != JsonValueKind.Object || Bool(package, "link"))
                {
                    continue; // the root project, or a symlink to a workspace folder
                }

                var at = path.LastIndexOf("node_modules/", StringComparison.Ordinal);
                if (at < 0)
                {
                    continue; // a workspace folder: the project's own code
                }

                var name = String(package, "name") ?? path[(at + "node_modules/".Length)..];
                var packageVersion = String(package, "version");
                if (packageVersion is null)
                {
                    continue;
                }

                result.Add(new LockedPackage(path, name, packageVersion)
                {
                    Dev = Bool(package, "dev") || Bool(package, "devOptional"),
                    Optional = Bool(package, "optional"),
                    Resolved = String(package, "resolved"),
                    Integrity = String(package, "integrity"),
                    HasInstallScript = Bool(package, "hasInstallScript"),
                    Line = lines.GetValueOrDefault(path),
                });
            }

            return result;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The line of each <c>"node_modules/...": {</c> key, for locations in the report.</summary>
    private static Dictionary<string, int> KeyLines(string text)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var line = 1;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            var span = text.AsSpan(start, end - start).Trim();
            // A key that opens an object: "node_modules/x": {   (npm writes one per line; compact files keep it on the line)
            if (span.Length > 3 && span[0] == '"')
            {
                var close = span[1..].IndexOf('"');
                if (close > 0 && span[(close + 2)..].TrimStart() is var rest && rest.StartsWith(":", StringComparison.Ordinal) && rest[1..].TrimStart().StartsWith("{", StringComparison.Ordinal))
                {
                    lines.TryAdd(span.Slice(1, close).ToString(), line);
                }
            }

            line++;
            start = end + 1;
        }

        return lines;
    }
}
