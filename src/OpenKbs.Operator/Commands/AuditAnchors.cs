using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenKbs.AuditTrail;
using OpenKbs.Aws;
using OpenKbs.Aws.Clients;
using OpenKbs.Controllers.Shared;

namespace OpenKbs.Operator.Commands;

/// <summary>
/// The <c>--anchor-bucket</c> option of <c>audit verify</c> and <c>incident verify</c>: the S3 Object Lock bucket the chains' heads are
/// anchored to (default: the operator's own setting, <c>OPENKBS_AuditStore__AnchorBucket</c>; region and prefix from
/// <c>OPENKBS_AuditStore__AnchorRegion</c> / <c>__AnchorPrefix</c>; AWS settings as <c>openkbs run</c>). Read access is enough.
/// </summary>
internal static class AuditAnchors
{
    public const string Variable = "OPENKBS_AuditStore__AnchorBucket";

    public static Option<string?> Option() => new("--anchor-bucket")
    {
        Description = $"S3 bucket (Object Lock) holding the chain checkpoints (default: ${Variable}); without one, deleting the newest records cannot be detected.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Variable),
    };

    /// <summary>The sink on <paramref name="bucket"/> and the provider that owns its AWS layer (dispose it); (null, null) without a bucket.</summary>
    public static (IChainAnchorSink? Sink, ServiceProvider? Owner) Open(string? bucket)
    {
        if (string.IsNullOrWhiteSpace(bucket))
        {
            return (null, null);
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("OPENKBS_").Build();
        var options = new AuditStoreOptions();
        configuration.GetSection(AuditStoreOptions.SectionName).Bind(options);
        options.AnchorBucket = bucket;
        var services = new ServiceCollection().AddLogging();
        services.AddOpenKbsAws(o => AwsRegistration.Bind(o, configuration.GetSection(AwsOptions.SectionName)));
        var provider = services.BuildServiceProvider();
        return (new S3AnchorSink(provider.GetRequiredService<IAwsClientFactory>(), options, provider.GetRequiredService<TimeProvider>()), provider);
    }
}
