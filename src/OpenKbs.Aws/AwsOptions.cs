using OpenKbs.Aws.Resilience;

namespace OpenKbs.Aws;

/// <summary>Settings of the AWS access layer (configuration section <c>Aws</c>). Validated at startup by <see cref="Regions.AwsOptionsValidator"/>.</summary>
public sealed class AwsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Aws";

    /// <summary>The region used when a caller names none (management-side regional calls such as STS). Must be in <see cref="AllowedRegions"/>.</summary>
    public string DefaultRegion { get; set; } = "eu-central-1";

    /// <summary>
    /// The EU allowlist: no regional call or resource outside it. Only EU member-state regions may appear here
    /// (<see cref="Regions.EuRegions.MemberStateRegions"/>); anything else is a configuration error at startup.
    /// </summary>
    public IList<string> AllowedRegions { get; init; } = ["eu-central-1"];

    /// <summary>Overrides every service endpoint (an emulator such as moto). Same meaning as <c>AWS_ENDPOINT_URL</c>.</summary>
    public Uri? EndpointUrl { get; set; }

    /// <summary>Per-service endpoint overrides keyed by <see cref="Core.AwsService.EndpointId"/> (e.g. <c>ORGANIZATIONS</c>); win over <see cref="EndpointUrl"/>.</summary>
    public IDictionary<string, Uri> ServiceEndpoints { get; init; } = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Read <c>AWS_ENDPOINT_URL</c> and <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> from the environment (unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>). Explicit options win.</summary>
    public bool UseEnvironmentEndpoints { get; set; } = true;

    /// <summary>The operator's own address recorded as the source IP of every audit record. Determined once from the host when empty.</summary>
    public string? SourceAddress { get; set; }

    /// <summary>The prefix of every STS role session name (<c>{prefix}-{namespace}-{name}</c>).</summary>
    public string SessionNamePrefix { get; set; } = "openkbs";

    /// <summary>An assumed-role session is renewed this long before it expires (sessions last exactly 900 s).</summary>
    public TimeSpan SessionRefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries, timeouts and client-side rate limits.</summary>
    public AwsResilienceOptions Resilience { get; init; } = new();
}
