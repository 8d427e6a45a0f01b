namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A CEL function implementation; for member calls (receiver.f(a)) the receiver is <c>args[0]</c>.</summary>
internal delegate object? CelFunction(object?[] args);
