using System.Text;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// Counter-based randomness: the n-th draw of a named stream is a pure function of (seed, stream, n),
/// so a fault sequence per operation is the same on every run and does not depend on how calls to
/// other operations interleave.
/// </summary>
internal static class SeededRandom
{
    /// <summary>A uniform double in [0, 1).</summary>
    public static double Unit(ulong seed, string stream, string key, long n)
    {
        var h = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ Fnv(stream));
        h = Mix(h ^ Fnv(key));
        h = Mix(h ^ (ulong)n);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
