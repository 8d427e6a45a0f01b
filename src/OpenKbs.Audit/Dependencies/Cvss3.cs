using System.Globalization;

namespace OpenKbs.Audit.Dependencies;

/// <summary>The CVSS v3.0/v3.1 base score of a vector string ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" is 9.8), per the FIRST specification.</summary>
public static class Cvss3
{
    public static double? BaseScore(string vector)
    {
        if (!vector.StartsWith("CVSS:3.", StringComparison.Ordinal))
        {
            return null;
        }

        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in vector.Split('/').Skip(1))
        {
            var kv = part.Split(':');
            if (kv.Length != 2)
            {
                return null;
            }

            metrics[kv[0]] = kv[1];
        }

        double? Pick(string metric, params (string Key, double Value)[] table) =>
            metrics.TryGetValue(metric, out var key) && table.FirstOrDefault(t => t.Key == key) is { Key: not null } hit ? hit.Value : null;

        var scopeChanged = metrics.GetValueOrDefault("S") == "C";
        var av = Pick("AV", ("N", 0.85), ("A", 0.62), ("L", 0.55), ("P", 0.2));
        var ac = Pick("AC", ("L", 0.77), ("H", 0.44));
        var pr = Pick("PR", ("N", 0.85), ("L", scopeChanged ? 0.68 : 0.62), ("H", scopeChanged ? 0.5 : 0.27));
        var ui = Pick("UI", ("N", 0.85), ("R", 0.62));
        var c = Pick("C", ("H", 0.56), ("L", 0.22), ("N", 0));
        var i = Pick("I", ("H", 0.56), ("L", 0.22), ("N", 0));
        var a = Pick("A", ("H", 0.56), ("L", 0.22), ("N", 0));
        if (av is null || ac is null || pr is null || ui is null || c is null || i is null || a is null || !metrics.ContainsKey("S"))
        {
            return null;
        }

        var iss = 1 - ((1 - c.Value) * (1 - i.Value) * (1 - a.Value));
        var impact = scopeChanged ? (7.52 * (iss - 0.029)) - (3.25 * Math.Pow(iss - 0.02, 15)) : 6.42 * iss;
        var exploitability = 8.22 * av.Value * ac.Value * pr.Value * ui.Value;
        if (impact <= 0)
        {
            return 0;
        }

        var score = scopeChanged ? Math.Min(1.08 * (impact + exploitability), 10) : Math.Min(impact + exploitability, 10);
        return RoundUp(score);
    }

    /// <summary>The specification's Roundup: the smallest number with one decimal that is at least the input.</summary>
    private static double RoundUp(double value)
    {
        var integer = (long)Math.Round(value * 100000);
        return integer % 10000 == 0 ? integer / 100000.0 : (Math.Floor(integer / 10000.0) + 1) / 10.0;
    }

    public static string Format(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);
}
