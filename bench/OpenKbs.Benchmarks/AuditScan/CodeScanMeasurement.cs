using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using OpenKbs.Audit.Code;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Secrets;

namespace OpenKbs.Benchmarks.AuditScan;

/// <summary>
/// Intake and the artifact analyzers on a 50 MB, 5,000-file artifact (issue 11): the labelled corpus's handlers copied into
/// 160-odd folders, each file padded with ordinary helper functions to about 10 KB, zipped; then intake (SHA-256, safe
/// extraction), the code analyzer, the secrets analyzer and the dependencies analyzer (example OSV advisories), each timed,
/// with the managed allocation and the process's peak working set.
/// </summary>
internal sealed class CodeScanMeasurement : IMeasurement
{
    private const int TargetFiles = 5_000;
    private const int TargetFileBytes = 10_000;

    public string Group => "auditscan";

    public string Title => "intake + code, secrets and dependencies analyzers on a 50 MB / 5,000-file artifact";

    public async Task<IReadOnlyList<MeasurementResult>> RunAsync(CancellationToken cancellationToken)
    {
        var corpus = FindCorpus();
        var templates = Directory.EnumerateFiles(corpus, "*.*js", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(corpus, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .OrderBy(t => t.Path, StringComparer.Ordinal)
            .ToList();
        var zip = Path.Combine(Path.GetTempPath(), $"openkbs-auditscan-{Environment.ProcessId}.zip");
        try
        {
            var (files, bytes) = WriteArtifact(zip, templates);
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var artifact = await new ArtifactIntake().ReadAsync(zip, null, cancellationToken);
            var intake = clock.Elapsed;
            clock.Restart();
            var findings = await new CodeAnalyzer().AnalyzeAsync(artifact, cancellationToken);
            var analysis = clock.Elapsed;
            clock.Restart();
            var secrets = await new SecretsAnalyzer().AnalyzeAsync(artifact, cancellationToken);
            var secretsTime = clock.Elapsed;
            clock.Restart();
            var dependencies = await new DependenciesAnalyzer(new DirectoryAdvisorySource(Path.Combine(corpus, "..", "..", "..", "..", "docs", "examples", "advisories")))
                .AnalyzeAsync(artifact, cancellationToken);
            var dependenciesTime = clock.Elapsed;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var total = intake + analysis + secretsTime + dependenciesTime;
            var expected = ExpectedFindings(corpus, artifact.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal));
            var found = findings.Where(f => f.Cwe is not null).Select(f => (f.Location!.Path, f.Location.Line, f.Cwe!.Value)).ToHashSet();
            foreach (var miss in expected.Where(e => !found.Contains(e)).GroupBy(e => $"CWE-{e.Cwe} {e.Path[(e.Path.IndexOf('/', 4) + 1)..]}:{e.Line}").Take(20))
            {
                Console.Error.WriteLine($"missed {miss.Count()}x {miss.Key}");
            }

            return
            [
                new("artifact", string.Create(CultureInfo.InvariantCulture, $"{files:N0} JS files, {bytes / 1e6:F1} MB uncompressed, {new FileInfo(zip).Length / 1e6:F1} MB zip")),
                new("intake (SHA-256, extraction, classification)", $"{intake.TotalSeconds:F1} s"),
                new("code analysis (parse, taint across modules, access control)", $"{analysis.TotalSeconds:F1} s"),
                new("secrets analysis (rules, entropy)", $"{secretsTime.TotalSeconds:F1} s ({secrets.Count} findings)"),
                new("dependencies analysis (lockfiles, OSV)", $"{dependenciesTime.TotalSeconds:F1} s ({dependencies.Count} findings)"),
                new("total (intake + analyzers)", $"{total.TotalSeconds:F1} s", "< 300 s", total.TotalSeconds < 300),
                new("files/s (analysis)", string.Create(CultureInfo.InvariantCulture, $"{files / analysis.TotalSeconds:F0}")),
                new("code findings", findings.Count.ToString(CultureInfo.InvariantCulture)),
                new("labelled sinks found in the copies", $"{expected.Count(found.Contains):N0} of {expected.Count:N0}", "all", expected.All(found.Contains)),
                new("managed allocation", $"{allocated / 1e9:F2} GB"),
                new("process peak working set", $"{peak / 1e6:F0} MB", "< 512 MB", peak < 512L * 1024 * 1024),
            ];
        }
        finally
        {
            File.Delete(zip);
        }
    }

    private static (int Files, long Bytes) WriteArtifact(string zip, List<(string Path, string Text)> templates)
    {
        using var stream = File.Create(zip);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create);
        var files = 0;
        long bytes = 0;
        for (var copy = 0; files < TargetFiles; copy++)
        {
            foreach (var (path, text) in templates)
            {
                if (files == TargetFiles)
                {
                    break;
                }

                var content = new StringBuilder(text);
                for (var k = 0; content.Length < TargetFileBytes; k++)
                {
                    content.Append(CultureInfo.InvariantCulture, $$"""

                        function helper_{{copy}}_{{k}}(input, options = {}) {
                          const parts = String(input).split(options.separator || ',');
                          let total = 0;
                          for (const part of parts) {
                            total += Number(part) || 0;
                          }
                          return { total, count: parts.length, label: `item-{{k}}-${parts.length}` };
                        }
                        """);
                }

                var data = Encoding.UTF8.GetBytes(content.ToString());
                var entry = archive.CreateEntry($"app/c{copy:D3}/{path}", CompressionLevel.Fastest);
                using (var writer = entry.Open())
                {
                    writer.Write(data);
                }

                files++;
                bytes += data.Length;
            }
        }

        return (files, bytes);
    }

    private static List<(string Path, int Line, int Cwe)> ExpectedFindings(string corpus, HashSet<string> paths)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(corpus, "..", "expected.json")));
        var labelled = document.RootElement.GetProperty("expected").EnumerateArray()
            .Select(e => (File: e.GetProperty("file").GetString()!, Line: e.GetProperty("line").GetInt32(), Cwe: e.GetProperty("cwe").GetInt32()))
            .ToList();
        return [.. paths.Where(p => p.StartsWith("app/c", StringComparison.Ordinal))
            .SelectMany(p => labelled.Where(l => p.EndsWith("/" + l.File, StringComparison.Ordinal) && p.Length == "app/c000/".Length + l.File.Length).Select(l => (p, l.Line, l.Cwe)))];
    }

    private static string FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "OpenKbs.Audit.Tests", "Corpus", "handlers");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/OpenKbs.Audit.Tests/Corpus/handlers not found above " + AppContext.BaseDirectory);
    }
}
