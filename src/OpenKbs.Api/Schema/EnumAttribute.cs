namespace OpenKbs.Api.Schema;

/// <summary>The allowed values of a string property. C# enum properties get their values without this attribute.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
