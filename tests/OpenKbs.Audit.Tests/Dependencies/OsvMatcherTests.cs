using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Tests.Dependencies;

public sealed class OsvMatcherTests
{
    private static OsvAdvisory Advisory(string json) => OsvAdvisory.Parse(json)!;

    private static readonly OsvAdvisory Minimist = Advisory("""
        { "id": "GHSA-xvch-5gv4-984h", "affected": [ { "package": { "ecosystem": "npm", "name": "minimist" },
          "ranges": [ { "type": "ECOSYSTEM", "events": [ { "introduced": "1.0.0" }, { "fixed": "1.2.6" } ] },
                      { "type": "ECOSYSTEM", "events": [ { "fixed": "0.2.4" }, { "introduced": "0" } ] } ] } ],
          "database_specific": { "severity": "CRITICAL", "cwe_ids": ["CWE-1321"] } }
        """);

    [Theory]
    [InlineData("0.0.8", true)]
    [InlineData("0.2.4", false)]
    [InlineData("0.2.5", false)]
    [InlineData("1.0.0", true)]
    [InlineData("1.2.5", true)]
    [InlineData("1.2.6-beta.1", true)]
    [InlineData("1.2.6", false)]
    [InlineData("2.0.0", false)]
    [InlineData("not-a-version", false)]
    public void Ranges_follow_npm_order_with_prereleases_included(string version, bool affected) =>
        Assert.Equal(affected, OsvMatcher.IsAffected(Minimist, "minimist", version));

    [Fact]
    public void Other_packages_and_ecosystems_are_not_matched()
    {
        Assert.False(OsvMatcher.IsAffected(Minimist, "minimist2", "1.2.5"));
        var pypi = Advisory("""{ "id": "PYSEC-1", "affected": [ { "package": { "ecosystem": "PyPI", "name": "minimist" }, "ranges": [ { "type": "ECOSYSTEM", "events": [ { "introduced": "0" } ] } ] } ] }""");
        Assert.False(OsvMatcher.IsAffected(pypi, "minimist", "1.0.0"));
    }

    [Fact]
    public void Last_affected_limit_versions_and_withdrawn_are_honoured()
    {
        var lastAffected = Advisory("""{ "id": "A", "affected": [ { "package": { "ecosystem": "npm", "name": "node-serialize" }, "ranges": [ { "type": "SEMVER", "events": [ { "introduced": "0" }, { "last_affected": "0.0.4" } ] } ] } ] }""");
        var listed = Advisory("""{ "id": "B", "affected": [ { "package": { "ecosystem": "npm", "name": "flatmap-stream" }, "versions": ["0.1.1"] } ] }""");
        var limited = Advisory("""{ "id": "C", "affected": [ { "package": { "ecosystem": "npm", "name": "x" }, "ranges": [ { "type": "SEMVER", "events": [ { "introduced": "2.0.0" }, { "limit": "3.0.0" } ] } ] } ] }""");
        var withdrawn = Advisory("""{ "id": "D", "withdrawn": "2023-01-01T00:00:00Z", "affected": [ { "package": { "ecosystem": "npm", "name": "x" }, "ranges": [ { "type": "SEMVER", "events": [ { "introduced": "0" } ] } ] } ] }""");

        Assert.True(OsvMatcher.IsAffected(lastAffected, "node-serialize", "0.0.4"));
        Assert.False(OsvMatcher.IsAffected(lastAffected, "node-serialize", "0.0.5"));
        Assert.True(OsvMatcher.IsAffected(listed, "flatmap-stream", "0.1.1"));
        Assert.False(OsvMatcher.IsAffected(listed, "flatmap-stream", "0.1.2"));
        Assert.True(OsvMatcher.IsAffected(limited, "x", "2.5.0"));
        Assert.False(OsvMatcher.IsAffected(limited, "x", "3.0.0"));
        Assert.False(OsvMatcher.IsAffected(withdrawn, "x", "1.0.0"));
    }

    [Fact]
    public void The_fixed_version_is_the_first_fix_above_the_installed_one()
    {
        Assert.Equal("1.2.6", OsvMatcher.FixedVersion(Minimist, "minimist", "1.2.5"));
        Assert.Equal("0.2.4", OsvMatcher.FixedVersion(Minimist, "minimist", "0.1.0"));
    }

    [Theory]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8)]
    [InlineData("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 7.4)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1)]
    [InlineData("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3)]
    [InlineData("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0)]
    [InlineData("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0)]
    public void Cvss3_base_scores_match_the_specification(string vector, double score) =>
        Assert.Equal(score, Cvss3.BaseScore(vector));

    [Fact]
    public void Severity_comes_from_ghsa_then_cvss_then_medium()
    {
        var cvssOnly = Advisory("""{ "id": "CVE-1", "severity": [ { "type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" } ] }""");
        var nothing = Advisory("""{ "id": "CVE-2" }""");
        var malicious = Advisory("""{ "id": "MAL-2099-0001" }""");

        Assert.Equal(Severity.Critical, OsvMatcher.SeverityOf(Minimist).Severity);
        Assert.Equal((Severity.Critical, 9.8), OsvMatcher.SeverityOf(cvssOnly));
        Assert.Equal(Severity.Medium, OsvMatcher.SeverityOf(nothing).Severity);
        Assert.Equal(Severity.Critical, OsvMatcher.SeverityOf(malicious).Severity);
        Assert.Equal([1321], OsvMatcher.Cwes(Minimist));
    }
}
