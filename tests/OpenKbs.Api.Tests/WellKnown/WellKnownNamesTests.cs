using System.Reflection;
using System.Text.RegularExpressions;

namespace OpenKbs.Api.Tests.WellKnown;

public sealed partial class WellKnownNamesTests
{
    public static TheoryData<string> ConditionTypeNames() => new(Constants(typeof(ConditionTypes)));

    public static TheoryData<string> ReasonNames() => new(Constants(typeof(ConditionReasons)).Where(r => r != ConditionReasons.TerminalPrefix));

    [Theory]
    [MemberData(nameof(ConditionTypeNames))]
    public void Condition_types_match_the_metav1_condition_type_pattern(string type)
    {
        Assert.Matches(ConditionTypePattern(), type);
    }

    [Theory]
    [MemberData(nameof(ReasonNames))]
    public void Reasons_match_the_metav1_condition_reason_pattern(string reason)
    {
        Assert.Matches(ReasonPattern(), reason);
    }

    [Theory]
    [InlineData(ConditionReasons.TerminalArtifactMismatch, true)]
    [InlineData(ConditionReasons.TerminalOwnershipConflict, true)]
    [InlineData(ConditionReasons.Queued, false)]
    [InlineData(ConditionReasons.TransientError, false)]
    [InlineData(null, false)]
    public void Terminal_reasons_are_recognised_by_their_prefix(string? reason, bool terminal)
    {
        Assert.Equal(terminal, ConditionReasons.IsTerminal(reason));
    }

    [Fact]
    public void Well_known_keys_are_the_documented_ones()
    {
        Assert.Equal("openkbs.com/finalizer", Finalizers.Default);
        Assert.Equal("openkbs.com/paused", Annotations.Paused);
        Assert.Equal("openkbs.com/reconcile-requested-at", Annotations.ReconcileRequestedAt);
        Assert.Equal(
            ["openkbs.com/managed-by", "openkbs.com/owner", "openkbs.com/uid", "openkbs.com/namespace", "openkbs.com/released"],
            [Labels.ManagedBy, Labels.Owner, Labels.Uid, Labels.Namespace, Labels.Released]);
        Assert.Equal("acme/Project/shop", Labels.OwnerValue("acme", "Project", "shop"));
        Assert.Equal("openkbs.com/v1alpha1", ApiGroup.ApiVersion);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    private static partial Regex ConditionTypePattern();

    [GeneratedRegex("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    private static partial Regex ReasonPattern();
}
