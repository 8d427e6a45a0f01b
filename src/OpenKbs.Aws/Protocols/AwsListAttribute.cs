namespace OpenKbs.Aws.Protocols;

/// <summary>
/// How a list member is laid out in awsQuery / XML: the item name (<c>member</c> by default; RDS uses e.g. <c>Tag</c>,
/// CloudFront <c>Origin</c>) and whether it is flattened (items repeated directly, no wrapper element / no <c>.member.</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AwsListAttribute(string itemName = "member") : Attribute
{
    public string ItemName { get; } = itemName;

    public bool Flattened { get; init; }
}
