using System.Text.Json;

namespace OpenKbs.Aws.Tests.Support;

/// <summary>The HTTP request an SDK (ours or the JS one) sent: method, path, query (decoded), content type, X-Amz-Target, If-Match, body.</summary>
internal sealed record WireRequest(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? ContentType,
    string? Target,
    string? IfMatch,
    string Body)
{
    /// <summary>The query as sorted "k=v" strings (order-independent comparison).</summary>
    public IReadOnlyList<string> SortedQuery => [.. Query.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal)];

    public static WireRequest From(JsonElement element)
    {
        var query = new List<KeyValuePair<string, string>>();
        foreach (var property in element.GetProperty("query").EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                query.AddRange(property.Value.EnumerateArray().Select(v => new KeyValuePair<string, string>(property.Name, v.GetString() ?? string.Empty)));
            }
            else
            {
                query.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.Null ? string.Empty : property.Value.GetString() ?? string.Empty));
            }
        }

        return new WireRequest(
            element.GetProperty("method").GetString()!,
            element.GetProperty("path").GetString()!,
            query,
            Text(element, "contentType"),
            Text(element, "target"),
            Text(element, "ifMatch"),
            element.GetProperty("body").GetString() ?? string.Empty);
    }

    /// <summary>Our own request as captured by <see cref="RequestCounter"/> (URL and body).</summary>
    public static WireRequest FromCaptured(string method, string url, string body, string headers)
    {
        var uri = new Uri(url);
        var query = new List<KeyValuePair<string, string>>();
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            query.Add(new(Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : string.Empty));
        }

        string? Header(string name) => headers.Split('\n').Select(l => l.Split(": ", 2)).Where(p => p.Length == 2 && string.Equals(p[0], name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1]).FirstOrDefault();
        return new WireRequest(method, uri.AbsolutePath, query, Header("Content-Type"), Header("X-Amz-Target"), Header("If-Match"), body);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
