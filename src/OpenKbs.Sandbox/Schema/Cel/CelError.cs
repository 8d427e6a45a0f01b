namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>
/// A CEL runtime error as a value, so the logical operators can absorb it like cel-go (false and error is false,
/// true or error is true) and comprehensions can decide on the other elements.
/// </summary>
internal sealed class CelError(string message)
{
    public static readonly CelError NoSuchOverload = new("no such overload");

    public string Message { get; } = message;

    public override string ToString() => Message;
}
