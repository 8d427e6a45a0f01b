namespace OpenKbs.Aws.Protocols;

/// <summary>Excludes a property from awsQuery / XML serialization (e.g. a member bound to the path or a header).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AwsIgnoreAttribute : Attribute;
