using OpenKbs.Api;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Aws.Rds.Model;
using OpenKbs.Controllers.Projects;
using OpenKbs.Controllers.Projects.Components.Database;

namespace OpenKbs.Controllers.Tests.Projects;

/// <summary>The database delta is a pure function of desired and observed: each differing setting names exactly one path.</summary>
public sealed class DatabaseDeltaTests
{
    private const string KeyArn = "arn:aws:kms:eu-central-1:111122223333:key/k1";

    private static readonly ProjectNames Names = ProjectNames.For("tenants", "shop", "u1");

    private static readonly Dictionary<string, string> Owner = new(StringComparer.Ordinal) { [Labels.Uid] = "u1", [Labels.Owner] = "tenants/shop" };

    private static DatabaseDesired Desired(DatabaseSpec? spec = null) => DatabaseRendering.Desired(Names, spec ?? new DatabaseSpec { Enabled = true }, KeyArn, Owner);

    private static readonly DatabaseObservation Converged = new(
        new DBCluster
        {
            DBClusterIdentifier = Names.DatabaseCluster,
            BackupRetentionPeriod = 7,
            DeletionProtection = true,
            CopyTagsToSnapshot = true,
            ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfigurationInfo { MinCapacity = 0.5, MaxCapacity = 2 },
            MasterUserSecret = new MasterUserSecret { SecretArn = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:rds!cluster-1" },
            TagList = [.. Owner.Select(t => new Tag { Key = t.Key, Value = t.Value }), new Tag { Key = "cost-centre", Value = "42" }],
        },
        null);

    private static DatabaseObservation Drifted(Func<DBCluster, DBCluster> change) => Converged with { Cluster = change(Converged.Cluster!) };

    [Fact]
    public void A_converged_cluster_has_no_delta() => Assert.True(DatabaseDelta.Between(Desired(), Converged).IsEmpty);

    [Fact]
    public void A_missing_cluster_is_created_not_modified() =>
        Assert.Throws<ArgumentException>(() => DatabaseDelta.Between(Desired(), DatabaseObservation.Missing));

    public static TheoryData<string, Func<DBCluster, DBCluster>, DatabaseSpec, string[]> Drifts => new()
    {
        { "retention changed behind our back", c => c with { BackupRetentionPeriod = 1 }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.BackupRetentionDays] },
        { "retention raised in the spec", c => c, new DatabaseSpec { Enabled = true, BackupRetentionDays = 35 }, [DatabaseDelta.BackupRetentionDays] },
        { "protection turned off behind our back", c => c with { DeletionProtection = false }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.DeletionProtection] },
        { "protection not reported", c => c with { DeletionProtection = null }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.DeletionProtection] },
        { "protection off in the spec", c => c, new DatabaseSpec { Enabled = true, DeletionProtection = false }, [DatabaseDelta.DeletionProtection] },
        { "maximum capacity in the spec", c => c, new DatabaseSpec { Enabled = true, MaxCapacity = 8 }, [DatabaseDelta.Capacity] },
        { "minimum capacity changed behind our back", c => c with { ServerlessV2ScalingConfiguration = new ServerlessV2ScalingConfigurationInfo { MinCapacity = 1, MaxCapacity = 2 } }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.Capacity] },
        { "no scaling configuration", c => c with { ServerlessV2ScalingConfiguration = null }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.Capacity] },
        { "password no longer managed by AWS", c => c with { MasterUserSecret = null }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.ManagedPassword] },
        { "managed secret without an ARN", c => c with { MasterUserSecret = new MasterUserSecret() }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.ManagedPassword] },
        { "tags no longer copied to snapshots", c => c with { CopyTagsToSnapshot = false }, new DatabaseSpec { Enabled = true }, [DatabaseDelta.CopyTagsToSnapshot] },
        { "copying tags not reported", c => c with { CopyTagsToSnapshot = null }, new DatabaseSpec { Enabled = true }, [] },
        {
            "several, in the fixed order",
            c => c with { BackupRetentionPeriod = 3, CopyTagsToSnapshot = false },
            new DatabaseSpec { Enabled = true, MinCapacity = 0 },
            [DatabaseDelta.BackupRetentionDays, DatabaseDelta.Capacity, DatabaseDelta.CopyTagsToSnapshot]
        },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_drift_names_exactly_its_paths(string name, Func<DBCluster, DBCluster> change, DatabaseSpec spec, string[] expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var delta = DatabaseDelta.Between(Desired(spec), Drifted(change));

        Assert.Equal(expected, delta.Paths);
        Assert.False(delta.TagsDiffer);
        Assert.Equal(expected.Length == 0, delta.IsEmpty);
    }

    [Fact]
    public void A_missing_or_changed_owner_tag_is_the_only_tag_written_and_other_tools_tags_are_left_alone()
    {
        var delta = DatabaseDelta.Between(Desired(), Drifted(c => c with { TagList = [new Tag { Key = Labels.Uid, Value = "u1" }, new Tag { Key = Labels.Owner, Value = "x/y" }] }));

        Assert.Equal([KeyValuePair.Create(Labels.Owner, "tenants/shop")], delta.MissingTags);
        Assert.Equal((false, true, false), (delta.Unrelease, delta.TagsDiffer, delta.IsEmpty));
        Assert.Empty(delta.Paths);
    }

    [Fact]
    public void A_cluster_adopted_again_after_Retain_loses_its_released_tag()
    {
        var delta = DatabaseDelta.Between(Desired(), Drifted(c => c with { TagList = [.. c.TagList!, new Tag { Key = Labels.Released, Value = "2026-01-01T00:00:00Z" }] }));

        Assert.Equal((true, 0, 0), (delta.Unrelease, delta.MissingTags.Count, delta.Paths.Count));
        Assert.False(delta.IsEmpty);
    }

    [Fact]
    public void An_untagged_cluster_gets_every_owner_tag()
    {
        var delta = DatabaseDelta.Between(Desired(), Drifted(c => c with { TagList = null }));

        Assert.Equal(Owner.OrderBy(t => t.Key, StringComparer.Ordinal), delta.MissingTags.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void The_modify_carries_exactly_the_delta_and_the_project_key_for_the_managed_password()
    {
        var desired = Desired(new DatabaseSpec { Enabled = true, MaxCapacity = 4 });
        var delta = DatabaseDelta.Between(desired, Drifted(c => c with { MasterUserSecret = null }));

        var modify = DatabaseRendering.Modify(desired, delta.Paths);

        Assert.Equal([DatabaseDelta.Capacity, DatabaseDelta.ManagedPassword], delta.Paths);
        Assert.Equal((0.5, 4.0, true, KeyArn), (modify.ServerlessV2ScalingConfiguration!.MinCapacity, modify.ServerlessV2ScalingConfiguration.MaxCapacity, modify.ManageMasterUserPassword, modify.MasterUserSecretKmsKeyId));
        Assert.Null(modify.BackupRetentionPeriod);
        Assert.Null(modify.DeletionProtection);
        Assert.Null(modify.CopyTagsToSnapshot);
    }
}
