using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenKbs.Audit.Dependencies;

/// <summary>
/// Advisories from the OSV query API: <c>POST {base}/v1/querybatch</c> with
/// <c>{"queries":[{"package":{"ecosystem":"npm","name":N},"version":V}]}</c> answers the ids per query (following
/// <c>next_page_token</c>), then <c>GET {base}/v1/vulns/{id}</c> fetches each record once. The service's matching is
/// taken as is. Any transport error, timeout or non-success status makes the source unavailable.
/// </summary>
public sealed class OsvApiAdvisorySource(HttpClient http, Uri baseUri) : IAdvisorySource
{
    /// <summary>The public endpoint, for clusters with internet access.</summary>
    public static readonly Uri PublicEndpoint = new("https://api.osv.dev/");

    private const int BatchSize = 1000;

    public string Description => $"OSV API {baseUri}";

    public async Task<IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>> QueryAsync(IReadOnlyCollection<PackageVersion> packages, CancellationToken cancellationToken)
    {
        try
        {
            var ids = new Dictionary<PackageVersion, HashSet<string>>();
            foreach (var batch in packages.Chunk(BatchSize))
            {
                var pending = batch.Select(p => (Package: p, PageToken: (string?)null)).ToList();
                for (var page = 0; pending.Count > 0 && page < 20; page++)
                {
                    var queries = new JsonArray();
                    foreach (var (package, token) in pending)
                    {
                        var query = new JsonObject
                        {
                            ["package"] = new JsonObject { ["ecosystem"] = OsvMatcher.Ecosystem, ["name"] = package.Name },
                            ["version"] = package.Version,
                        };
                        if (token is not null)
                        {
                            query["page_token"] = token;
                        }

                        queries.Add(query);
                    }

                    using var response = await http.PostAsJsonAsync(new Uri(baseUri, "v1/querybatch"), new JsonObject { ["queries"] = queries }, cancellationToken).ConfigureAwait(false);
                    await EnsureSuccessAsync(response, "querybatch", cancellationToken).ConfigureAwait(false);
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
                    var results = body?["results"] as JsonArray ?? throw new AdvisorySourceUnavailableException("the OSV querybatch answer has no results array");
                    if (results.Count != pending.Count)
                    {
                        throw new AdvisorySourceUnavailableException($"the OSV querybatch answered {results.Count} results for {pending.Count} queries");
                    }

                    var next = new List<(PackageVersion, string?)>();
                    for (var i = 0; i < results.Count; i++)
                    {
                        var result = results[i] as JsonObject;
                        foreach (var vuln in result?["vulns"] as JsonArray ?? [])
                        {
                            if (vuln?["id"]?.GetValue<string>() is { } id)
                            {
                                if (!ids.TryGetValue(pending[i].Package, out var set))
                                {
                                    ids[pending[i].Package] = set = new HashSet<string>(StringComparer.Ordinal);
                                }

                                set.Add(id);
                            }
                        }

                        if (result?["next_page_token"]?.GetValue<string>() is { Length: > 0 } token)
                        {
                            next.Add((pending[i].Package, token));
                        }
                    }

                    pending = next;
                }
            }

            var records = new Dictionary<string, OsvAdvisory>(StringComparer.Ordinal);
            foreach (var id in ids.Values.SelectMany(s => s).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                using var response = await http.GetAsync(new Uri(baseUri, $"v1/vulns/{Uri.EscapeDataString(id)}"), cancellationToken).ConfigureAwait(false);
                await EnsureSuccessAsync(response, $"vulns/{id}", cancellationToken).ConfigureAwait(false);
                records[id] = OsvAdvisory.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
                    ?? throw new AdvisorySourceUnavailableException($"the OSV record {id} has no id");
            }

            return ids.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<OsvAdvisory>)[.. kv.Value.Order(StringComparer.Ordinal).Select(id => records[id])]);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AdvisorySourceUnavailableException($"the OSV API at {baseUri} cannot be used: {ex.Message}", ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new AdvisorySourceUnavailableException($"the OSV API at {baseUri} answered {(int)response.StatusCode} to {what}: {(text.Length > 200 ? text[..200] : text)}");
        }
    }
}

/// <summary>The first of several sources that answers; unavailable only when all are.</summary>
public sealed class FirstReachableAdvisorySource(params IAdvisorySource[] sources) : IAdvisorySource
{
    private IAdvisorySource? _used;
    private readonly List<string> _failures = [];

    public string Description =>
        (_used?.Description ?? "no advisory source answered") + (_failures.Count > 0 ? $" (unavailable: {string.Join("; ", _failures)})" : string.Empty);

    public async Task<IReadOnlyDictionary<PackageVersion, IReadOnlyList<OsvAdvisory>>> QueryAsync(IReadOnlyCollection<PackageVersion> packages, CancellationToken cancellationToken)
    {
        _failures.Clear();
        foreach (var source in sources)
        {
            try
            {
                var result = await source.QueryAsync(packages, cancellationToken).ConfigureAwait(false);
                _used = source;
                return result;
            }
            catch (AdvisorySourceUnavailableException ex)
            {
                _failures.Add(ex.Message);
            }
        }

        throw new AdvisorySourceUnavailableException(sources.Length == 0 ? "no advisory source is configured" : string.Join("; ", _failures));
    }
}
