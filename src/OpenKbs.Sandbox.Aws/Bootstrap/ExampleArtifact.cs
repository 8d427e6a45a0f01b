namespace OpenKbs.Sandbox.Aws.Bootstrap;

/// <summary>One example artifact to upload: the source directory, the S3 key, and the SHA-256 a manifest pins (if any).</summary>
public sealed record ExampleArtifact(string Directory, string Key, string? ExpectedSha256);
