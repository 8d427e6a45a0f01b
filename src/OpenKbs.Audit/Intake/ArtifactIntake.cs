using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using OpenKbs.Audit.Artifacts;

namespace OpenKbs.Audit.Intake;

/// <summary>
/// Turns an artifact (a zip, a gzip-compressed tar, or for the command line a directory) into <see cref="ArtifactContents"/>:
/// the archive's SHA-256 is checked before a single entry is read, then every entry is extracted in memory, never to
/// disk, under <see cref="IntakeLimits"/>. Absolute paths, '..', links, devices, duplicates, oversized files, too many
/// entries and zip-bomb ratios each end the intake with an <see cref="ArtifactRejectedException"/> naming the reason
/// and the entry. Minified and bundled JavaScript and source maps are listed in the manifest.
/// </summary>
public sealed class ArtifactIntake(IntakeLimits? limits = null)
{
    private readonly IntakeLimits _limits = limits ?? IntakeLimits.Default;

    /// <summary>Reads a zip or tar.gz file, or a directory, checking <paramref name="expectedSha256"/> when given.</summary>
    public async Task<ArtifactContents> ReadAsync(string path, string? expectedSha256, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            return ReadDirectory(path, expectedSha256, cancellationToken);
        }

        if (!File.Exists(path))
        {
            throw new ArtifactRejectedException(ArtifactRejection.Missing, $"artifact {path} does not exist");
        }

        var length = new FileInfo(path).Length;
        if (length > _limits.MaxArchiveBytes)
        {
            throw new ArtifactRejectedException(ArtifactRejection.ArchiveTooLarge, $"the archive is {length} bytes, above the cap of {_limits.MaxArchiveBytes}");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return ReadArchive(bytes, expectedSha256, cancellationToken);
    }

    /// <summary>Reads a zip or tar.gz held in memory: digest first, then the entries.</summary>
    public ArtifactContents ReadArchive(ReadOnlyMemory<byte> archive, string? expectedSha256, CancellationToken cancellationToken = default)
    {
        if (archive.Length > _limits.MaxArchiveBytes)
        {
            throw new ArtifactRejectedException(ArtifactRejection.ArchiveTooLarge, $"the archive is {archive.Length} bytes, above the cap of {_limits.MaxArchiveBytes}");
        }

        var expected = NormaliseDigest(expectedSha256);
        var actual = Convert.ToHexStringLower(SHA256.HashData(archive.Span));
        if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new ArtifactRejectedException(ArtifactRejection.DigestMismatch, $"the artifact's SHA-256 is {actual}, not the expected {expected}; nothing was read");
        }

        var span = archive.Span;
        var collector = new EntryCollector(_limits, cancellationToken);
        string format;
        if (span.Length >= 4 && span[0] == (byte)'P' && span[1] == (byte)'K' && (span[2] is 3 or 5) && (span[3] is 4 or 6))
        {
            format = "zip";
            ReadZip(archive, collector);
        }
        else if (span.Length >= 2 && span[0] == 0x1f && span[1] == 0x8b)
        {
            format = "tar.gz";
            ReadTarGz(archive, collector);
        }
        else
        {
            throw new ArtifactRejectedException(ArtifactRejection.UnsupportedFormat, "the artifact is neither a zip nor a gzip-compressed tar (by its first bytes)");
        }

        return collector.Build(actual, format);
    }

    /// <summary>
    /// Reads a directory tree (links refused, <c>.git</c> skipped). Its digest is the SHA-256 of the sorted lines
    /// "&lt;sha256 of file&gt;  &lt;path&gt;\n", i.e. of what <c>find . -type f | sort | xargs sha256sum</c> prints.
    /// </summary>
    public ArtifactContents ReadDirectory(string path, string? expectedSha256, CancellationToken cancellationToken = default)
    {
        var root = new DirectoryInfo(path);
        if (!root.Exists)
        {
            throw new ArtifactRejectedException(ArtifactRejection.Missing, $"artifact directory {path} does not exist");
        }

        var expected = NormaliseDigest(expectedSha256);
        var collector = new EntryCollector(_limits, cancellationToken);
        var pending = new Stack<(DirectoryInfo Directory, string Prefix)>();
        pending.Push((root, string.Empty));
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        while (pending.Count > 0)
        {
            var (directory, prefix) = pending.Pop();
            foreach (var entry in directory.EnumerateFileSystemInfos("*", options))
            {
                var relative = prefix + entry.Name;
                if (entry.LinkTarget is not null)
                {
                    throw new ArtifactRejectedException(ArtifactRejection.Link, $"{Printable(relative)} is a link (to {Printable(entry.LinkTarget)}); links are refused", Printable(relative));
                }

                if (entry is DirectoryInfo sub)
                {
                    collector.CountEntry(relative);
                    if (sub.Name != ".git")
                    {
                        pending.Push((sub, relative + "/"));
                    }
                }
                else if (entry is FileInfo file)
                {
                    // .NET does not tell a FIFO or device from a file here: /dev/zero-like sources stop at the per-file
                    // cap and a FIFO at the run's time limit. Archives (what the operator audits) have no such entries.
                    collector.Add(relative, file.Length, null, file.OpenRead);
                }
                else
                {
                    throw new ArtifactRejectedException(ArtifactRejection.SpecialFile, $"{Printable(relative)} is not a regular file", Printable(relative));
                }
            }
        }

        var files = collector.Files;
        var listing = new StringBuilder();
        foreach (var file in files)
        {
            listing.Append(Convert.ToHexStringLower(SHA256.HashData(file.Content.Span))).Append("  ").Append(file.Path).Append('\n');
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
        if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new ArtifactRejectedException(ArtifactRejection.DigestMismatch, $"the directory's tree SHA-256 is {actual}, not the expected {expected}");
        }

        return collector.Build(actual, "directory");
    }

    /// <summary>Lower-case hex of a digest given as 64 hex characters, optionally prefixed "sha256:"; null stays null.</summary>
    public static string? NormaliseDigest(string? digest)
    {
        if (string.IsNullOrWhiteSpace(digest))
        {
            return null;
        }

        var hex = digest.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex["sha256:".Length..];
        }

        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit)
            ? hex.ToLowerInvariant()
            : throw new ArtifactRejectedException(ArtifactRejection.InvalidDigest, "the expected SHA-256 must be 64 hexadecimal characters (optionally prefixed sha256:)");
    }

    private static void ReadZip(ReadOnlyMemory<byte> archive, EntryCollector collector)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(archive.ToArray(), writable: false), ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ArtifactRejectedException(ArtifactRejection.Corrupt, $"the zip cannot be read: {ex.Message}", null, ex);
        }

        using (zip)
        {
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try
            {
                entries = zip.Entries;
            }
            catch (InvalidDataException ex)
            {
                throw new ArtifactRejectedException(ArtifactRejection.Corrupt, $"the zip's central directory cannot be read: {ex.Message}", null, ex);
            }

            foreach (var entry in entries)
            {
                var name = entry.FullName;
                var unixMode = (entry.ExternalAttributes >> 16) & 0xF000;
                if (unixMode == 0xA000)
                {
                    throw new ArtifactRejectedException(ArtifactRejection.Link, $"zip entry {Printable(name)} is a symbolic link; links are refused", Printable(name));
                }

                if (unixMode is 0x1000 or 0x2000 or 0x6000 or 0xC000)
                {
                    throw new ArtifactRejectedException(ArtifactRejection.SpecialFile, $"zip entry {Printable(name)} is a device, FIFO or socket", Printable(name));
                }

                if (name.EndsWith('/') || unixMode == 0x4000)
                {
                    collector.CountEntry(name.TrimEnd('/'));
                    continue;
                }

                try
                {
                    var content = collector.Add(name, entry.Length, entry.CompressedLength, entry.Open);
                    if (content is not null && Crc32.Compute(content) != entry.Crc32)
                    {
                        throw new ArtifactRejectedException(ArtifactRejection.Corrupt, $"zip entry {Printable(name)} does not match its CRC-32 (its sizes or data were altered)", Printable(name));
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw new ArtifactRejectedException(ArtifactRejection.Corrupt, $"zip entry {Printable(name)} cannot be decompressed: {ex.Message}", Printable(name), ex);
                }
            }
        }
    }

    private void ReadTarGz(ReadOnlyMemory<byte> archive, EntryCollector collector)
    {
        // The decompressed stream is capped on its own (tar headers and padding count too), so a gzip bomb stops
        // at the cap instead of filling memory; the ratio is checked against the whole archive as bytes come out.
        var maxRatioBytes = (long)Math.Max(_limits.RatioFloorBytes, archive.Length * _limits.MaxCompressionRatio);
        var cap = Math.Min(_limits.MaxTotalBytes + ((long)_limits.MaxEntries * 1024) + (1024 * 1024), maxRatioBytes);
        using var gzip = new GZipStream(new MemoryStream(archive.ToArray(), writable: false), CompressionMode.Decompress);
        using var capped = new CappedStream(gzip, cap, maxRatioBytes, archive.Length, _limits);
        try
        {
            using var reader = new TarReader(capped, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                var name = entry.Name;
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        // Every byte of an entry comes out of the one gzip stream: the archive is its compressed size.
                        collector.Add(name, entry.Length, archive.Length, () => entry.DataStream ?? Stream.Null);
                        break;
                    case TarEntryType.Directory:
                        collector.CountEntry(name.TrimEnd('/'));
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        throw new ArtifactRejectedException(ArtifactRejection.Link, $"tar entry {Printable(name)} is a {(entry.EntryType == TarEntryType.HardLink ? "hard" : "symbolic")} link (to {Printable(entry.LinkName)}); links are refused", Printable(name));
                    default:
                        throw new ArtifactRejectedException(ArtifactRejection.SpecialFile, $"tar entry {Printable(name)} is of type {entry.EntryType}, not a regular file or directory", Printable(name));
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new ArtifactRejectedException(ArtifactRejection.Corrupt, $"the tar.gz cannot be read: {ex.Message}", null, ex);
        }
    }

    /// <summary>An entry name for a message: control characters escaped, at most 200 characters.</summary>
    internal static string Printable(string? name)
    {
        if (name is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var c in name.Length > 200 ? name[..200] + "..." : name)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return builder.ToString();
    }

    /// <summary>Counts decompressed bytes and stops at the cap, naming the ratio or the total as the reason.</summary>
    private sealed class CappedStream(Stream inner, long cap, long ratioCap, long compressedLength, IntakeLimits limits) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _read += n;
            if (_read > cap)
            {
                throw _read > ratioCap
                    ? new ArtifactRejectedException(ArtifactRejection.CompressionRatio, $"the tar.gz decompresses to more than {ratioCap} bytes from {compressedLength} ({limits.MaxCompressionRatio}:1 is the cap); a compression bomb")
                    : new ArtifactRejectedException(ArtifactRejection.TotalTooLarge, $"the tar.gz decompresses to more than {cap} bytes, above the cap of {limits.MaxTotalBytes} for all files");
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The rules every entry goes through, whatever the container.</summary>
    private sealed class EntryCollector(IntakeLimits limits, CancellationToken cancellationToken)
    {
        private readonly SortedDictionary<string, ArtifactFile> _files = new(StringComparer.Ordinal);
        private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
        private int _entries;
        private long _total;

        public IReadOnlyList<ArtifactFile> Files => [.. _files.Values];

        public void CountEntry(string rawName)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++_entries > limits.MaxEntries)
            {
                throw new ArtifactRejectedException(ArtifactRejection.TooManyEntries, $"the artifact has more than {limits.MaxEntries} entries", Printable(rawName));
            }

            var normalised = NormalisePath(rawName, allowEmpty: true);
            if (normalised.Length > 0)
            {
                _directories.Add(normalised);
            }
        }

        public byte[]? Add(string rawName, long declaredLength, long? compressedLength, Func<Stream> open)
        {
            CountEntry(string.Empty);
            var path = NormalisePath(rawName, allowEmpty: false);
            if (_files.ContainsKey(path))
            {
                throw new ArtifactRejectedException(ArtifactRejection.DuplicatePath, $"two entries resolve to {Printable(path)}; what the audit reads and what runs could differ", Printable(rawName));
            }

            if (compressedLength is { } declaredCompressed && declaredLength > limits.RatioFloorBytes && declaredLength > Math.Max(declaredCompressed, 1) * limits.MaxCompressionRatio)
            {
                throw new ArtifactRejectedException(ArtifactRejection.CompressionRatio, $"{Printable(path)} declares {declaredLength} bytes from {declaredCompressed} compressed, above {limits.MaxCompressionRatio}:1; a zip bomb", Printable(rawName));
            }

            if (declaredLength > limits.MaxFileBytes)
            {
                throw new ArtifactRejectedException(ArtifactRejection.FileTooLarge, $"{Printable(path)} is {declaredLength} bytes, above the cap of {limits.MaxFileBytes} per file", Printable(rawName));
            }

            var content = ReadCapped(path, rawName, open, compressedLength);
            _total += content.Length;
            if (_total > limits.MaxTotalBytes)
            {
                throw new ArtifactRejectedException(ArtifactRejection.TotalTooLarge, $"the files add up to more than {limits.MaxTotalBytes} bytes (the cap for all files) at {Printable(path)}", Printable(rawName));
            }

            _files.Add(path, new ArtifactFile(path, content));
            return content;
        }

        public ArtifactContents Build(string sha256, string format)
        {
            var clash = _files.Keys.FirstOrDefault(_directories.Contains);
            if (clash is not null)
            {
                throw new ArtifactRejectedException(ArtifactRejection.DuplicatePath, $"{Printable(clash)} is both a file and a directory", Printable(clash));
            }

            var files = Files;
            var notes = files.SelectMany(FileClassifier.Classify).ToList();
            return new ArtifactContents(sha256, files) { Manifest = new ArtifactManifest(format, files.Count, _total, notes) };
        }

        private byte[] ReadCapped(string path, string rawName, Func<Stream> open, long? compressedLength)
        {
            // Sizes in headers can lie: count what actually comes out, one byte past the cap is enough to refuse.
            using var stream = open();
            using var buffer = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                int n;
                while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > limits.MaxFileBytes)
                    {
                        throw new ArtifactRejectedException(ArtifactRejection.FileTooLarge, $"{Printable(path)} decompresses to more than {limits.MaxFileBytes} bytes, the cap per file", Printable(rawName));
                    }

                    if (compressedLength is { } compressed && buffer.Length > limits.RatioFloorBytes && buffer.Length > Math.Max(compressed, 1) * limits.MaxCompressionRatio)
                    {
                        throw new ArtifactRejectedException(ArtifactRejection.CompressionRatio, $"{Printable(path)} decompresses to more than {limits.MaxCompressionRatio} times its {compressed} compressed bytes; a zip bomb", Printable(rawName));
                    }

                    if (_total + buffer.Length > limits.MaxTotalBytes)
                    {
                        throw new ArtifactRejectedException(ArtifactRejection.TotalTooLarge, $"the files add up to more than {limits.MaxTotalBytes} bytes (the cap for all files) at {Printable(path)}", Printable(rawName));
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return buffer.ToArray();
        }

        /// <summary>'/'-separated, relative, no '.', '..' or empty segments; refuses absolute and escaping paths.</summary>
        private static string NormalisePath(string rawName, bool allowEmpty)
        {
            if (rawName.Any(char.IsControl))
            {
                throw new ArtifactRejectedException(ArtifactRejection.InvalidPath, $"entry {Printable(rawName)} has control characters in its path", Printable(rawName));
            }

            var name = rawName.Replace('\\', '/');
            if (name.StartsWith('/') || (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':'))
            {
                throw new ArtifactRejectedException(ArtifactRejection.AbsolutePath, $"entry {Printable(rawName)} has an absolute path", Printable(rawName));
            }

            var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
            if (segments.Contains(".."))
            {
                throw new ArtifactRejectedException(ArtifactRejection.PathEscape, $"entry {Printable(rawName)} climbs out of the artifact root ('..'); zip-slip", Printable(rawName));
            }

            var path = string.Join('/', segments);
            return path.Length == 0 && !allowEmpty
                ? throw new ArtifactRejectedException(ArtifactRejection.InvalidPath, $"entry {Printable(rawName)} has an empty path", Printable(rawName))
                : path;
        }
    }
}
