namespace OpenKbs.Controllers.Shared;

/// <summary>Status timestamps (DateTime from JSON) as UTC instants, and back.</summary>
internal static class UtcTimes
{
    public static DateTimeOffset From(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };

    /// <summary>A status timestamp for <paramref name="now"/>, truncated to whole seconds (as Kubernetes stores times).</summary>
    public static DateTime ToStatus(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
