using OpenKbs.Aws.IoT.Model;

namespace OpenKbs.Aws.IoT;

/// <summary>
/// AWS IoT Core's control plane (restJson1, regional, signing name <c>iot</c>): only what the access component needs. Names and
/// shapes follow the official AWSSDK.IoT client (docs/aws.md, the official-package debt).
/// </summary>
public interface IIotClient
{
    /// <summary>The account's endpoint of a type in the client's region; <c>iot:Data-ATS</c> is the MQTT data endpoint.</summary>
    Task<DescribeEndpointResponse> DescribeEndpointAsync(DescribeEndpointRequest request, CancellationToken cancellationToken = default);
}
