namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>The long runs behind <c>make chaos</c> (OPENKBS_CHAOS=1); <c>make test</c> runs a short seeded sample.</summary>
internal static class Chaos
{
    public static bool Enabled => Environment.GetEnvironmentVariable("OPENKBS_CHAOS") is "1" or "true";

    /// <summary>Seeded crash runs: OPENKBS_CRASH_RUNS, else 50 under make chaos and 2 under make test.</summary>
    public static int CrashRuns => int.TryParse(Environment.GetEnvironmentVariable("OPENKBS_CRASH_RUNS"), out var runs) && runs > 0 ? runs : Enabled ? 50 : 2;

    /// <summary>The first seed (runs use consecutive seeds): OPENKBS_CRASH_SEED, else 1000.</summary>
    public static int FirstSeed => int.TryParse(Environment.GetEnvironmentVariable("OPENKBS_CRASH_SEED"), out var seed) ? seed : 1000;
}
