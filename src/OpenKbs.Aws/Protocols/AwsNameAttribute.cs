namespace OpenKbs.Aws.Protocols;

/// <summary>The wire name of a member in awsQuery parameters and XML documents, when it differs from the property name (JSON uses [JsonPropertyName]).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AwsNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
