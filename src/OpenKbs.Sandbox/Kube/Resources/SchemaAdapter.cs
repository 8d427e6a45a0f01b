namespace OpenKbs.Sandbox.Kube.Resources;

/// <summary>The link to the schema library (OpenKbs.Sandbox.Schema): defaulting, pruning, validation, CEL.</summary>
internal static class SchemaAdapter
{
    /// <summary>The compiler the server uses for CRD schemas. Pass-through until the schema library is wired in.</summary>
    public static ISchemaCompiler Compiler => PassThroughSchema.Instance;
}
