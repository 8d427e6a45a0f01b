using Microsoft.Extensions.Options;

namespace OpenKbs.Aws.Regions;

/// <summary>Startup validation: the allowlist holds only EU member-state regions, the default region is in it, the resilience numbers are sane.</summary>
internal sealed class AwsOptionsValidator : IValidateOptions<AwsOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var failures = new List<string>();
        if (options.AllowedRegions.Count == 0)
        {
            failures.Add("Aws:AllowedRegions is empty; name at least one EU region (e.g. eu-central-1).");
        }

        foreach (var region in options.AllowedRegions)
        {
            if (!EuRegions.IsMemberStateRegion(region))
            {
                failures.Add(
                    $"Aws:AllowedRegions contains '{region}', which is not an EU member-state region. Allowed values: "
                    + string.Join(", ", EuRegions.MemberStateRegions.Order(StringComparer.Ordinal)) + ".");
            }
        }

        if (!options.AllowedRegions.Contains(options.DefaultRegion, StringComparer.Ordinal))
        {
            failures.Add($"Aws:DefaultRegion '{options.DefaultRegion}' is not in Aws:AllowedRegions.");
        }

        var resilience = options.Resilience;
        if (resilience.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Aws:Resilience:MaxRetryAttempts must be between 0 and 10.");
        }

        if (resilience.AttemptTimeout <= TimeSpan.Zero || resilience.BaseDelay < TimeSpan.Zero || resilience.MaxDelay < resilience.BaseDelay)
        {
            failures.Add("Aws:Resilience delays must be positive and MaxDelay >= BaseDelay.");
        }

        if (options.SessionRefreshMargin <= TimeSpan.Zero || options.SessionRefreshMargin >= TimeSpan.FromMinutes(14))
        {
            failures.Add("Aws:SessionRefreshMargin must be between 0 and 14 minutes (sessions last 15 minutes).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
