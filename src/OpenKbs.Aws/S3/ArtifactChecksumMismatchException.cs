using OpenKbs.Aws.Core;

namespace OpenKbs.Aws.S3;

/// <summary>An artifact whose SHA-256 differs from the expected one. Always terminal: nothing unverified is written or deployed.</summary>
public sealed class ArtifactChecksumMismatchException : AwsServiceException
{
    /// <summary>The error code carried by this exception.</summary>
    public const string Code = "ArtifactChecksumMismatch";

    public ArtifactChecksumMismatchException()
        : this("unknown", string.Empty, string.Empty)
    {
    }

    public ArtifactChecksumMismatchException(string message)
        : base(message)
    {
        ExpectedSha256 = ActualSha256 = string.Empty;
    }

    public ArtifactChecksumMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ExpectedSha256 = ActualSha256 = string.Empty;
    }

    public ArtifactChecksumMismatchException(string source, string expectedSha256, string actualSha256)
        : base(
            "s3",
            "CopyArtifact",
            Code,
            $"The SHA-256 of {source} is {actualSha256}, not the expected {expectedSha256}; nothing was copied.",
            0,
            requestId: null,
            AwsErrorClassification.Terminal)
    {
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The expected digest (lower-case hex).</summary>
    public string ExpectedSha256 { get; }

    /// <summary>The digest of the bytes read (lower-case hex).</summary>
    public string ActualSha256 { get; }
}
