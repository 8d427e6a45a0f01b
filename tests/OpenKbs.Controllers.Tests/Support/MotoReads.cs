using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Controllers.Tests.Support;

/// <summary>
/// What IAM knows when it authorizes a call and the call itself does not say, read from moto as it is at this moment:
/// the aliases of a KMS key (<c>kms:ResourceAliases</c>: a plain ListAliases, acting as the member account through moto's
/// account header, in the call's region), the organization (id and management account) that Organizations ARNs carry, and a
/// policy's ARN (its type is part of it). Synchronous on purpose: <see cref="AwsCallRecorder"/> asks while the layer is about
/// to send the call, before the call itself changes what it acts on (DeleteAlias, ScheduleKeyDeletion, DetachPolicy).
/// </summary>
internal sealed class MotoReads(Uri endpoint) : IDisposable
{
    private const int Attempts = 3;
    private readonly HttpClient _http = new() { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, string> _policyArns = new(StringComparer.Ordinal);
    private (string Id, string ManagementAccountId)? _organization;

    /// <summary>Every alias of the region: alias name and target key id.</summary>
    public IReadOnlyList<(string Alias, string? TargetKeyId)> KmsAliases(string accountId, string region) => Aliases(accountId, region, keyId: null);

    /// <summary>The aliases of one key (its ARN or id), without AWS's own (<c>alias/aws/…</c>).</summary>
    public IReadOnlyList<string> KmsAliasesOf(string accountId, string region, string keyId) =>
        [.. Aliases(accountId, region, keyId).Select(a => a.Alias).Where(a => !a.StartsWith("alias/aws/", StringComparison.Ordinal))];

    /// <summary>The organization of moto's management account (read once: its id and management account do not change).</summary>
    public (string Id, string ManagementAccountId) Organization()
    {
        if (_organization is { } known)
        {
            return known;
        }

        var organization = Send("organizations", "AWSOrganizationsV20161128.DescribeOrganization", new JsonObject(), accountId: null, "us-east-1")["Organization"]!;
        _organization = ((string)organization["Id"]!, (string)organization["MasterAccountId"]!);
        return _organization.Value;
    }

    /// <summary>
    /// The ARN of an Organizations policy (its type and owner are part of it). AWS managed policies (FullAWSAccess) are owned by
    /// <c>aws</c> in AWS (<c>arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess</c>); moto names them
    /// like the organization's own, so their ARN is made as AWS makes it.
    /// </summary>
    public string PolicyArn(string policyId) => _policyArns.GetOrAdd(policyId, id =>
    {
        var summary = Send("organizations", "AWSOrganizationsV20161128.DescribePolicy", new JsonObject { ["PolicyId"] = id }, accountId: null, "us-east-1")["Policy"]!["PolicySummary"]!;
        return (bool?)summary["AwsManaged"] == true
            ? $"arn:aws:organizations::aws:policy/{((string)summary["Type"]!).ToLowerInvariant()}/{id}"
            : (string)summary["Arn"]!;
    });

    public void Dispose() => _http.Dispose();

    private List<(string Alias, string? TargetKeyId)> Aliases(string accountId, string region, string? keyId) =>
        [.. Send("kms", "TrentService.ListAliases", keyId is null ? new JsonObject() : new JsonObject { ["KeyId"] = keyId }, accountId, region)["Aliases"]!
            .AsArray().Select(a => ((string)a!["AliasName"]!, (string?)a["TargetKeyId"]))];

    private JsonNode Send(string service, string target, JsonObject body, string? accountId, string region)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return SendOnce(service, target, body, accountId, region);
            }
            catch (Exception ex) when (attempt < Attempts && ex is HttpRequestException or TaskCanceledException)
            {
                Thread.Sleep(50 * attempt);
            }
        }
    }

    private JsonNode SendOnce(string service, string target, JsonObject body, string? accountId, string region)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", target);
        if (accountId is not null)
        {
            request.Headers.Add(MotoDefaults.AccountIdHeader, accountId);
        }

        // moto takes the region and service from the credential scope and does not verify the signature.
        request.Headers.TryAddWithoutValidation(
            "Authorization", $"AWS4-HMAC-SHA256 Credential={MotoDefaults.AccessKeyId}/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        var text = reader.ReadToEnd();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new HttpRequestException($"moto {target} answered {(int)response.StatusCode}: {text}");
    }
}
