using OpenKbs.Runtime.Cache;
using OpenKbs.Runtime.Controllers;
using OpenKbs.Runtime.Tests.Widgets;

namespace OpenKbs.Runtime.Tests.Controllers;

public sealed class UpdateTriggerTests
{
    private static readonly ObjectSummary Before = new()
    {
        Key = new ObjectKey("ns", "w"), Uid = "u1", ResourceVersion = "1", Generation = 1, LabelsHash = 11, AnnotationsHash = 22,
    };

    private static readonly Dictionary<string, (ObjectSummary After, ReconcileTrigger Expected)> Table = new()
    {
        ["status-only write (ours included)"] = (Before with { ResourceVersion = "2" }, ReconcileTrigger.None),
        ["spec change bumps generation"] = (Before with { ResourceVersion = "2", Generation = 2 }, ReconcileTrigger.SpecChanged),
        ["label change"] = (Before with { ResourceVersion = "2", LabelsHash = 12 }, ReconcileTrigger.MetadataChanged),
        ["annotation change"] = (Before with { ResourceVersion = "2", AnnotationsHash = 23 }, ReconcileTrigger.MetadataChanged),
        ["reconcile request"] = (
            Before with { ResourceVersion = "2", AnnotationsHash = 23, ReconcileRequestedAt = "now" },
            ReconcileTrigger.MetadataChanged | ReconcileTrigger.ReconcileRequested),
        ["deletion requested"] = (Before with { ResourceVersion = "2", IsDeleting = true }, ReconcileTrigger.Deleting),
        ["re-created"] = (Before with { ResourceVersion = "9", Uid = "u2" }, ReconcileTrigger.Added),
    };

    public static TheoryData<string> Cases => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_changes_a_human_or_the_api_made_wake_the_controller(string because)
    {
        var (after, expected) = Table[because];
        Assert.True(expected == Controller<Widget, NoopReconciler>.UpdateTrigger(Before, after), because);
    }

    private sealed class NoopReconciler : IReconciler<Widget>
    {
        public Task<ReconcileResult> ReconcileAsync(Widget resource, ReconcileContext context, CancellationToken cancellationToken)
            => Task.FromResult(ReconcileResult.Done());
    }
}
