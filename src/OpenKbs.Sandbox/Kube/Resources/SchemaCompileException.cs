using OpenKbs.Sandbox.Kube.Errors;

namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>A CRD schema Kubernetes would refuse, with the field errors (CRD paths) to answer 422 with.</summary>
internal sealed class SchemaCompileException : Exception
{
    public SchemaCompileException()
        : this([])
    {
    }

    public SchemaCompileException(string message)
        : base(message)
    {
        Errors = [];
    }

    public SchemaCompileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public SchemaCompileException(IReadOnlyList<KubeFieldError> errors)
        : base("invalid CustomResourceDefinition schema: " + string.Join(", ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<KubeFieldError> Errors { get; }
}
