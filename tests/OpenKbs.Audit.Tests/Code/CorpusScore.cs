using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenKbs.Audit.Artifacts;

namespace OpenKbs.Audit.Tests.Code;

/// <summary>A finding as the corpus scores it: file (relative to the corpus), line and CWE.</summary>
internal sealed record CorpusHit(string File, int Line, int Cwe);

/// <summary>Recall and false-positive rate of one CWE class: expected sinks found, and findings that match no expected sink.</summary>
internal sealed record ClassScore(int Cwe, int Expected, int Found, int FalsePositives, int Reported)
{
    public double Recall => Expected == 0 ? 1 : (double)Found / Expected;

    /// <summary>Share of this class's findings that are not expected (1 - precision); 0 with no findings.</summary>
    public double FalsePositiveRate => Reported == 0 ? 0 : (double)FalsePositives / Reported;
}

/// <summary>The labelled corpus (tests/OpenKbs.Audit.Tests/Corpus): its files as one artifact, its expected findings and the scoring.</summary>
internal static class CorpusScore
{
    public static string Directory => Path.Combine(RepositoryFiles.Root, "tests", "OpenKbs.Audit.Tests", "Corpus", "handlers");

    public static ArtifactContents Artifact() => new(
        "corpus",
        [.. System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new ArtifactFile(Path.GetRelativePath(Directory, f).Replace('\\', '/'), File.ReadAllBytes(f)))]);

    public static IReadOnlyList<CorpusHit> Expected()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "..", "expected.json")));
        return [.. document.RootElement.GetProperty("expected").EnumerateArray()
            .Select(e => new CorpusHit(e.GetProperty("file").GetString()!, e.GetProperty("line").GetInt32(), e.GetProperty("cwe").GetInt32()))];
    }

    public static IReadOnlyList<ClassScore> Score(IReadOnlyList<CorpusHit> expected, IReadOnlyList<CorpusHit> actual)
    {
        var distinct = actual.Distinct().ToList();
        return [.. expected.Select(e => e.Cwe).Distinct().Order().Select(cwe =>
        {
            var want = expected.Where(e => e.Cwe == cwe).ToHashSet();
            var got = distinct.Where(a => a.Cwe == cwe).ToList();
            return new ClassScore(cwe, want.Count, got.Count(want.Contains), got.Count(g => !want.Contains(g)), got.Count);
        })];
    }

    public static string Table(string engine, IReadOnlyList<ClassScore> scores)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{engine}: CWE | expected | found | false positives | recall | FP rate");
        foreach (var s in scores)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  CWE-{s.Cwe} | {s.Expected} | {s.Found} | {s.FalsePositives} | {s.Recall:P0} | {s.FalsePositiveRate:P0}");
        }

        var expected = scores.Sum(s => s.Expected);
        var found = scores.Sum(s => s.Found);
        var fps = scores.Sum(s => s.FalsePositives);
        var reported = scores.Sum(s => s.Reported);
        text.AppendLine(CultureInfo.InvariantCulture, $"  overall | {expected} | {found} | {fps} | {(double)found / expected:P0} | {(reported == 0 ? 0 : (double)fps / reported):P0}");
        return text.ToString();
    }
}
