using System.IO.Compression;

namespace OpenKbs.Api.Tests;

/// <summary>
/// The deterministic zip of a directory that docs/api.md specifies for the example artifact: every regular file,
/// path relative with '/', sorted by ordinal path, stored (no compression), time 1980-01-01 00:00:00, Unix mode
/// 0644, no directory entries, written to a seekable stream. Python's zipfile with the same settings gives the
/// same bytes.
/// </summary>
internal static class DeterministicZip
{
    public static byte[] Create(string directory)
    {
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
}
