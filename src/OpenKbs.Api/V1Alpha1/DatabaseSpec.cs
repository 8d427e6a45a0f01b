using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>An Aurora PostgreSQL Serverless v2 cluster, storage encrypted, master password managed by AWS.</summary>
[CelRule(
    "!has(self.minCapacity) || !has(self.maxCapacity) || self.minCapacity <= self.maxCapacity",
    "minCapacity must not exceed maxCapacity",
    FieldPath = ".minCapacity")]
public sealed record DatabaseSpec
{
    /// <summary>Create the database. Turning it off later does not delete it.</summary>
    public bool Enabled { get; init; }

    /// <summary>Minimum capacity in Aurora capacity units, 0 to 256 in steps of 0.5; 0.5 when absent. 0 lets the
    /// database pause when idle.</summary>
    [Minimum(0)]
    [Maximum(256)]
    [MultipleOf(0.5)]
    public double? MinCapacity { get; init; }

    /// <summary>Maximum capacity in Aurora capacity units, 1 to 256 in steps of 0.5; 2 when absent.</summary>
    [Minimum(1)]
    [Maximum(256)]
    [MultipleOf(0.5)]
    public double? MaxCapacity { get; init; }

    /// <summary>Days of automated backups for point-in-time recovery, 1 to 35; 7 when absent.</summary>
    [Minimum(1)]
    [Maximum(35)]
    public int? BackupRetentionDays { get; init; }

    /// <summary>Protect the cluster from deletion (through any client, not only the operator).</summary>
    [Default(true)]
    public bool DeletionProtection { get; init; } = true;

    /// <summary>Keep a second db.serverless instance (a reader, promotion tier 0, so it scales with the writer) in another
    /// Availability Zone of the home region: Aurora fails over to it when the writer or its zone fails. Turning it off removes
    /// that reader (the data lives in the cluster volume, not in the instance, so nothing is lost). False when absent.</summary>
    public bool StandbyReplica { get; init; }
}
