namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A compiled CEL expression; evaluation returns a value or a <see cref="CelError"/>, never throws.</summary>
internal sealed class CelProgram(CelNode root, int slots)
{
    public object? Evaluate(object? self, object? oldSelf)
    {
        var frame = new object?[slots];
        frame[0] = self;
        frame[1] = oldSelf;
        try
        {
            return root(frame);
        }
        catch (CelEvaluationException ex)
        {
            return new CelError(ex.Message);
        }
        catch (InsufficientExecutionStackException)
        {
            return new CelError("expression too deeply nested");
        }
    }
}
