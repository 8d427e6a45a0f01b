using OpenKbs.Aws.Protocols;

namespace OpenKbs.Aws.Pipeline;

/// <summary>
/// The base of every hand-written client: one helper per protocol that encodes the request, sends it through the shared
/// <see cref="AwsRequestPipeline"/> in the client's <see cref="AwsCallScope"/>, and decodes the answer.
/// </summary>
internal abstract class AwsClientBase(AwsRequestPipeline pipeline, AwsCallScope scope)
{
    protected AwsCallScope Scope { get; } = scope;

    /// <summary>awsJson1_0 / awsJson1_1.</summary>
    protected Task<T> JsonAsync<T>(
        AwsOperation operation,
        object? input,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        Func<T, string?>? resourceFromResult = null,
        IEnumerable<string?>? guardedArns = null)
        where T : new() =>
        pipeline.InvokeAsync(
            Scope,
            operation,
            JsonRpcCodec.CreateRequest(operation.Service, operation.Name, input),
            JsonRpcCodec.ReadResponse<T>,
            audit,
            cancellationToken,
            guardedArns,
            resourceFromResult);

    /// <summary>awsQuery: the input record is serialized by <see cref="QuerySerializer"/>; the result read from {Op}Result.</summary>
    protected Task<T> QueryAsync<T>(
        AwsOperation operation,
        object? input,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        Func<T, string?>? resourceFromResult = null,
        IEnumerable<string?>? guardedArns = null)
        where T : new() =>
        pipeline.InvokeAsync(
            Scope,
            operation,
            QueryCodec.CreateRequest(operation.Service, operation.Name, input),
            response => QueryCodec.ReadResult<T>(response, operation.Name),
            audit,
            cancellationToken,
            guardedArns,
            resourceFromResult);

    /// <summary>restJson1: method + encoded path (use <see cref="RestJsonCodec.Label"/>), optional JSON body, query and headers.</summary>
    protected Task<T> RestJsonAsync<T>(
        AwsOperation operation,
        HttpMethod method,
        string path,
        object? body,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? query = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        Func<AwsWireResponse, T>? read = null,
        Func<T, string?>? resourceFromResult = null,
        IEnumerable<string?>? guardedArns = null)
        where T : new() =>
        pipeline.InvokeAsync(
            Scope,
            operation,
            RestJsonCodec.CreateRequest(method, path, body, query, headers),
            read ?? RestJsonCodec.ReadResponse<T>,
            audit,
            cancellationToken,
            guardedArns,
            resourceFromResult);

    /// <summary>restXml: method + encoded path, optional XML payload (see <see cref="XmlShapeWriter"/>), query and headers.</summary>
    protected Task<T> RestXmlAsync<T>(
        AwsOperation operation,
        HttpMethod method,
        string path,
        System.Xml.Linq.XElement? payload,
        AuditEntry? audit,
        CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? query = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        Func<AwsWireResponse, T>? read = null,
        Func<T, string?>? resourceFromResult = null,
        IEnumerable<string?>? guardedArns = null)
        where T : new() =>
        pipeline.InvokeAsync(
            Scope,
            operation,
            RestXmlCodec.CreateRequest(method, path, payload, query, headers),
            read ?? RestXmlCodec.ReadBody<T>,
            audit,
            cancellationToken,
            guardedArns,
            resourceFromResult);

    protected static AuditEntry Audit(string? resource, Action<Audit.AuditDetails>? details = null)
    {
        var entry = new AuditEntry(resource, new Audit.AuditDetails());
        details?.Invoke(entry.Details);
        return entry;
    }
}
