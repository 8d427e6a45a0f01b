using System.Globalization;

namespace OpenKbs.Sandbox.Kube.Json;

/// <summary>k8s.io/apimachinery/pkg/util/duration: the ages `kubectl get` shows (computed by the server in Table rows).</summary>
internal static class HumanDuration
{
    /// <summary>duration.ShortHumanDuration (custom resource tables: Age and date columns).</summary>
    public static string Short(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60)
        {
            return F("{0}s", seconds);
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 60)
        {
            return F("{0}m", minutes);
        }

        var hours = (long)d.TotalHours;
        if (hours < 24)
        {
            return F("{0}h", hours);
        }

        if (hours < 24 * 365)
        {
            return F("{0}d", hours / 24);
        }

        return F("{0}y", (long)(d.TotalHours / 24 / 365));
    }

    /// <summary>duration.HumanDuration (built-in kinds' tables).</summary>
    public static string Long(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return F("{0}s", seconds);
        }

        var minutes = (long)(d.Ticks / TimeSpan.TicksPerMinute);
        if (minutes < 10)
        {
            var s = (long)(d.Ticks / TimeSpan.TicksPerSecond) % 60;
            return s == 0 ? F("{0}m", minutes) : F("{0}m{1}s", minutes, s);
        }

        if (minutes < 60 * 3)
        {
            return F("{0}m", minutes);
        }

        var hours = (long)(d.Ticks / TimeSpan.TicksPerHour);
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? F("{0}h", hours) : F("{0}h{1}m", hours, m);
        }

        if (hours < 48)
        {
            return F("{0}h", hours);
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? F("{0}d", hours / 24) : F("{0}d{1}h", hours / 24, h);
        }

        if (hours < 24 * 365 * 2)
        {
            return F("{0}d", hours / 24);
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? F("{0}y", hours / 24 / 365) : F("{0}y{1}d", hours / 24 / 365, dy);
        }

        return F("{0}y", hours / 24 / 365);
    }

    private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
