using System.Globalization;

namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>The value of url(string) in Kubernetes CEL: an absolute URI, or an absolute path.</summary>
internal sealed class CelUrl
{
    private readonly Uri? _absolute;
    private readonly string _original;

    private CelUrl(Uri? absolute, string original)
    {
        _absolute = absolute;
        _original = original;
    }

    public string Scheme => _absolute?.Scheme ?? "";

    public string Port => _absolute is { IsDefaultPort: false } u ? u.Port.ToString(CultureInfo.InvariantCulture) : "";

    public string EscapedPath => _absolute?.AbsolutePath ?? _original.Split('?')[0];

    public static CelUrl? Parse(string value)
    {
        if (value.StartsWith('/'))
        {
            return Uri.TryCreate("http://placeholder" + value, UriKind.Absolute, out _) ? new CelUrl(null, value) : null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Scheme) ? new CelUrl(uri, value) : null;
    }

    public string Host(bool withPort)
    {
        if (_absolute is null)
        {
            return "";
        }

        var ipv6 = _absolute.HostNameType == UriHostNameType.IPv6;
        var host = ipv6 ? _absolute.Host.Trim('[', ']') : _absolute.Host;
        if (!withPort)
        {
            return host;
        }

        host = ipv6 ? "[" + host + "]" : host;
        return _absolute.IsDefaultPort ? host : host + ":" + _absolute.Port.ToString(CultureInfo.InvariantCulture);
    }

    public Dictionary<string, object?> Query()
    {
        var query = _absolute?.Query ?? (_original.Contains('?', StringComparison.Ordinal) ? _original[_original.IndexOf('?', StringComparison.Ordinal)..] : "");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!result.TryGetValue(key, out var list))
            {
                list = new List<object?>();
                result[key] = list;
            }

            ((List<object?>)list!).Add(value);
        }

        return result;
    }
}
