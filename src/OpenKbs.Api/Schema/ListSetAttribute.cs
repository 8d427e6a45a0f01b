namespace OpenKbs.Api.Schema;

/// <summary>The list of scalars is a set (<c>x-kubernetes-list-type: set</c>): duplicates are rejected.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;
