using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenKbs.Aws;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Clients;

namespace OpenKbs.Controllers.Shared;

/// <summary>
/// The AWS wiring every controller shares: the access layer with options from configuration section <c>Aws</c>
/// (e.g. environment <c>OPENKBS_Aws__AllowedRegions__0=eu-west-1</c>; the standard AWS variables such as
/// <c>AWS_ENDPOINT_URL</c> and the credential chain are read by the layer itself), the Kubernetes Event audit sink next
/// to the logging sink, and the status store for mid-pass checkpoints.
/// </summary>
public static class AwsRegistration
{
    /// <summary>Registers the shared pieces once (idempotent; an <see cref="IAwsClientFactory"/> registered before is kept, e.g. by tests).</summary>
    public static IServiceCollection AddControllerAws(this IServiceCollection services, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(IAwsClientFactory)))
        {
            var section = configuration?.GetSection(AwsOptions.SectionName);
            services.AddOpenKbsAws(options => Bind(options, section));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, KubernetesEventAuditSink>());
        return services;
    }

    /// <summary>
    /// Binds section <c>Aws</c> (also for commands that read AWS outside the host, e.g. <c>openkbs nis2 report</c>). <c>AllowedRegions</c> replaces the default list (the configuration binder would append
    /// to it) and also accepts a comma-separated value.
    /// </summary>
    public static void Bind(AwsOptions options, IConfigurationSection? section)
    {
        if (section is null || !section.Exists())
        {
            return;
        }

        var regions = section.GetSection(nameof(AwsOptions.AllowedRegions));
        var configured = regions.GetChildren().Select(c => c.Value).ToList();
        if (configured.Count == 0 && !string.IsNullOrWhiteSpace(regions.Value))
        {
            configured = [.. regions.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        section.Bind(options);
        if (configured.Count > 0)
        {
            options.AllowedRegions.Clear();
            foreach (var region in configured.OfType<string>().Where(r => r.Length > 0).Distinct(StringComparer.Ordinal))
            {
                options.AllowedRegions.Add(region);
            }
        }
    }
}
