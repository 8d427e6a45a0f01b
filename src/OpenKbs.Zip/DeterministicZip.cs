using System.IO.Compression;
using System.Security.Cryptography;

namespace OpenKbs.Zip;

/// <summary>
/// The deterministic zip (docs/api.md, "The example artifact"): names relative with '/', sorted ordinally, stored without
/// compression, time 1980-01-01 00:00:00, Unix mode 0644, no directory entries. Same bytes on every machine, so the SHA-256
/// pinned in a Project manifest stays valid and Lambda's CodeSha256 says whether the access function is current.
/// </summary>
public static class DeterministicZip
{
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly int RegularFile0644 = Convert.ToInt32("100644", 8) << 16;

    /// <summary>The zip of every regular file below <paramref name="directory"/>.</summary>
    public static byte[] Create(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Create(Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => KeyValuePair.Create(Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes(path))));
    }

    /// <summary>The zip of <paramref name="files"/> (entry name with '/' -> content); names must be unique and not empty.</summary>
    public static byte[] Create(IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            string? previous = null;
            foreach (var (name, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (string.IsNullOrEmpty(name) || name == previous)
                {
                    throw new ArgumentException($"entry names must be unique and not empty: '{name}'", nameof(files));
                }

                previous = name;
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                entry.LastWriteTime = EntryTime;
                entry.ExternalAttributes = RegularFile0644;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Lowercase hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
