using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace OpenKbs.Runtime.Kube;

/// <summary>
/// The runtime's few calls to the Kubernetes API (list, watch, get, status update, patch, create), sent through the
/// KubernetesClient's own <see cref="HttpClient"/> and credential pipeline but read as raw JSON. The runtime needs the
/// raw stream for watches (bookmarks, in-stream 410 errors, client-side deadlines) and raw JSON for status writes.
/// </summary>
internal sealed class KubeApiClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly Kubernetes _kubernetes;
    private readonly string _baseUrl;

    public KubeApiClient(IKubernetes kubernetes)
    {
        _kubernetes = kubernetes as Kubernetes
            ?? throw new ArgumentException("The runtime needs the k8s.Kubernetes client (its HttpClient and credentials).", nameof(kubernetes));
        _baseUrl = _kubernetes.BaseUri.ToString().TrimEnd('/');
    }

    public IKubernetes Kubernetes => _kubernetes;

    public static string ResourcePath(ResourceDescriptor resource, string? @namespace, string? name = null, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var sb = new StringBuilder(string.IsNullOrEmpty(resource.Group) ? $"/api/{resource.Version}" : $"/apis/{resource.Group}/{resource.Version}");
        if (resource.Namespaced && !string.IsNullOrEmpty(@namespace))
        {
            sb.Append("/namespaces/").Append(Uri.EscapeDataString(@namespace));
        }

        sb.Append('/').Append(resource.Plural);
        if (name is not null)
        {
            sb.Append('/').Append(Uri.EscapeDataString(name));
            if (subresource is not null)
            {
                sb.Append('/').Append(subresource);
            }
        }

        return sb.ToString();
    }

    public async Task<JsonObject> GetAsync(ResourceDescriptor resource, ObjectKey key, CancellationToken cancellationToken)
        => await SendJsonAsync(HttpMethod.Get, ResourcePath(resource, key.Namespace, key.Name), null, null, cancellationToken).ConfigureAwait(false);

    public async Task<ListPage> ListAsync(
        ResourceDescriptor resource, string? @namespace, string? labelSelector, int limit, string? continueToken, CancellationToken cancellationToken)
    {
        var query = Query(
            ("limit", limit > 0 ? limit.ToString(CultureInfo.InvariantCulture) : null),
            ("continue", continueToken),
            ("labelSelector", labelSelector));
        var list = await SendJsonAsync(HttpMethod.Get, ResourcePath(resource, @namespace), query, null, cancellationToken).ConfigureAwait(false);
        var items = list["items"] is JsonArray array ? array.OfType<JsonObject>().ToList() : [];
        var metadata = list["metadata"] as JsonObject;
        var next = metadata?["continue"]?.GetValue<string>();
        return new ListPage(items, metadata?["resourceVersion"]?.GetValue<string>() ?? string.Empty, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Opens a watch stream (newline-delimited JSON events). The caller owns and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenWatchAsync(
        ResourceDescriptor resource, string? @namespace, string? labelSelector, string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var query = Query(
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", resourceVersion),
            ("timeoutSeconds", timeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            ("labelSelector", labelSelector));
        var response = await SendAsync(HttpMethod.Get, ResourcePath(resource, @namespace), query, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    public Task<JsonObject> ReplaceStatusAsync(ResourceDescriptor resource, ObjectKey key, JsonObject body, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Put, ResourcePath(resource, key.Namespace, key.Name, "status"), null, JsonContent(body.ToJsonString(), Json), cancellationToken);

    public Task<JsonObject> MergePatchAsync(ResourceDescriptor resource, ObjectKey key, JsonObject patch, CancellationToken cancellationToken)
        => SendJsonAsync(
            HttpMethod.Patch,
            ResourcePath(resource, key.Namespace, key.Name),
            null,
            JsonContent(patch.ToJsonString(), new MediaTypeHeaderValue("application/merge-patch+json") { CharSet = "utf-8" }),
            cancellationToken);

    public Task<JsonObject> PostAsync(string path, string json, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Post, path, null, JsonContent(json, Json), cancellationToken);

    public Task<JsonObject> MergePatchPathAsync(string path, string json, CancellationToken cancellationToken)
        => SendJsonAsync(HttpMethod.Patch, path, null, JsonContent(json, new MediaTypeHeaderValue("application/merge-patch+json") { CharSet = "utf-8" }), cancellationToken);

    private static StringContent JsonContent(string json, MediaTypeHeaderValue type)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = type;
        return content;
    }

    private static string? Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? null : string.Join('&', parts);
    }

    private async Task<JsonObject> SendJsonAsync(HttpMethod method, string path, string? query, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, query, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
            ?? throw new KubeApiException(response.StatusCode, "InvalidResponse", $"{method} {path} returned no JSON object");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? query, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl + path + (query is null ? string.Empty : "?" + query)))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return await _kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<KubeApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? reason = null;
        string message = response.ReasonPhrase ?? response.StatusCode.ToString();
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(body) && JsonNode.Parse(body) is JsonObject status)
            {
                reason = status["reason"]?.GetValue<string>();
                message = status["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object; keep the HTTP reason phrase.
        }

        return new KubeApiException(response.StatusCode, reason, message);
    }
}
