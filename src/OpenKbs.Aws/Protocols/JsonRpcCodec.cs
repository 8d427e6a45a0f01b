using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Protocols;

/// <summary>awsJson1_0 / awsJson1_1: POST / with X-Amz-Target: {prefix}.{Operation} and a JSON body ({} when there is no input).</summary>
internal static class JsonRpcCodec
{
    public static AwsWireRequest CreateRequest(AwsService service, string operation, object? input)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.TargetPrefix is null)
        {
            throw new InvalidOperationException($"Service {service} has no X-Amz-Target prefix.");
        }

        var contentType = service.Protocol == AwsProtocol.AwsJson10 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
        var request = new AwsWireRequest
        {
            Method = HttpMethod.Post,
            Path = "/",
            Body = AwsJson.Serialize(input),
            ContentType = contentType,
        };
        request.Headers["X-Amz-Target"] = $"{service.TargetPrefix}.{operation}";
        return request;
    }

    public static T ReadResponse<T>(AwsWireResponse response)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(response);
        return AwsJson.Deserialize<T>(response.Body);
    }
}
