using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Testing.AwsChaos;

/// <summary>
/// Minimal hand-made AWS calls for tests that check wire behaviour without an SDK. The Authorization
/// header carries a real credential scope (service, region, access key) but a dummy signature:
/// moto and the chaos layer read the scope and never verify signatures.
/// </summary>
public static class RawAws
{
    /// <summary>An awsJson 1.1 call (<c>X-Amz-Target: target</c>).</summary>
    public static HttpRequestMessage Json(Uri endpoint, string service, string target, JsonObject? body = null, string region = MotoDefaults.Region, string accessKeyId = MotoDefaults.AccessKeyId)
    {
        var request = Signed(HttpMethod.Post, new Uri(endpoint, "/"), service, region, accessKeyId);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes((body ?? []).ToJsonString()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        return request;
    }

    /// <summary>An Organizations call, e.g. <c>Organizations(endpoint, "CreateAccount", ...)</c>.</summary>
    public static HttpRequestMessage Organizations(Uri endpoint, string operation, JsonObject? body = null) =>
        Json(endpoint, "organizations", "AWSOrganizationsV20161128." + operation, body, "us-east-1");

    /// <summary>An awsQuery call (form body <c>Action=…&amp;Version=…</c>).</summary>
    public static HttpRequestMessage Query(Uri endpoint, string service, string action, string version, IEnumerable<KeyValuePair<string, string>>? parameters = null, string region = MotoDefaults.Region)
    {
        var request = Signed(HttpMethod.Post, new Uri(endpoint, "/"), service, region, MotoDefaults.AccessKeyId);
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", version) };
        form.AddRange(parameters ?? []);
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    /// <summary>A REST call with an optional JSON body.</summary>
    public static HttpRequestMessage Rest(HttpMethod method, Uri endpoint, string pathAndQuery, string service, JsonObject? body = null, string region = MotoDefaults.Region)
    {
        var request = Signed(method, new Uri(endpoint, pathAndQuery), service, region, MotoDefaults.AccessKeyId);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>Adds a credential-scoped Authorization header with a dummy signature.</summary>
    public static HttpRequestMessage Signed(HttpMethod method, Uri uri, string service, string region, string accessKeyId)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20250101T000000Z");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20250101/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}");
        return request;
    }

    /// <summary>The body of an answer as JSON.</summary>
    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }
}
