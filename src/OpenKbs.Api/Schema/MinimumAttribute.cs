namespace OpenKbs.Api.Schema;

/// <summary>The smallest allowed number (inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(double value) : Attribute
{
    public double Value { get; } = value;
}
