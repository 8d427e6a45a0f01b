using OpenKbs.Controllers.Shared;

namespace OpenKbs.Controllers.Projects.Components.Database;

/// <summary>
/// The cluster settings that differ from the desired state (ACK-style delta): <see cref="PathDelta.Paths"/> are the fields of one
/// ModifyDBCluster, <see cref="MissingTags"/> and <see cref="Unrelease"/> the tag writes. Computed by <see cref="Between"/>, a pure
/// function of what is wanted and what was observed.
/// </summary>
internal sealed record DatabaseDelta : PathDelta
{
    public const string BackupRetentionDays = "Spec.BackupRetentionDays";
    public const string DeletionProtection = "Spec.DeletionProtection";
    public const string Capacity = "Spec.Capacity";
    public const string ManagedPassword = "MasterUserSecret";
    public const string CopyTagsToSnapshot = "CopyTagsToSnapshot";

    /// <summary>The owner tags the cluster lacks or carries with another value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> MissingTags { get; private init; } = [];

    /// <summary>The cluster carries <c>openkbs.com/released</c> (adopted again after a Retain deletion): the tag goes.</summary>
    public bool Unrelease { get; private init; }

    public bool TagsDiffer => MissingTags.Count > 0 || Unrelease;

    public override bool IsEmpty => base.IsEmpty && !TagsDiffer;

    /// <summary>The paths where the observed cluster is not <paramref name="desired"/>. A missing cluster has no delta: it is created.</summary>
    public static DatabaseDelta Between(DatabaseDesired desired, DatabaseObservation observed)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        var cluster = observed.Cluster ?? throw new ArgumentException("a missing cluster is created, not modified", nameof(observed));
        var tags = observed.Tags.Pairs();
        var delta = new DatabaseDelta
        {
            MissingTags = OwnershipTags.Missing(desired.OwnerTags, tags),
            Unrelease = OwnershipTags.IsReleased(tags),
        };
        if (cluster.BackupRetentionPeriod != desired.BackupRetentionDays)
        {
            delta.Paths.Add(BackupRetentionDays);
        }

        if ((cluster.DeletionProtection ?? false) != desired.DeletionProtection)
        {
            delta.Paths.Add(DeletionProtection);
        }

        var scaling = cluster.ServerlessV2ScalingConfiguration;
        if (scaling?.MinCapacity != desired.MinCapacity || scaling?.MaxCapacity != desired.MaxCapacity)
        {
            delta.Paths.Add(Capacity);
        }

        if (string.IsNullOrEmpty(cluster.MasterUserSecret?.SecretArn))
        {
            delta.Paths.Add(ManagedPassword);
        }

        if (cluster.CopyTagsToSnapshot == false)
        {
            delta.Paths.Add(CopyTagsToSnapshot);
        }

        return delta;
    }

    /// <summary>The ModifyDBCluster paths (tags are not listed), for logs and events.</summary>
    public override string ToString() => string.Join(", ", Paths);
}
