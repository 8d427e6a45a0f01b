using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>Raw HTTP access to an API server (through the KubernetesClient's authenticated HttpClient): exact status codes and bodies, and watch streams.</summary>
public sealed class RawApi(HttpClient http, Uri baseUri)
{
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path.TrimStart('/')));
        if (body is not null || rawBody is not null)
        {
            request.Content = new StringContent(rawBody ?? body!.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            parsed = JsonNode.Parse(text);
        }

        return ((int)response.StatusCode, parsed);
    }

    public async Task<JsonObject> GetAsync(string path, string? accept = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, accept: accept);
        Assert.True(status == 200, $"GET {path} answered {status}: {body?.ToJsonString()}");
        return (JsonObject)body!;
    }

    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject obj)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, collectionPath, obj);
        Assert.True(status == 201, $"POST {collectionPath} answered {status}: {body?.ToJsonString()}");
        return (JsonObject)body!;
    }

    public async Task<RawWatch> WatchAsync(string pathAndQuery, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, pathAndQuery.TrimStart('/')));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"watch {pathAndQuery} answered {(int)response.StatusCode}");
        return new RawWatch(request, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }
}
