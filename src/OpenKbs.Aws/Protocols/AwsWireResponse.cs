using System.Net;

namespace OpenKbs.Aws.Protocols;

/// <summary>A buffered HTTP response: status, headers (case-insensitive, first value), body bytes.</summary>
internal sealed class AwsWireResponse
{
    public required HttpStatusCode StatusCode { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The AWS request id from the usual headers.</summary>
    public string? RequestIdHeader => Header("x-amzn-RequestId") ?? Header("x-amz-request-id") ?? Header("x-amzn-requestid");

    public static async Task<AwsWireResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        foreach (var header in response.Content.Headers)
        {
            headers[header.Key] = string.Join(',', header.Value);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new AwsWireResponse { StatusCode = response.StatusCode, Headers = headers, Body = body };
    }
}
