using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An object in Amazon S3.</summary>
public sealed record S3Location
{
    /// <summary>The bucket name.</summary>
    [MinLength(3)]
    [MaxLength(63)]
    [Pattern(@"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    public required string Bucket { get; init; }

    /// <summary>The object key, e.g. <c>examples/shop/1.0.0.zip</c>.</summary>
    [MinLength(1)]
    [MaxLength(1024)]
    public required string Key { get; init; }
}
