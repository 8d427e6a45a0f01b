namespace OpenKbs.Runtime.Cache;

/// <summary>How an informer lists and watches (resolved from <see cref="RuntimeOptions"/>).</summary>
internal sealed record InformerSettings
{
    /// <summary>Namespaces to watch; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? LabelSelector { get; init; }

    public int PageSize { get; init; } = 500;

    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan UnhealthyAfter { get; init; } = TimeSpan.FromMinutes(3);

    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public static InformerSettings From(RuntimeOptions options) => new()
    {
        Namespaces = options.Namespaces,
        LabelSelector = options.LabelSelector,
        PageSize = options.ListPageSize,
        WatchTimeout = options.WatchTimeout,
        RelistInterval = options.RelistInterval,
        UnhealthyAfter = options.WatchUnhealthyAfter,
    };
}
