namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A compiled CEL sub-expression: evaluates against a frame of variable slots (0 = self, 1 = oldSelf).</summary>
internal delegate object? CelNode(object?[] frame);
