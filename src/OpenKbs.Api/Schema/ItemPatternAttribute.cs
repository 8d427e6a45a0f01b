namespace OpenKbs.Api.Schema;

/// <summary>An OpenAPI <c>pattern</c> each string item of a list must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemPatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
