namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>One x-kubernetes-validations entry, checked and compiled.</summary>
internal sealed class CompiledRule
{
    public required ValidationRule Rule { get; init; }

    public required CelProgram Program { get; init; }

    /// <summary>The compiled messageExpression, if any.</summary>
    public CelProgram? MessageProgram { get; init; }

    /// <summary>The rule references oldSelf: evaluated only on update, with a correlated old value.</summary>
    public bool UsesOldSelf { get; init; }

    /// <summary>fieldPath rendered as a field path relative to the node ("replicas", "tags[env]"), or null.</summary>
    public string? NormalizedFieldPath { get; init; }

    /// <summary>The CEL type of self, used to convert values.</summary>
    public required CelType SelfType { get; init; }
}
