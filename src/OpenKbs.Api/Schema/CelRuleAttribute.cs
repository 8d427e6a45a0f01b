namespace OpenKbs.Api.Schema;

/// <summary>
/// A CEL validation rule (<c>x-kubernetes-validations</c>) on the schema of the annotated class or property.
/// Rules run in the API server; keep them to standard Kubernetes CEL and bound the lists and strings they read
/// (<see cref="MaxItemsAttribute"/>, <see cref="MaxLengthAttribute"/>) so the estimated cost stays within budget.
/// </summary>
/// <param name="rule">The CEL expression; <c>self</c> is the annotated value, <c>oldSelf</c> the previous one (transition rule).</param>
/// <param name="message">What the user reads when the rule fails: say what is wrong and what is allowed.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>JSONPath (relative to <c>self</c>) of the field the error is reported on, e.g. <c>.schedules</c>.</summary>
    public string? FieldPath { get; init; }

    /// <summary>Machine-readable reason: one of <see cref="CelReasons"/>; the API server's default is FieldValueInvalid.</summary>
    public string? Reason { get; init; }
}
