using System.Globalization;
using System.Net;

namespace OpenKbs.Runtime.Hosting;

/// <summary>Parses controller-runtime style bind addresses: <c>:8080</c> (all interfaces), <c>127.0.0.1:0</c> (free port), <c>[::1]:9090</c>, <c>localhost:8080</c>; <c>0</c> or empty disables.</summary>
internal static class BindAddress
{
    public static IPEndPoint? Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Trim() == "0")
        {
            return null;
        }

        address = address.Trim();
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            throw new FormatException($"'{address}' is not a bind address (expected host:port, :port, or 0 to disable)");
        }

        var host = address[..colon].Trim('[', ']');
        var ip = host switch
        {
            "" or "*" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : throw new FormatException($"'{host}' is not an IP address"),
        };
        return new IPEndPoint(ip, port);
    }
}
