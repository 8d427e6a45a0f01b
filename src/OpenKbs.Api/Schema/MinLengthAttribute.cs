namespace OpenKbs.Api.Schema;

/// <summary>The shortest allowed string.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int value) : Attribute
{
    public int Value { get; } = value;
}
