using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed standby reader of the cluster.</summary>
public sealed class DatabaseStandbyStatus
{
    /// <summary>The reader's DB instance identifier.</summary>
    [MaxLength(63)]
    public string? InstanceIdentifier { get; set; }

    /// <summary>Its Availability Zone (different from the writer's once it is a failover target).</summary>
    [MaxLength(32)]
    public string? AvailabilityZone { get; set; }

    /// <summary>Its status as RDS reports it (e.g. <c>creating</c>, <c>available</c>, <c>deleting</c>).</summary>
    [MaxLength(64)]
    public string? Status { get; set; }
}
