namespace OpenKbs.Sandbox.Schema.Cel;

/// <summary>A CEL optional value: oldSelf in rules with optionalOldSelf: true, x.?field, optional.of(x).</summary>
internal sealed class CelOptional(bool hasValue, object? value)
{
    public static readonly CelOptional None = new(false, null);

    public bool HasValue { get; } = hasValue;

    public object? Value { get; } = value;

    public static CelOptional Of(object? value) => new(true, value);
}
