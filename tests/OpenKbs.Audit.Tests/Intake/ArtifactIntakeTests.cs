using System.Formats.Tar;
using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Intake;

namespace OpenKbs.Audit.Tests.Intake;

public sealed class ArtifactIntakeTests
{
    private static readonly ArtifactIntake Intake = new();

    private static ArtifactRejectedException Refused(byte[] archive, string? digest = null, IntakeLimits? limits = null) =>
        Assert.Throws<ArtifactRejectedException>(() => new ArtifactIntake(limits).ReadArchive(archive, digest));

    [Fact]
    public void A_zip_is_read_in_path_order_with_its_sha256()
    {
        var zip = Archives.Zip(("src/handler.js", "exports.handler = async () => 1;"), ("package.json", "{}"), ("src/", ""), ("./lib/a.js", "a"));

        var contents = Intake.ReadArchive(zip, Archives.Sha256(zip));

        Assert.Equal(Archives.Sha256(zip), contents.Sha256);
        Assert.Equal(["lib/a.js", "package.json", "src/handler.js"], contents.Files.Select(f => f.Path));
        Assert.Equal("exports.handler = async () => 1;", contents.Files[2].Text);
        Assert.Equal("zip", contents.Manifest.Format);
        Assert.Equal(3, contents.Manifest.FileCount);
    }

    [Fact]
    public void A_tar_gz_is_read_with_its_sha256_given_with_a_prefix()
    {
        var tgz = Archives.TarGz(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "./pkg/"));
            tar.AddFile("./pkg/index.mjs", "export const handler = async () => ({ statusCode: 200 });");
        });

        var contents = Intake.ReadArchive(tgz, "sha256:" + Archives.Sha256(tgz).ToUpperInvariant());

        Assert.Equal("pkg/index.mjs", Assert.Single(contents.Files).Path);
        Assert.Equal("tar.gz", contents.Manifest.Format);
    }

    [Fact]
    public void A_wrong_digest_is_refused_before_anything_is_read()
    {
        // Corrupt content: had the intake read it first, the reason would be Corrupt.
        var corrupt = "PK\u0003\u0004 this is not a zip at all"u8.ToArray();

        var refused = Refused(corrupt, new string('0', 64));

        Assert.Equal(ArtifactRejection.DigestMismatch, refused.Reason);
        Assert.Contains(Archives.Sha256(corrupt), refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("sha256:zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_expected_digest_is_refused(string digest) =>
        Assert.Equal(ArtifactRejection.InvalidDigest, Refused(Archives.Zip(("a.js", "1")), digest).Reason);

    [Fact]
    public void A_corrupt_zip_is_refused_as_corrupt()
    {
        var zip = Archives.Zip(("a.js", new string('x', 5000)));
        var truncated = zip[..(zip.Length / 2)];

        Assert.Equal(ArtifactRejection.Corrupt, Refused(truncated).Reason);
    }

    [Fact]
    public void A_zip_with_a_damaged_deflate_stream_is_refused_as_corrupt()
    {
        var zip = Archives.Zip(("a.js", string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i} {i * 7919 % 1000}\n"))));
        // Flip bytes in the middle of the compressed data of the only entry (after its 30-byte local header and name).
        for (var i = 40; i < 200; i++)
        {
            zip[i] ^= 0x5a;
        }

        var refused = Refused(zip);

        Assert.Equal(ArtifactRejection.Corrupt, refused.Reason);
    }

    [Fact]
    public void Random_bytes_are_an_unsupported_format() =>
        Assert.Equal(ArtifactRejection.UnsupportedFormat, Refused(Encoding.UTF8.GetBytes("just some text")).Reason);

    [Fact]
    public void A_corrupt_tar_gz_is_refused_as_corrupt()
    {
        var tgz = Archives.TarGz(tar => tar.AddFile("a.js", new string('y', 100_000)));

        Assert.Equal(ArtifactRejection.Corrupt, Refused(tgz[..(tgz.Length - 40)]).Reason);
    }

    [Theory]
    [InlineData("../evil.js", ArtifactRejection.PathEscape)]
    [InlineData("src/../../evil.js", ArtifactRejection.PathEscape)]
    [InlineData("..\\..\\evil.js", ArtifactRejection.PathEscape)]
    [InlineData("/etc/cron.d/evil", ArtifactRejection.AbsolutePath)]
    [InlineData("C:/Windows/evil.js", ArtifactRejection.AbsolutePath)]
    [InlineData("\\\\server\\share\\evil.js", ArtifactRejection.AbsolutePath)]
    [InlineData("src/a\u0000.js", ArtifactRejection.InvalidPath)]
    public void Zip_entries_outside_the_root_are_refused(string name, ArtifactRejection reason)
    {
        var refused = Refused(Archives.Zip(("ok.js", "1"), (name, "boom")));

        Assert.Equal(reason, refused.Reason);
        Assert.NotNull(refused.EntryPath);
    }

    [Fact]
    public void A_tar_entry_climbing_out_is_refused() =>
        Assert.Equal(ArtifactRejection.PathEscape, Refused(Archives.TarGz(tar => tar.AddFile("pkg/../../etc/passwd", "x"))).Reason);

    [Fact]
    public void A_symlink_in_a_zip_is_refused()
    {
        var refused = Refused(Archives.Zip(("index.js", Encoding.UTF8.GetBytes("1"), 0), ("config.js", Encoding.UTF8.GetBytes("/etc/passwd"), 0xA1FF)));

        Assert.Equal(ArtifactRejection.Link, refused.Reason);
        Assert.Equal("config.js", refused.EntryPath);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink)]
    [InlineData(TarEntryType.HardLink)]
    public void A_link_in_a_tar_is_refused(TarEntryType type)
    {
        var tgz = Archives.TarGz(tar => tar.WriteEntry(new PaxTarEntry(type, "secrets.js") { LinkName = "/var/run/secrets/token" }));

        var refused = Refused(tgz);

        Assert.Equal(ArtifactRejection.Link, refused.Reason);
        Assert.Contains("/var/run/secrets/token", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_in_a_tar_is_refused() =>
        Assert.Equal(ArtifactRejection.SpecialFile, Refused(Archives.TarGz(tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/zero")))).Reason);

    [Fact]
    public void A_zip_bomb_is_refused_by_its_ratio()
    {
        var zip = Archives.Zip(("bomb.json", new byte[20 * 1024 * 1024], 0));
        Assert.True(zip.Length < 100_000, $"the test bomb compressed to {zip.Length} bytes");

        var refused = Refused(zip);

        Assert.Equal(ArtifactRejection.CompressionRatio, refused.Reason);
        Assert.Equal("bomb.json", refused.EntryPath);
    }

    [Fact]
    public void A_zip_bomb_that_lies_about_its_size_is_still_stopped()
    {
        // Declare a small uncompressed size in both headers: the count of bytes actually inflated must catch it.
        var zip = Archives.Zip(("bomb.json", new byte[20 * 1024 * 1024], 0));
        PatchDeclaredSizes(zip, 1000);

        var refused = Refused(zip);

        // .NET inflates only the declared 1000 bytes; the CRC-32 check then shows the entry is not what was written.
        Assert.Equal(ArtifactRejection.Corrupt, refused.Reason);
        Assert.Contains("CRC-32", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_by_its_ratio()
    {
        var tgz = Archives.TarGz(tar => tar.AddFile("bomb.json", new byte[40 * 1024 * 1024]));

        Assert.Equal(ArtifactRejection.CompressionRatio, Refused(tgz).Reason);
    }

    [Fact]
    public void A_huge_single_file_is_refused()
    {
        var limits = new IntakeLimits { MaxFileBytes = 1024 * 1024 };
        var zip = Archives.Zip(("small.js", Encoding.UTF8.GetBytes("1"), 0), ("vendor/huge.bin", Archives.Random(2 * 1024 * 1024), 0));

        var refused = Refused(zip, limits: limits);

        Assert.Equal(ArtifactRejection.FileTooLarge, refused.Reason);
        Assert.Equal("vendor/huge.bin", refused.EntryPath);
    }

    [Fact]
    public void A_huge_single_file_in_a_tar_is_refused()
    {
        var limits = new IntakeLimits { MaxFileBytes = 1024 * 1024 };

        Assert.Equal(ArtifactRejection.FileTooLarge, Refused(Archives.TarGz(tar => tar.AddFile("huge.bin", Archives.Random(2 * 1024 * 1024))), limits: limits).Reason);
    }

    [Fact]
    public void The_total_size_is_capped()
    {
        var limits = new IntakeLimits { MaxTotalBytes = 3 * 1024 * 1024 };
        var zip = Archives.Zip(Enumerable.Range(0, 4).Select(i => ($"f{i}.bin", Archives.Random(1024 * 1024), 0)).ToArray());

        Assert.Equal(ArtifactRejection.TotalTooLarge, Refused(zip, limits: limits).Reason);
    }

    [Fact]
    public void The_entry_count_is_capped()
    {
        var limits = new IntakeLimits { MaxEntries = 10 };
        var zip = Archives.Zip(Enumerable.Range(0, 11).Select(i => ($"f{i}.js", "1")).ToArray());

        Assert.Equal(ArtifactRejection.TooManyEntries, Refused(zip, limits: limits).Reason);
    }

    [Theory]
    [InlineData("a.js", "a.js")]
    [InlineData("a.js", "./a.js")]
    [InlineData("lib/a.js", "lib//a.js")]
    public void Two_entries_for_one_path_are_refused(string first, string second) =>
        Assert.Equal(ArtifactRejection.DuplicatePath, Refused(Archives.Zip((first, "1"), (second, "2"))).Reason);

    [Fact]
    public void The_archive_itself_is_capped_before_hashing()
    {
        var limits = new IntakeLimits { MaxArchiveBytes = 1000 };

        Assert.Equal(ArtifactRejection.ArchiveTooLarge, Refused(Archives.Zip(("a.bin", Archives.Random(5000), 0)), limits: limits).Reason);
    }

    [Fact]
    public async Task A_missing_file_is_refused_as_missing()
    {
        var refused = await Assert.ThrowsAsync<ArtifactRejectedException>(() => Intake.ReadAsync("/nonexistent/artifact.zip", null, CancellationToken.None));

        Assert.Equal(ArtifactRejection.Missing, refused.Reason);
    }

    [Fact]
    public async Task A_directory_is_read_with_a_tree_digest_and_links_are_refused()
    {
        var root = Directory.CreateTempSubdirectory("openkbs-intake-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "src"));
            Directory.CreateDirectory(Path.Combine(root, ".git"));
            await File.WriteAllTextAsync(Path.Combine(root, "src", "index.js"), "module.exports = 1;");
            await File.WriteAllTextAsync(Path.Combine(root, ".git", "config"), "[core]");

            var first = await Intake.ReadAsync(root, null, CancellationToken.None);
            var again = await Intake.ReadAsync(root, first.Sha256, CancellationToken.None);

            Assert.Equal("src/index.js", Assert.Single(first.Files).Path);
            Assert.Equal("directory", first.Manifest.Format);
            Assert.Equal(first.Sha256, again.Sha256);
            Assert.Equal(
                Archives.Sha256(Encoding.UTF8.GetBytes($"{Archives.Sha256(Encoding.UTF8.GetBytes("module.exports = 1;"))}  src/index.js\n")),
                first.Sha256);

            File.CreateSymbolicLink(Path.Combine(root, "src", "passwd.js"), "/etc/passwd");
            var refused = await Assert.ThrowsAsync<ArtifactRejectedException>(() => Intake.ReadAsync(root, null, CancellationToken.None));
            Assert.Equal(ArtifactRejection.Link, refused.Reason);
            Assert.Equal("src/passwd.js", refused.EntryPath);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Minified_and_bundled_files_and_source_maps_are_noted()
    {
        var minified = "var a=1;" + string.Concat(Enumerable.Range(0, 600).Select(i => $"function f{i}(x){{return x+{i}}}")) + "\n//# sourceMappingURL=app.min.js.map\n";
        var bundle = "/******/ (() => { var __webpack_modules__ = {};\nfunction __webpack_require__(id) { return __webpack_modules__[id]; }\n})();\n";
        var zip = Archives.Zip(
            ("dist/app.js", minified),
            ("dist/app.min.js.map", "{\"version\":3,\"sources\":[\"src/app.ts\"],\"mappings\":\"AAAA\"}"),
            ("dist/bundle.js", bundle),
            ("vendor/lib.min.js", "var x=1"),
            ("src/handler.js", "exports.handler = async (event) => {\n  return { statusCode: 200 };\n};\n"));

        var notes = Intake.ReadArchive(zip, null).Manifest.Notes;

        Assert.Contains(notes, n => n is { Path: "dist/app.js", Kind: ArtifactFileKind.Minified });
        Assert.Contains(notes, n => n.Path == "dist/app.js" && n.Kind == ArtifactFileKind.SourceMap && n.Reason.Contains("app.min.js.map", StringComparison.Ordinal));
        Assert.Contains(notes, n => n is { Path: "dist/app.min.js.map", Kind: ArtifactFileKind.SourceMap });
        Assert.Contains(notes, n => n.Path == "dist/bundle.js" && n.Kind == ArtifactFileKind.Bundled && n.Reason.StartsWith("webpack", StringComparison.Ordinal));
        Assert.Contains(notes, n => n is { Path: "vendor/lib.min.js", Kind: ArtifactFileKind.Minified });
        Assert.DoesNotContain(notes, n => n.Path == "src/handler.js");
    }

    /// <summary>Overwrites the uncompressed size in the local header and the central directory of a one-entry zip.</summary>
    private static void PatchDeclaredSizes(byte[] zip, int size)
    {
        var bytes = BitConverter.GetBytes(size);
        bytes.CopyTo(zip, 22); // local file header: uncompressed size at offset 22
        var central = LastIndexOf(zip, [0x50, 0x4b, 0x01, 0x02]);
        bytes.CopyTo(zip, central + 24); // central directory header: uncompressed size at offset 24
    }

    private static int LastIndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = haystack.Length - needle.Length; i >= 0; i--)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("signature not found");
    }
}
