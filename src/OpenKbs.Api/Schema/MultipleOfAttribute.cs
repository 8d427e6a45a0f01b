namespace OpenKbs.Api.Schema;

/// <summary>The number must be a multiple of this step, e.g. 0.5.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MultipleOfAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}
