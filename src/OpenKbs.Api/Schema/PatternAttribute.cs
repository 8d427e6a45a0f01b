namespace OpenKbs.Api.Schema;

/// <summary>An OpenAPI <c>pattern</c> (ECMA-262 / RE2 common subset: no look-arounds, no back-references) the string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
