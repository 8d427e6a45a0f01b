using OpenKbs.Aws.Core;
using OpenKbs.Aws.IoT.Model;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.IoT;

/// <summary>The hand-written IoT Core client (restJson1 over the shared pipeline; a read only, so nothing to audit).</summary>
internal sealed class IotClient(AwsRequestPipeline pipeline, AwsCallScope scope) : AwsClientBase(pipeline, scope), IIotClient
{
    internal static readonly AwsOperation DescribeEndpoint = AwsOperation.Read(AwsServices.IoT, nameof(DescribeEndpoint));

    public Task<DescribeEndpointResponse> DescribeEndpointAsync(DescribeEndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RestJsonAsync<DescribeEndpointResponse>(
            DescribeEndpoint,
            HttpMethod.Get,
            "/endpoint",
            null,
            null,
            cancellationToken,
            query: request.EndpointType is null ? null : [new("endpointType", request.EndpointType)]);
    }
}
