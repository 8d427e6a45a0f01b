using System.Text.RegularExpressions;

namespace OpenKbs.Architecture.Tests;

/// <summary>
/// Product code reads the time from an injected <see cref="TimeProvider"/> and draws random numbers from an injected
/// <see cref="Random"/>, so tests control both. Only a composition root may pick the process-wide defaults.
/// </summary>
public sealed partial class ClockAndRandomnessTests
{
    /// <summary>file (relative to src/) and the one static it may read, as the default it registers.</summary>
    private static readonly (string File, string Static)[] CompositionRoots =
    [
        ("OpenKbs.Runtime/RuntimeServiceCollectionExtensions.cs", "Random.Shared"),
        ("OpenKbs.Aws/AwsServiceCollectionExtensions.cs", "Random.Shared"),
        ("OpenKbs.Runtime/RuntimeServiceCollectionExtensions.cs", "TimeProvider.System"),
        ("OpenKbs.Aws/AwsServiceCollectionExtensions.cs", "TimeProvider.System"),
        ("OpenKbs.Operator/Program.cs", "TimeProvider.System"), // the executable's root: the clock of the CLI commands (usage export)

        // Library entry points used outside DI (the `openkbs audit` commands, the sandbox): the system clock only when the
        // caller passes none; inside the operator the provider's clock is passed.
        ("OpenKbs.Audit/Engine/AuditEngine.cs", "TimeProvider.System"),
        ("OpenKbs.AuditTrail/PostgresAuditJournal.cs", "TimeProvider.System"),
        ("OpenKbs.Sandbox/Kube/KubeApiServerOptions.cs", "TimeProvider.System"),
        ("OpenKbs.Sandbox.Aws/Chaos/AwsChaosEngine.cs", "TimeProvider.System"),
    ];

    [Fact]
    public void Product_code_reads_no_clock_or_randomness_from_statics()
    {
        var src = Path.Combine(Repository.Root(), "src");
        var found = new List<string>();
        var scanned = 0;
        foreach (var room in Directory.EnumerateDirectories(src).Select(Path.GetFileName))
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(src, room!), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                scanned++;
                var relative = Path.GetRelativePath(src, file).Replace(Path.DirectorySeparatorChar, '/');
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (Match match in Statics().Matches(code))
                    {
                        if (!CompositionRoots.Contains((relative, match.Value)))
                        {
                            found.Add($"src/{relative}:{i + 1}: {match.Value}");
                        }
                    }
                }
            }
        }

        Assert.True(scanned > 500, $"scanned only {scanned} files under {src}");
        Assert.True(found.Count == 0, "inject TimeProvider / Random instead of: " + string.Join("; ", found));
    }

    [Fact]
    public void The_scan_finds_each_static()
    {
        var code = "var a = DateTime.UtcNow; var b = DateTime.Now; var c = DateTimeOffset.UtcNow; var d = DateTimeOffset.Now; "
                   + "var e = Random.Shared.Next(); var f = new Random(); var g = DateTime.Today; var h = time.GetUtcNow(); var i = TimeProvider.System;";

        Assert.Equal(
            ["DateTime.UtcNow", "DateTime.Now", "DateTimeOffset.UtcNow", "DateTimeOffset.Now", "Random.Shared", "new Random(", "DateTime.Today", "TimeProvider.System"],
            Statics().Matches(code).Select(m => m.Value));
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now|Today)\b|\bRandom\.Shared\b|\bnew Random\(|\bTimeProvider\.System\b")]
    private static partial Regex Statics();
}
