using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>One call as the realism modules see it: the classified request, its buffered body, and ways to reach moto.</summary>
internal sealed class RealismContext(
    AwsRequestInfo info,
    HttpRequestMessage request,
    byte[] body,
    Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
    CallerAccountResolver accounts,
    TimeProvider time,
    ChaosCounters counters)
{
    private JsonObject? _json;
    private bool _jsonParsed;
    private string? _form;

    public AwsRequestInfo Info => info;

    public HttpRequestMessage Request => request;

    public DateTimeOffset Now => time.GetUtcNow();

    public string Path => request.RequestUri!.AbsolutePath;

    /// <summary>The request body as a JSON object (null when it is not one).</summary>
    public JsonObject? Json()
    {
        if (!_jsonParsed)
        {
            _jsonParsed = true;
            try
            {
                _json = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                _json = null;
            }
        }

        return _json;
    }

    /// <summary>A string member of the JSON body.</summary>
    public string? JsonString(string name) => Json()?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A value of the form body (awsQuery).</summary>
    public string? Form(string name)
    {
        _form ??= Encoding.UTF8.GetString(body);
        return AwsRequestClassifier.FormValue(_form, name);
    }

    /// <summary>Replaces the JSON body that will be forwarded.</summary>
    public void ReplaceJson(JsonObject json)
    {
        _json = json;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json.ToJsonString()));
        foreach (var header in request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        request.Content = content;
    }

    /// <summary>Sends the call (as it is now) to moto.</summary>
    public Task<HttpResponseMessage> ForwardAsync(CancellationToken cancellationToken) => send(request, cancellationToken);

    /// <summary>Sends an extra call of the same caller to moto (e.g. DescribeAccount to check an account exists).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage side, CancellationToken cancellationToken) => send(side, cancellationToken);

    /// <summary>The caller's account id (as moto sees it).</summary>
    public Task<string> CallerAccountAsync(CancellationToken cancellationToken) => accounts.ResolveAsync(request, info, send, cancellationToken);

    /// <summary>An awsJson 1.1 call of the same caller to another service's target (e.g. Organizations ListAccounts).</summary>
    public HttpRequestMessage JsonCall(string service, string target, JsonObject payload)
    {
        var side = SideRequest(HttpMethod.Post, "/", service);
        side.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        side.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        side.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        return side;
    }

    /// <summary>A call of the same caller (same access key, same moto account header) signed for <paramref name="service"/>.</summary>
    public HttpRequestMessage SideRequest(HttpMethod method, string pathAndQuery, string service) =>
        CallerAccountResolver.SideRequest(request, info, method, pathAndQuery, service);

    public HttpResponseMessage Error(int status, string code, string message, IReadOnlyDictionary<string, string>? extra = null) =>
        AwsErrorResponses.Create(info, request.Method, status, code, message, extra);

    public HttpResponseMessage JsonAnswer(JsonNode body, HttpStatusCode status = HttpStatusCode.OK) => AwsErrorResponses.JsonAnswer(info, status, body);

    /// <summary>Counts a realism event (see <see cref="AwsChaosStats.RealismEvents"/>).</summary>
    public void Count(string name) => counters.Realism(name);
}
