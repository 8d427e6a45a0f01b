namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>Query options of a write (create/update/patch): dryRun, fieldManager, fieldValidation, force (apply).</summary>
internal sealed record WriteOptions
{
    public bool DryRun { get; init; }

    public required string FieldManager { get; init; }

    /// <summary>Strict, Warn (default) or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    public bool Force { get; init; }

    /// <summary>Warnings to return in Warning headers (unknown fields, ...).</summary>
    public List<string> Warnings { get; } = [];
}
