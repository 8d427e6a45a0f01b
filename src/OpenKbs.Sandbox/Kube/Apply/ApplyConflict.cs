namespace OpenKbs.Sandbox.Kube.Apply;

/// <summary>A field an apply would take from another manager that set it to a different value.</summary>
internal sealed record ApplyConflict(string Manager, string Operation, string ApiVersion, string? Time, IReadOnlyList<string> Path);
