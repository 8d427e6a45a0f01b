namespace OpenKbs.Sandbox.Schema;

/// <summary>
/// A CRD schema that kube-apiserver would refuse: not structural, or with a CEL rule (or messageExpression,
/// fieldPath, reason) that does not compile. <see cref="Errors"/> carry CRD field paths, ready for a 422 on the CRD
/// (<see cref="InvalidStatus.Build"/> with group "apiextensions.k8s.io", kind "CustomResourceDefinition").
/// </summary>
public sealed class CrdSchemaException : Exception
{
    public CrdSchemaException()
        : this([])
    {
    }

    public CrdSchemaException(string message)
        : base(message)
    {
        Errors = [];
    }

    public CrdSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public CrdSchemaException(IReadOnlyList<FieldError> errors)
        : base("invalid CustomResourceDefinition schema: " + InvalidStatus.Aggregate(errors))
    {
        Errors = errors;
    }

    /// <summary>The problems, in the order kube-apiserver would list them.</summary>
    public IReadOnlyList<FieldError> Errors { get; }
}
