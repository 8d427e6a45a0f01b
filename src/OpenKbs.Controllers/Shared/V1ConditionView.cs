using k8s.Models;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Shared;

/// <summary>A read-only look at one condition (absent counts as Unknown).</summary>
internal readonly record struct V1ConditionView(V1Condition? Condition)
{
    public bool IsTrue => string.Equals(Condition?.Status, ConditionStatus.True, StringComparison.Ordinal);

    public bool IsFalse => string.Equals(Condition?.Status, ConditionStatus.False, StringComparison.Ordinal);

    public string? Reason => Condition?.Reason;

    public DateTime? LastTransitionTime => Condition?.LastTransitionTime;
}
