namespace OpenKbs.Api.Schema;

/// <summary>The largest allowed number (inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}
