using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Code;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Tests.Code;

public sealed class CodeAnalyzerParseTests
{
    private static ArtifactContents Artifact(params (string Path, string Text)[] files) =>
        new("0", [.. files.Select(f => new ArtifactFile(f.Path, Encoding.UTF8.GetBytes(f.Text)))]);

    [Fact]
    public async Task EsmAndSloppyCommonJsParseWithoutNotes()
    {
        var artifact = Artifact(
            ("index.mjs", "export const handler = async (event) => ({ statusCode: 200, body: event.body });\n"),
            ("legacy.js", "var o = {}; with (o) { x = 010; }\nexports.handler = function (event) { return 1; };\n"),
            ("README.md", "this is { not js"));

        var findings = await new CodeAnalyzer().AnalyzeAsync(artifact, CancellationToken.None);

        Assert.Empty(findings);
    }

    [Fact]
    public async Task UnparseableFileIsAnInfoNoteWithItsLocation()
    {
        var artifact = Artifact(("src/broken.js", "export const handler = async (event) => {\n  return {;\n};\n"));

        var findings = await new CodeAnalyzer().AnalyzeAsync(artifact, CancellationToken.None);

        var note = Assert.Single(findings);
        Assert.Equal(CodeAnalyzer.ParseErrorRule, note.RuleId);
        Assert.Equal(Severity.Info, note.Severity);
        Assert.Equal("src/broken.js", note.Location?.Path);
        Assert.Equal(2, note.Location?.Line);
    }

    [Fact]
    public void FingerprintIgnoresWhitespaceButNotRulePathOrSource()
    {
        var a = CodeAnalyzer.Fingerprint("js/sql-injection", "a.js", "db.query(`SELECT ${id}`)", "event.body");
        Assert.Equal(a, CodeAnalyzer.Fingerprint("js/sql-injection", "a.js", "  db.query(`SELECT ${id}`)\n", "event.body"));
        Assert.NotEqual(a, CodeAnalyzer.Fingerprint("js/sql-injection", "b.js", "db.query(`SELECT ${id}`)", "event.body"));
        Assert.NotEqual(a, CodeAnalyzer.Fingerprint("js/sql-injection", "a.js", "db.query(`SELECT ${id}`)", "req.query"));
    }
}
