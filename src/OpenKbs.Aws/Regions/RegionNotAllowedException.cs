using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.Regions;

/// <summary>Thrown by the region guard before anything is sent: the call or resource is outside the configured EU allowlist. Always terminal.</summary>
public sealed class RegionNotAllowedException : AwsServiceException
{
    /// <summary>The error code carried by this exception.</summary>
    public const string Code = "RegionNotAllowed";

    public RegionNotAllowedException()
        : this("unknown", "unknown", string.Empty, "The region is not allowed.")
    {
    }

    public RegionNotAllowedException(string message)
        : this("unknown", "unknown", string.Empty, message)
    {
    }

    public RegionNotAllowedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Region = string.Empty;
    }

    public RegionNotAllowedException(string service, string operation, string region, string message)
        : base(service, operation, Code, message, 0, requestId: null, AwsErrorClassification.Terminal)
    {
        Region = region;
    }

    /// <summary>The refused region (empty when unknown).</summary>
    public string Region { get; }
}
