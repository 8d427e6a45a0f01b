using System.Globalization;

namespace OpenKbs.Runtime.Tests.Integration;

/// <summary>Reads the operator's /metrics and picks values out of the Prometheus text format.</summary>
internal static class MetricsText
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<string> ReadAsync(TestOperator op) => Http.GetStringAsync(new Uri(op.Status.MetricsEndpoint!, "metrics"));

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain every given fragment (0 when absent).</summary>
    public static double Value(string text, string name, params string[] labelFragments)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length > name.Length && (line[name.Length] == '{' || line[name.Length] == ' '))
                && labelFragments.All(f => line.Contains(f, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
