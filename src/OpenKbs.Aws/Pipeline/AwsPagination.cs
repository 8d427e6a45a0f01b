using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// Follows a paginated list to the end inside the client. Loops until the token is absent (never until a page is empty:
/// Organizations may return empty pages with a token); a token seen twice or more than <see cref="MaxPages"/> pages is a bug or an
/// emulator fault and ends with a transient error instead of looping forever.
/// </summary>
internal static class AwsPagination
{
    public const int MaxPages = 10_000;

    public static async Task<List<TItem>> CollectAsync<TPage, TItem>(
        string service,
        string operation,
        Func<string?, Task<TPage>> fetch,
        Func<TPage, IEnumerable<TItem>?> items,
        Func<TPage, string?> nextToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(nextToken);
        var all = new List<TItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await fetch(token);
            all.AddRange(items(result) ?? []);
            token = nextToken(result);
            if (string.IsNullOrEmpty(token))
            {
                return all;
            }

            if (!seen.Add(token))
            {
                break;
            }
        }

        throw new AwsServiceException(
            service,
            operation,
            "PaginationLoop",
            "The service repeated a pagination token or returned too many pages.",
            0,
            requestId: null,
            AwsErrorClassification.Transient);
    }

    /// <summary>The query of a Marker/MaxItems page (Lambda, CloudFront): <c>Marker</c> when there is one, <c>MaxItems</c> when set.</summary>
    public static List<KeyValuePair<string, string>> MarkerQuery(string? marker, int? maxItems)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (marker is not null)
        {
            query.Add(new("Marker", marker));
        }

        if (maxItems is { } max)
        {
            query.Add(new("MaxItems", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return query;
    }
}
