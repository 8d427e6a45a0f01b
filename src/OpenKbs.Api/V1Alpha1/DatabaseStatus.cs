using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The observed Aurora cluster. Never holds a password or a secret's ARN.</summary>
public sealed class DatabaseStatus
{
    /// <summary>The DB cluster identifier.</summary>
    [MaxLength(63)]
    public string? ClusterIdentifier { get; set; }

    /// <summary>The writer endpoint's host name.</summary>
    [MaxLength(256)]
    public string? Endpoint { get; set; }

    /// <summary>The reader endpoint's host name.</summary>
    [MaxLength(256)]
    public string? ReaderEndpoint { get; set; }

    /// <summary>The port.</summary>
    [Minimum(1)]
    [Maximum(65535)]
    public int? Port { get; set; }

    /// <summary>The cluster's status as RDS reports it (e.g. <c>available</c>, <c>modifying</c>).</summary>
    [MaxLength(64)]
    public string? Status { get; set; }

    /// <summary>The PostgreSQL engine version.</summary>
    [MaxLength(32)]
    public string? EngineVersion { get; set; }

    /// <summary>The backup retention in days as RDS reports it.</summary>
    public int? BackupRetentionDays { get; set; }

    /// <summary>Whether deletion protection is on, as RDS reports it.</summary>
    public bool? DeletionProtection { get; set; }

    /// <summary>The earliest time the cluster can be restored to (point-in-time recovery window start), as RDS reports it.</summary>
    public DateTime? EarliestRestorableTime { get; set; }

    /// <summary>The latest time the cluster can be restored to (usually a few minutes ago), as RDS reports it.</summary>
    public DateTime? LatestRestorableTime { get; set; }

    /// <summary>The instance that is the cluster's writer now (after a failover this can be the former standby).</summary>
    [MaxLength(63)]
    public string? WriterInstance { get; set; }

    /// <summary>The Availability Zone of the writer.</summary>
    [MaxLength(32)]
    public string? WriterAvailabilityZone { get; set; }

    /// <summary>The standby reader (the failover target) when spec.database.standbyReplica is true.</summary>
    public DatabaseStandbyStatus? Standby { get; set; }
}
