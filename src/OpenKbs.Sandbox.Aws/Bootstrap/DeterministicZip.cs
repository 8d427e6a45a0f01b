using System.IO.Compression;

namespace OpenKbs.Sandbox.Aws.Bootstrap;

/// <summary>
/// The deterministic zip of a directory (docs/api.md, "The example artifact"): every regular file, names relative
/// with '/', sorted ordinally, stored without compression, time 1980-01-01 00:00:00, Unix mode 0644, no directory
/// entries. Same bytes on every machine, so the SHA-256 pinned in a Project manifest stays valid.
/// </summary>
public static class DeterministicZip
{
    public static byte[] Create(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, name) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                entry.ExternalAttributes = Convert.ToInt32("100644", 8) << 16;
                using var stream = entry.Open();
                stream.Write(File.ReadAllBytes(path));
            }
        }

        return buffer.ToArray();
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant();
}
