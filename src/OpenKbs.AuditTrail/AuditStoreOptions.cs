using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>
/// Settings of the durable audit store (configuration section <c>AuditStore</c>, e.g. <c>OPENKBS_AuditStore__ConnectionString</c>).
/// Optional: without <see cref="ConnectionString"/> the operator records to logs and Events only and warns at start; once set,
/// every AWS mutation must be recorded here before it is sent.
/// </summary>
public sealed class AuditStoreOptions
{
    public const string SectionName = "AuditStore";

    /// <summary>The operator's connection (a role granted only INSERT and SELECT on the journal). Unset: no durable store.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The schema owner's connection, used at start to apply migrations, set the retention and grant the operator's role.
    /// Unset: migrations are applied with <see cref="ConnectionString"/> (development only: that role then owns the table).
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>Who the operator is, recorded in every record (e.g. <c>system:serviceaccount:openkbs-system:openkbs-operator</c>).</summary>
    public string OperatorIdentity { get; set; } = "openkbs-operator";

    /// <summary>Days a record is kept at least; the database refuses to delete younger records (purge is a separate privileged function).</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>A database role granted EXECUTE on <c>openkbs_audit.purge_expired()</c> by the migration; unset: nobody but the owner.</summary>
    public string? MaintenanceRole { get; set; }

    /// <summary>Seconds to wait for a connection or a statement before the store counts as unreachable (the mutation is then not sent).</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How often the operator verifies the hash chain in the background (<see cref="AuditChainWatch"/>; first run at start, then
    /// incremental): between one minute and one day.
    /// </summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The S3 bucket (Object Lock enabled, in the operator's management account and an EU region) the chains' heads are anchored to
    /// (<see cref="S3AnchorSink"/>): at each background verification and after <see cref="AnchorEveryRecords"/> records. Unset: no
    /// checkpoint outside the database, and deleting the newest records cannot be detected (reports say so).
    /// </summary>
    public string? AnchorBucket { get; set; }

    /// <summary>The anchor bucket's region (an allowed EU region); unset: <c>Aws:DefaultRegion</c>.</summary>
    public string? AnchorRegion { get; set; }

    /// <summary>The key prefix of the checkpoints in the bucket (empty, or ending in <c>/</c>).</summary>
    public string AnchorPrefix { get; set; } = "openkbs-audit-anchors/";

    /// <summary>The Object Lock mode of each checkpoint: <c>Compliance</c> (nobody can delete it before its date) or <c>Governance</c>.</summary>
    public string AnchorMode { get; set; } = "Compliance";

    /// <summary>Days each checkpoint is locked (1 to 36500).</summary>
    public int AnchorRetentionDays { get; set; } = 400;

    /// <summary>Records appended by this operator after which the heads are verified and anchored at once, before the next interval (100 to 1,000,000).</summary>
    public int AnchorEveryRecords { get; set; } = 1000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    public bool IsAnchored => !string.IsNullOrWhiteSpace(AnchorBucket);
}

/// <summary>Validates <see cref="AuditStoreOptions"/> at start: clear messages, nothing connected yet.</summary>
internal sealed partial class AuditStoreOptionsValidator : IValidateOptions<AuditStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditStoreOptions options)
    {
        var failures = new List<string>();
        if (options.IsConfigured)
        {
            Check(options.ConnectionString!, nameof(options.ConnectionString), failures);
        }

        if (!string.IsNullOrWhiteSpace(options.MigrationConnectionString))
        {
            Check(options.MigrationConnectionString, nameof(options.MigrationConnectionString), failures);
        }

        if (options.RetentionDays < 1)
        {
            failures.Add($"AuditStore:RetentionDays must be at least 1 (was {options.RetentionDays})");
        }

        if (options.TimeoutSeconds is < 1 or > 300)
        {
            failures.Add($"AuditStore:TimeoutSeconds must be between 1 and 300 (was {options.TimeoutSeconds})");
        }

        if (options.VerifyInterval < TimeSpan.FromMinutes(1) || options.VerifyInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"AuditStore:VerifyInterval must be between 00:01:00 and 1.00:00:00 (was {options.VerifyInterval})");
        }

        if (options.IsAnchored)
        {
            Anchor(options, failures);
        }

        if (string.IsNullOrWhiteSpace(options.OperatorIdentity))
        {
            failures.Add("AuditStore:OperatorIdentity must not be empty");
        }

        if (options.MaintenanceRole is { } role && !AuditSchema.IsPlainIdentifier(role))
        {
            failures.Add($"AuditStore:MaintenanceRole '{role}' must be a plain role name (letters, digits, underscore)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Anchor(AuditStoreOptions options, List<string> failures)
    {
        if (!options.IsConfigured)
        {
            failures.Add("AuditStore:AnchorBucket needs AuditStore:ConnectionString (the chains it anchors are in the store)");
        }

        if (!BucketName().IsMatch(options.AnchorBucket!))
        {
            failures.Add($"AuditStore:AnchorBucket '{options.AnchorBucket}' is not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
        }

        if (options.AnchorRegion is { } region && !Aws.Regions.EuRegions.IsMemberStateRegion(region))
        {
            failures.Add($"AuditStore:AnchorRegion '{region}' is not an EU member-state region");
        }

        if (options.AnchorPrefix.Length > 200 || (options.AnchorPrefix.Length > 0 && !options.AnchorPrefix.EndsWith('/')) || options.AnchorPrefix.StartsWith('/'))
        {
            failures.Add($"AuditStore:AnchorPrefix '{options.AnchorPrefix}' must be empty or end in '/' (not start with it), at most 200 characters");
        }

        if (!string.Equals(options.AnchorMode, "Compliance", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.AnchorMode, "Governance", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"AuditStore:AnchorMode must be Compliance or Governance (was '{options.AnchorMode}')");
        }

        if (options.AnchorRetentionDays is < 1 or > 36500)
        {
            failures.Add($"AuditStore:AnchorRetentionDays must be between 1 and 36500 (was {options.AnchorRetentionDays})");
        }

        if (options.AnchorEveryRecords is < 100 or > 1_000_000)
        {
            failures.Add($"AuditStore:AnchorEveryRecords must be between 100 and 1000000 (was {options.AnchorEveryRecords})");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial System.Text.RegularExpressions.Regex BucketName();

    private static void Check(string connectionString, string name, List<string> failures)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message names the bad keyword, never the value (which may hold a password).
            failures.Add($"AuditStore:{name} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
