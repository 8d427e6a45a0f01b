using k8s.Models;

namespace OpenKbs.Runtime;

/// <summary>
/// metav1.Condition helpers with Kubernetes semantics: one condition per type, <c>lastTransitionTime</c> changes only
/// when the status flips, <c>observedGeneration</c> is stamped on every set.
/// </summary>
public static class Conditions
{
    /// <summary>Adds or updates the condition of <paramref name="type"/>. Returns true when anything changed.</summary>
    public static bool Set(
        IList<V1Condition> conditions,
        string type,
        string status,
        string reason,
        string message,
        long? observedGeneration,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var transitionTime = Truncate(now);
        var index = IndexOf(conditions, type);
        if (index < 0)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message ?? string.Empty,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = transitionTime,
            });
            return true;
        }

        var existing = conditions[index];
        var updated = new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message ?? string.Empty,
            ObservedGeneration = observedGeneration,
            LastTransitionTime = string.Equals(existing.Status, status, StringComparison.Ordinal) && existing.LastTransitionTime != default
                ? existing.LastTransitionTime
                : transitionTime,
        };
        if (updated == existing)
        {
            return false;
        }

        conditions[index] = updated;
        return true;
    }

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type)
        => conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type)
        => string.Equals(Find(conditions, type)?.Status, ConditionStatus.True, StringComparison.Ordinal);

    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type)
        => string.Equals(Find(conditions, type)?.Status, ConditionStatus.False, StringComparison.Ordinal);

    /// <summary>True when the condition is missing or Unknown.</summary>
    public static bool IsUnknown(IEnumerable<V1Condition>? conditions, string type)
        => Find(conditions, type) is not { } c || string.Equals(c.Status, ConditionStatus.Unknown, StringComparison.Ordinal);

    /// <summary>Removes the condition of <paramref name="type"/>. Returns true when one was removed.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var index = IndexOf(conditions, type);
        if (index < 0)
        {
            return false;
        }

        conditions.RemoveAt(index);
        return true;
    }

    private static int IndexOf(IList<V1Condition> conditions, string type)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            if (string.Equals(conditions[i].Type, type, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // metav1.Time has second precision on the wire; keep what we compare equal to what the API server stores.
    private static DateTime Truncate(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
