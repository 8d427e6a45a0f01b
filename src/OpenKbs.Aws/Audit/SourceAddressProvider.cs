using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenKbs.Aws.Audit;

/// <summary>
/// Determines the operator's address once: <see cref="AwsOptions.SourceAddress"/>, else <c>POD_IP</c> (Kubernetes downward API),
/// else the first up, non-loopback IPv4 interface address, else 127.0.0.1. AWS CloudTrail sees the NAT/egress address instead;
/// configure that one explicitly if the trail must match CloudTrail.
/// </summary>
internal sealed class SourceAddressProvider(IOptions<AwsOptions> options) : ISourceAddressProvider
{
    private readonly Lazy<string> _address = new(() => Determine(options.Value.SourceAddress));

    public string SourceAddress => _address.Value;

    private static string Determine(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        var podIp = Environment.GetEnvironmentVariable("POD_IP");
        if (!string.IsNullOrWhiteSpace(podIp) && IPAddress.TryParse(podIp, out _))
        {
            return podIp;
        }

        try
        {
            var address = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
            return address?.ToString() ?? IPAddress.Loopback.ToString();
        }
        catch (NetworkInformationException)
        {
            return IPAddress.Loopback.ToString();
        }
    }
}
