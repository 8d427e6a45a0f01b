using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace OpenKbs.Aws.CloudFront;

/// <summary>
/// CloudFront standard (legacy) access logs as S3 delivers them: gzip files named
/// <c>{prefix}{distribution-id}.YYYY-MM-DD-HH.{unique}.gz</c> (the hour of delivery, UTC), each a <c>#Version</c> line, a
/// <c>#Fields</c> line naming the tab-separated columns (the order is read from it, never assumed), then one line per request.
/// A request is counted on the UTC day of its own <c>date</c> column; its bytes are <c>sc-bytes</c> (what CloudFront served
/// to the viewer, headers included).
/// </summary>
public static class CloudFrontAccessLogs
{
    /// <summary>The key prefix of the log files of <paramref name="distributionId"/> delivered during <paramref name="day"/> (UTC).</summary>
    public static string DayPrefix(string prefix, string distributionId, DateOnly day) =>
        $"{prefix}{distributionId}.{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-";

    /// <summary>Adds the requests of one gzip log file to <paramref name="tally"/> (the stream is read to its end, not disposed).</summary>
    public static async Task ReadAsync(Stream gzip, CloudFrontLogTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gzip);
        ArgumentNullException.ThrowIfNull(tally);
        await using var inflated = new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        var columns = new Columns(-1, -1, 0);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                if (line.StartsWith("#Fields:", StringComparison.Ordinal))
                {
                    columns = Columns.Of(line["#Fields:".Length..]);
                }

                continue;
            }

            tally.Add(Parse(line, columns));
        }

        tally.FileRead();
    }

    /// <summary>The day and bytes of one request line, or null when it is malformed (no <c>#Fields</c> line before it, a
    /// different number of columns, an unreadable date or byte count).</summary>
    internal static (DateOnly Day, long Bytes)? Parse(string line, Columns columns)
    {
        if (columns.Date < 0 || columns.Bytes < 0)
        {
            return null;
        }

        var values = line.Split('\t');
        if (values.Length != columns.Count
            || !DateOnly.TryParseExact(values[columns.Date], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !long.TryParse(values[columns.Bytes], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            return null;
        }

        return (day, bytes);
    }

    /// <summary>Where <c>date</c> and <c>sc-bytes</c> are among the <see cref="Count"/> columns of a <c>#Fields</c> line (-1: absent).</summary>
    internal readonly record struct Columns(int Date, int Bytes, int Count)
    {
        public static Columns Of(string fields)
        {
            var names = fields.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new Columns(Array.IndexOf(names, "date"), Array.IndexOf(names, "sc-bytes"), names.Length);
        }
    }
}

/// <summary>Requests and bytes per UTC day from CloudFront access logs, and the lines that could not be read.</summary>
public sealed class CloudFrontLogTally
{
    private readonly SortedDictionary<DateOnly, (long Requests, long Bytes)> _days = [];

    /// <summary>Per day: requests (lines) and the sum of their <c>sc-bytes</c>.</summary>
    public IReadOnlyDictionary<DateOnly, (long Requests, long Bytes)> Days => _days;

    /// <summary>Request lines skipped as malformed (not counted).</summary>
    public long Skipped { get; private set; }

    /// <summary>Log files read.</summary>
    public int Files { get; private set; }

    internal void Add((DateOnly Day, long Bytes)? request)
    {
        if (request is not { } r)
        {
            Skipped++;
            return;
        }

        var (requests, bytes) = _days.GetValueOrDefault(r.Day);
        _days[r.Day] = (requests + 1, bytes + r.Bytes);
    }

    internal void FileRead() => Files++;
}
