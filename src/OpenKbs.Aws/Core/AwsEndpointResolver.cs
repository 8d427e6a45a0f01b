using Microsoft.Extensions.Options;

namespace OpenKbs.Aws.Core;

/// <summary>
/// Resolves the endpoint of a service in a region: per-service override (options, then <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>),
/// then the global override (options, then <c>AWS_ENDPOINT_URL</c>), then AWS's own endpoint (global host for global services,
/// <c>https://{prefix}.{region}.amazonaws.com</c> otherwise). Signing region: us-east-1 for global services, the region otherwise.
/// </summary>
public sealed class AwsEndpointResolver
{
    /// <summary>The environment variable that overrides every endpoint.</summary>
    public const string EndpointUrlVariable = "AWS_ENDPOINT_URL";

    /// <summary>Set to <c>true</c> to ignore the AWS_ENDPOINT_URL* variables (as the AWS SDKs do).</summary>
    public const string IgnoreVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    private readonly AwsOptions _options;
    private readonly Func<string, string?> _environment;

    public AwsEndpointResolver(IOptions<AwsOptions> options)
        : this(options, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>For tests: reads variables through <paramref name="environment"/>.</summary>
    public AwsEndpointResolver(IOptions<AwsOptions> options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _environment = environment;
    }

    public AwsEndpoint Resolve(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        var signingRegion = service.IsGlobal ? AwsService.GlobalSigningRegion : region;
        var overrideUri = FindOverride(service);
        if (overrideUri is not null)
        {
            return new AwsEndpoint(overrideUri, signingRegion, service.SigningName, IsOverride: true);
        }

        var uri = service.GlobalEndpoint ?? new Uri($"https://{service.EndpointPrefix}.{region}.amazonaws.com");
        return new AwsEndpoint(uri, signingRegion, service.SigningName, IsOverride: false);
    }

    private Uri? FindOverride(AwsService service)
    {
        if (_options.ServiceEndpoints.TryGetValue(service.EndpointId, out var perService))
        {
            return perService;
        }

        var useEnvironment = _options.UseEnvironmentEndpoints
            && !string.Equals(_environment(IgnoreVariable), "true", StringComparison.OrdinalIgnoreCase);
        if (useEnvironment && TryParse(_environment($"{EndpointUrlVariable}_{service.EndpointId}"), out var fromEnvironment))
        {
            return fromEnvironment;
        }

        if (_options.EndpointUrl is not null)
        {
            return _options.EndpointUrl;
        }

        return useEnvironment && TryParse(_environment(EndpointUrlVariable), out var global) ? global : null;
    }

    private static bool TryParse(string? value, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"Endpoint override '{value}' is not an absolute http(s) URL.");
        }

        uri = parsed;
        return true;
    }
}
