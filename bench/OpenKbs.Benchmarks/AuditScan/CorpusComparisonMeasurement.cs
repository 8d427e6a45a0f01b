using System.Globalization;
using OpenKbs.Audit.Code;
using OpenKbs.Audit.Tests.Code;

namespace OpenKbs.Benchmarks.AuditScan;

/// <summary>
/// The primary code engine against ESLint 9 + eslint-plugin-security (installed from tests/eslint-baseline's committed lock by
/// <c>make eslint-baseline-deps</c>) on the labelled corpus (tests/OpenKbs.Audit.Tests/Corpus): per CWE class and overall,
/// recall and the false-positive share of each engine's findings, scored by the same code as EslintBaselineTests.
/// </summary>
internal sealed class CorpusComparisonMeasurement : IMeasurement
{
    public string Group => "auditscan";

    public string Title => "code analyzer vs ESLint + eslint-plugin-security on the labelled corpus";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var expected = CorpusScore.Expected();
        var findings = await new CodeAnalyzer().AnalyzeAsync(CorpusScore.Artifact(), cancellationToken);
        var primary = CorpusScore.Score(expected, [.. findings.Where(f => f.Cwe is not null).Select(f => new CorpusHit(f.Location!.Path, f.Location.Line, f.Cwe!.Value))]);
        var (hits, unmapped) = await EslintBaseline.RunAsync();
        var eslint = CorpusScore.Score(expected, hits);
        var rows = new List<MeasurementResult>
        {
            new("engines", $"openkbs code {OpenKbs.Audit.Engine.AuditEngine.ToolVersion}; eslint {EslintBaseline.Version("eslint")} + eslint-plugin-security {EslintBaseline.Version("eslint-plugin-security")} (recommended, plus no-eval, no-implied-eval, no-new-func)"),
            new("corpus", $"{System.IO.Directory.EnumerateFiles(CorpusScore.Directory).Count()} files, {expected.Count} labelled sinks in {primary.Count} CWE classes; eslint findings outside these classes (not scored): {unmapped}"),
        };
        foreach (var (ours, theirs) in primary.Zip(eslint))
        {
            rows.Add(new($"CWE-{ours.Cwe}: recall / FP share (openkbs; eslint)", $"{Percent(ours.Recall)} / {Percent(ours.FalsePositiveRate)}; {Percent(theirs.Recall)} / {Percent(theirs.FalsePositiveRate)}",
                "openkbs >= 90 % / <= 10 %", ours.Recall >= 0.9 && ours.FalsePositiveRate <= 0.1));
        }

        var (ourRecall, ourPrecision) = Overall(primary);
        var (theirRecall, theirPrecision) = Overall(eslint);
        rows.Add(new("overall recall (openkbs; eslint)", $"{Percent(ourRecall)}; {Percent(theirRecall)}", "openkbs ahead", ourRecall > theirRecall));
        rows.Add(new("overall precision (openkbs; eslint)", $"{Percent(ourPrecision)}; {Percent(theirPrecision)}", "openkbs not behind", ourPrecision >= theirPrecision));
        return rows;
    }

    private static (double Recall, double Precision) Overall(IReadOnlyList<ClassScore> scores)
    {
        var reported = scores.Sum(s => s.Reported);
        return ((double)scores.Sum(s => s.Found) / scores.Sum(s => s.Expected), reported == 0 ? 1 : 1 - ((double)scores.Sum(s => s.FalsePositives) / reported));
    }

    private static string Percent(double value) => value.ToString("P0", CultureInfo.InvariantCulture);
}
