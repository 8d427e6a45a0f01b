using Microsoft.Extensions.Options;
using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Regions;

/// <summary>
/// The EU data-residency guard. Every regional call and every ARN a request names is checked against the configured allowlist
/// before anything is sent. Global services (Organizations, Account, IAM, CloudFront, Cost Explorer) are signed for us-east-1
/// as AWS requires and hold no regional data, so their calls pass; ARNs they carry are still checked.
/// </summary>
public sealed class AwsRegionGuard
{
    private readonly HashSet<string> _allowed;

    public AwsRegionGuard(IOptions<AwsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        foreach (var region in value.AllowedRegions)
        {
            if (!EuRegions.IsMemberStateRegion(region))
            {
                throw new OptionsValidationException(
                    AwsOptions.SectionName,
                    typeof(AwsOptions),
                    [$"Aws:AllowedRegions contains '{region}', which is not an EU member-state region."]);
            }
        }

        _allowed = new HashSet<string>(value.AllowedRegions, StringComparer.Ordinal);
        DefaultRegion = value.DefaultRegion;
    }

    /// <summary>The configured default region (always allowed).</summary>
    public string DefaultRegion { get; }

    /// <summary>The allowlist, sorted.</summary>
    public IReadOnlyList<string> AllowedRegions => [.. _allowed.Order(StringComparer.Ordinal)];

    public bool IsAllowed(string? region) => region is not null && _allowed.Contains(region);

    /// <summary>Throws <see cref="RegionNotAllowedException"/> unless <paramref name="region"/> is allowed.</summary>
    public void EnsureAllowed(string? region, string service = "openkbs", string operation = "resolve")
    {
        if (!IsAllowed(region))
        {
            throw new RegionNotAllowedException(
                service,
                operation,
                region ?? string.Empty,
                $"Region '{region}' is outside the EU allowlist ({string.Join(", ", AllowedRegions)}); nothing was sent.");
        }
    }

    /// <summary>Checks a call: regional services must target an allowed region; global services pass.</summary>
    public void EnsureCallAllowed(AwsService service, string region, string operation)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!service.IsGlobal)
        {
            EnsureAllowed(region, service.SigningName, operation);
        }
    }

    /// <summary>
    /// Checks an ARN a request names (e.g. a KMS key, a Lambda function): its region field must be empty (global resource) or allowed.
    /// Values that are not ARNs (names, ids) pass.
    /// </summary>
    public void EnsureArnAllowed(string? arn, string service = "openkbs", string operation = "resolve")
    {
        var region = RegionOfArn(arn);
        if (!string.IsNullOrEmpty(region))
        {
            EnsureAllowed(region, service, operation);
        }
    }

    /// <summary>The region field of an ARN (<c>arn:partition:service:region:account:resource</c>), or null when the value is not an ARN.</summary>
    public static string? RegionOfArn(string? arn)
    {
        if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = arn.Split(':', 5);
        return parts.Length >= 4 ? parts[3] : null;
    }
}
