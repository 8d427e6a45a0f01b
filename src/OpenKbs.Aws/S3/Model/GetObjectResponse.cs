namespace OpenKbs.Aws.S3.Model;

/// <summary>
/// An object being read: <see cref="ResponseStream"/> streams the body from S3 (read it once, then dispose the response).
/// Hand-written (not generated) because it owns the open HTTP response.
/// </summary>
public sealed class GetObjectResponse : IDisposable
{
    private readonly IDisposable? _owner;

    internal GetObjectResponse(Stream responseStream, IDisposable? owner)
    {
        ResponseStream = responseStream;
        _owner = owner;
    }

    public Stream ResponseStream { get; }

    public long ContentLength { get; init; }

    public string? ETag { get; init; }

    public string? VersionId { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The SHA-256 checksum S3 stored with the object (base64), when it was uploaded with one.</summary>
    public string? ChecksumSHA256 { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public void Dispose()
    {
        ResponseStream.Dispose();
        _owner?.Dispose();
    }
}
