namespace OpenKbs.Sandbox.Kube.Selectors;

/// <summary>One term of a field selector.</summary>
internal sealed record FieldRequirement(string Field, string Value, bool NotEqual);
