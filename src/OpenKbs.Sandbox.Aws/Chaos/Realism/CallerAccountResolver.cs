using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using OpenKbs.Sandbox.Aws.Moto;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// Which account a call acts as, the way moto decides it: the <c>x-moto-account-id</c> header, else
/// the access key (moto maps keys of sessions it issued to the assumed account, every other key to
/// its default account). Asked once per key through moto's own STS GetCallerIdentity; moto does not
/// check signatures, so the probe only needs the caller's access key in its credential scope.
/// </summary>
internal sealed partial class CallerAccountResolver
{
    private readonly ConcurrentDictionary<string, string> _byAccessKey = new(StringComparer.Ordinal);

    public void Clear() => _byAccessKey.Clear();

    public async Task<string> ResolveAsync(
        HttpRequestMessage request,
        AwsRequestInfo info,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        if (AwsRequestClassifier.Header(request, MotoDefaults.AccountIdHeader) is { Length: > 0 } header)
        {
            return header;
        }

        if (info.AccessKeyId is null)
        {
            return MotoDefaults.AccountId;
        }

        if (_byAccessKey.TryGetValue(info.AccessKeyId, out var known))
        {
            return known;
        }

        using var probe = SideRequest(request, info, HttpMethod.Post, "/", "sts");
        probe.Content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", Encoding.UTF8);
        probe.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        using var response = await send(probe, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var match = AccountElement().Match(text);
        var account = response.IsSuccessStatusCode && match.Success ? match.Groups[1].Value : MotoDefaults.AccountId;
        _byAccessKey[info.AccessKeyId] = account;
        return account;
    }

    /// <summary>A request to the same backend as <paramref name="original"/>, as the same caller, scoped to <paramref name="service"/>.</summary>
    public static HttpRequestMessage SideRequest(HttpRequestMessage original, AwsRequestInfo info, HttpMethod method, string pathAndQuery, string service)
    {
        var baseUri = new Uri(original.RequestUri!.GetLeftPart(UriPartial.Authority));
        var side = new HttpRequestMessage(method, new Uri(baseUri, pathAndQuery));
        // moto checks neither the signature nor the date; a fixed date keeps this free of the clock.
        const string date = "20250101";
        var region = info.Region.Length > 0 ? info.Region : MotoDefaults.Region;
        var accessKey = info.AccessKeyId ?? MotoDefaults.AccessKeyId;
        side.Headers.TryAddWithoutValidation("X-Amz-Date", date + "T000000Z");
        side.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{date}/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000");
        foreach (var name in new[] { MotoDefaults.AccountIdHeader, "X-Amz-Security-Token" })
        {
            if (AwsRequestClassifier.Header(original, name) is { } value)
            {
                side.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (original.Headers.Host is { } host)
        {
            side.Headers.Host = host;
        }

        return side;
    }

    [GeneratedRegex("<Account>(\\d{12})</Account>", RegexOptions.CultureInvariant)]
    private static partial Regex AccountElement();
}
