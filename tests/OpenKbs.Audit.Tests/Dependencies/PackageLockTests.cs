using OpenKbs.Audit.Dependencies;

namespace OpenKbs.Audit.Tests.Dependencies;

public sealed class PackageLockTests
{
    [Fact]
    public void A_v3_lockfile_lists_every_installed_copy_with_flags_and_lines()
    {
        const string text = """
            {
              "name": "shop",
              "lockfileVersion": 3,
              "packages": {
                "": { "name": "shop", "workspaces": ["packages/*"] },
                "node_modules/@aws-sdk/client-s3": { "version": "3.600.0", "resolved": "https://registry.npmjs.org/@aws-sdk/client-s3/-/client-s3-3.600.0.tgz", "integrity": "sha512-a" },
                "node_modules/lodash": { "version": "4.17.15", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz", "integrity": "sha512-b" },
                "node_modules/jest": { "version": "29.7.0", "dev": true, "hasInstallScript": true },
                "node_modules/left/node_modules/lodash": { "version": "3.10.1", "optional": true },
                "node_modules/shared": { "resolved": "packages/shared", "link": true },
                "packages/shared": { "name": "shared", "version": "0.1.0" },
                "node_modules/aliased": { "name": "real-name", "version": "1.0.0" }
              }
            }
            """;

        var packages = PackageLock.Parse(text);

        Assert.Equal(
            ["@aws-sdk/client-s3@3.600.0", "lodash@4.17.15", "jest@29.7.0", "lodash@3.10.1", "real-name@1.0.0"],
            packages.Select(p => $"{p.Name}@{p.Version}"));
        Assert.Equal([6, 7, 8, 9, 12], packages.Select(p => p.Line));
        Assert.True(packages[2].Dev);
        Assert.True(packages[2].HasInstallScript);
        Assert.True(packages[3].Optional);
        Assert.Equal("node_modules/left/node_modules/lodash", packages[3].InstallPath);
        Assert.Equal("sha512-b", packages[1].Integrity);
    }

    [Theory]
    [InlineData("""{ "name": "old", "lockfileVersion": 1, "dependencies": { "lodash": { "version": "4.17.15" } } }""", "lockfileVersion 1")]
    [InlineData("""{ "name": "odd", "dependencies": {} }""", "(missing)")]
    [InlineData("""{ "lockfileVersion": 3, """, "not valid JSON")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    public void Lockfiles_without_a_packages_map_are_refused_with_the_fix(string text, string reason)
    {
        var refused = Assert.Throws<UnsupportedLockfileException>(() => PackageLock.Parse(text));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        if (!reason.StartsWith("not", StringComparison.Ordinal))
        {
            Assert.Contains("npm install --package-lock-only --lockfile-version 3", refused.Message, StringComparison.Ordinal);
        }
    }
}
