using System.Text;
using OpenKbs.Audit.Artifacts;

namespace OpenKbs.Audit.Intake;

/// <summary>
/// Recognises minified and bundled JavaScript and source maps, so the report can say which findings point into code no
/// person wrote line by line, and that original sources ship with the artifact.
/// </summary>
internal static class FileClassifier
{
    /// <summary>Markers bundlers leave in their output (webpack, esbuild, rollup/commonjs plugin, parcel, browserify).</summary>
    private static readonly (string Marker, string Bundler)[] BundleMarkers =
    [
        ("__webpack_require__", "webpack"),
        ("__webpack_modules__", "webpack"),
        ("__commonJS(", "esbuild"),
        ("__toESM(", "esbuild"),
        ("getDefaultExportFromCjs", "rollup"),
        ("parcelRequire", "parcel"),
        ("require=function e(t,n,r){", "browserify"),
    ];

    private const string SourceMappingUrl = "# sourceMappingURL=";

    public static IEnumerable<ArtifactNote> Classify(ArtifactFile file)
    {
        var path = file.Path;
        if (path.EndsWith(".map", StringComparison.OrdinalIgnoreCase) || (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && LooksLikeSourceMap(file.Content.Span)))
        {
            yield return new ArtifactNote(path, ArtifactFileKind.SourceMap, "source map (version 3 with mappings); it exposes the original source names and often their text");
            yield break;
        }

        if (!IsJavaScript(path) || IsBinary(file.Content.Span))
        {
            yield break;
        }

        var text = file.Text;
        var bundler = BundleMarkers.FirstOrDefault(m => text.Contains(m.Marker, StringComparison.Ordinal));
        if (bundler.Marker is not null)
        {
            yield return new ArtifactNote(path, ArtifactFileKind.Bundled, $"{bundler.Bundler} bundle (contains '{bundler.Marker}'); dependencies are inlined and analysed as part of it");
        }

        var minified = MinifiedReason(path, text);
        if (minified is not null)
        {
            yield return new ArtifactNote(path, ArtifactFileKind.Minified, minified);
        }

        var mapAt = text.LastIndexOf(SourceMappingUrl, StringComparison.Ordinal);
        if (mapAt >= 0)
        {
            var target = text[(mapAt + SourceMappingUrl.Length)..].Split('\n', 2)[0].Trim();
            var inline = target.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
            yield return new ArtifactNote(
                path,
                ArtifactFileKind.SourceMap,
                inline ? "inline source map (data: URI) embedded in the file" : $"references source map '{Truncate(target, 120)}'");
        }
    }

    public static bool IsJavaScript(string path) =>
        path.EndsWith(".js", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".cjs", StringComparison.OrdinalIgnoreCase);

    /// <summary>A NUL byte in the first 8 KiB: not text.</summary>
    public static bool IsBinary(ReadOnlySpan<byte> content) => content[..Math.Min(content.Length, 8192)].Contains((byte)0);

    private static string? MinifiedReason(string path, string text)
    {
        if (path.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".min.mjs", StringComparison.OrdinalIgnoreCase))
        {
            return "minified (named *.min.js)";
        }

        if (text.Length < 2048)
        {
            return null;
        }

        // Minifiers put whole modules on a few very long lines; hand-written code averages well under 100 characters.
        var lines = 0;
        var longest = 0;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            lines++;
            longest = Math.Max(longest, end - start);
            start = end + 1;
        }

        var average = text.Length / lines;
        return longest >= 1000 && average >= 250
            ? $"minified ({lines} line(s), average {average} characters, longest {longest})"
            : null;
    }

    private static bool LooksLikeSourceMap(ReadOnlySpan<byte> content)
    {
        var head = Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]);
        return head.Contains("\"version\":3", StringComparison.Ordinal) || head.Contains("\"version\": 3", StringComparison.Ordinal)
            ? head.Contains("\"mappings\"", StringComparison.Ordinal) || head.Contains("\"sources\"", StringComparison.Ordinal)
            : false;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "...";
}
