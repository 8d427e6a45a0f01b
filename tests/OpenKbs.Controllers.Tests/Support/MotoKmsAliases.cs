using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// The aliases of KMS keys as moto holds them at this moment, read the way KMS reads them when it authorizes a key resource
/// operation (<c>kms:ResourceAliases</c>): a plain ListAliases to moto, acting as the member account (moto's account header), in
/// the call's region. Synchronous on purpose: <see cref="AwsCallRecorder"/> asks while the layer is about to send the call,
/// before the call itself changes the aliases (DeleteAlias) or the key (ScheduleKeyDeletion).
/// </summary>
internal sealed class MotoKmsAliases(Uri endpoint) : IDisposable
{
    private const int Attempts = 3;
    private readonly HttpClient _http = new() { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Every alias of the region: alias name -> target key id.</summary>
    public IReadOnlyList<(string Alias, string? TargetKeyId)> All(string accountId, string region) => List(accountId, region, keyId: null);

    /// <summary>The aliases of one key (its ARN or id).</summary>
    public IReadOnlyList<string> Of(string accountId, string region, string keyId) =>
        [.. List(accountId, region, keyId).Select(a => a.Alias).Where(a => !a.StartsWith("alias/aws/", StringComparison.Ordinal))];

    public void Dispose() => _http.Dispose();

    private List<(string Alias, string? TargetKeyId)> List(string accountId, string region, string? keyId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Send(accountId, region, keyId);
            }
            catch (Exception ex) when (attempt < Attempts && ex is HttpRequestException or TaskCanceledException)
            {
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private List<(string Alias, string? TargetKeyId)> Send(string accountId, string region, string? keyId)
    {
        var body = keyId is null ? new JsonObject() : new JsonObject { ["KeyId"] = keyId };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", "TrentService.ListAliases");
        request.Headers.Add(MotoDefaults.AccountIdHeader, accountId);

        // moto takes the region from the credential scope and does not verify the signature.
        request.Headers.TryAddWithoutValidation(
            "Authorization", $"AWS4-HMAC-SHA256 Credential={MotoDefaults.AccessKeyId}/20260101/{region}/kms/aws4_request, SignedHeaders=host, Signature=0");
        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        var text = reader.ReadToEnd();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"moto ListAliases answered {(int)response.StatusCode}: {text}");
        }

        return [.. JsonNode.Parse(text)!["Aliases"]!.AsArray().Select(a => ((string)a!["AliasName"]!, (string?)a["TargetKeyId"]))];
    }
}
