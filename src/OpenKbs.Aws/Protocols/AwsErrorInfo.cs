namespace OpenKbs.Aws.Protocols;

/// <summary>An error as parsed from the wire, before classification.</summary>
internal sealed record AwsErrorInfo(string Code, string? Message, string? RequestId, string? Reason, string? Type);
