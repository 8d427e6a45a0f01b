namespace OpenKbs.Api.Schema;

/// <summary>
/// A column of <c>kubectl get</c> (<c>additionalPrinterColumns</c>), in declaration order.
/// Columns with <see cref="Priority"/> 1 appear only with <c>-o wide</c>.
/// </summary>
/// <param name="name">Column header, e.g. <c>ACCOUNT-ID</c>.</param>
/// <param name="jsonPath">Simple JSONPath into the object, e.g. <c>.status.accountId</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string jsonPath) : Attribute
{
    /// <summary>The JSONPath of the <c>Ready</c> condition's status (True, False or Unknown).</summary>
    public const string ReadyStatusPath = ".status.conditions[?(@.type==\"Ready\")].status";

    /// <summary>The JSONPath of the <c>Ready</c> condition's reason.</summary>
    public const string ReadyReasonPath = ".status.conditions[?(@.type==\"Ready\")].reason";

    /// <summary>The JSONPath of the object's creation time (the AGE column).</summary>
    public const string CreationTimestampPath = ".metadata.creationTimestamp";

    public string Name { get; } = name;

    public string JsonPath { get; } = jsonPath;

    /// <summary>One of <c>string</c> (default), <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>date</c>.</summary>
    public string Type { get; init; } = "string";

    /// <summary>0 shows the column always, 1 only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    public string? Description { get; init; }
}
