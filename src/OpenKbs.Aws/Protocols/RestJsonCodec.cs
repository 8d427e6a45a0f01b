namespace OpenKbs.Aws.Protocols;

/// <summary>
/// restJson1: method and path from the model's requestUri (labels percent-encoded with <see cref="Label"/>), members bound to
/// querystring / header set by the client, every other member in the JSON body (mark path/query/header members [JsonIgnore]).
/// </summary>
internal static class RestJsonCodec
{
    public static AwsWireRequest CreateRequest(
        HttpMethod method,
        string path,
        object? body,
        IEnumerable<KeyValuePair<string, string>>? query = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var hasBody = body is not null;
        var request = new AwsWireRequest
        {
            Method = method,
            Path = path,
            Body = hasBody ? AwsJson.Serialize(body) : null,
            ContentType = hasBody ? "application/json" : null,
        };
        foreach (var pair in query ?? [])
        {
            request.Query.Add(pair);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers[name] = value;
        }

        return request;
    }

    /// <summary>Encodes a path label (a Lambda ARN's ':' becomes %3A; the signer then double-encodes it in the canonical request).</summary>
    public static string Label(string value) => AwsUriEncoding.Encode(value);

    /// <summary>Encodes a greedy label (<c>{Key+}</c>).</summary>
    public static string GreedyLabel(string value) => AwsUriEncoding.EncodeGreedy(value);

    public static T ReadResponse<T>(AwsWireResponse response)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(response);
        return AwsJson.Deserialize<T>(response.Body);
    }
}
