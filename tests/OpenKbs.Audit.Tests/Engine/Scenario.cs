using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Dependencies;
using OpenKbs.Audit.Engine;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Gate;
using OpenKbs.Audit.Secrets;
using OpenKbs.Audit.Tests.Dependencies;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Engine;

/// <summary>
/// A Lambda package with one planted flaw of each kind the engine's own checks see (a hard-coded Stripe key, a
/// vulnerable minimist, a shipped source map), and a stand-in taint analyzer so traces reach the reports.
/// </summary>
internal static class Scenario
{
    public static readonly string StripeKey = "sk_live_" + "51HxQ2eLkP9wRt7Ys3Vu6Zi8Ao";

    public static readonly DateTimeOffset Now = new(2026, 12, 5, 7, 0, 0, TimeSpan.Zero);

    public static byte[] Package(string handlerPrefix = "") => Archives.Zip(
        ("index.js", handlerPrefix + "const stripe = require('stripe')('" + StripeKey + "');\nexports.handler = async (event) => ({ statusCode: 200, body: 'ok' });\n"),
        ("lib/format.js", "module.exports = (s) => s.trim();\n//# sourceMappingURL=format.js.map\n"),
        ("lib/format.js.map", "{\"version\":3,\"sources\":[\"../src/format.ts\"],\"mappings\":\"AAAA\"}"),
        ("package.json", "{\"name\":\"shop\",\"dependencies\":{\"minimist\":\"^1.2.0\"}}"),
        ("package-lock.json", Lockfiles.V3(("node_modules/minimist", "1.2.5", false))));

    public static AuditEngine Engine(params IAnalyzer[] extra) =>
        new([new SecretsAnalyzer(), new DependenciesAnalyzer(new DirectoryAdvisorySource(RepositoryFiles.ExampleAdvisories)), .. extra], time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));

    public static Task<AuditResult> RunAsync(byte[] zip, AuditPolicy? policy = null, params IAnalyzer[] extra) =>
        Engine(extra).RunAsync(new AuditRequest { ArtifactBytes = zip, Subject = "shop-1.4.2.zip", Policy = policy ?? AuditPolicy.Default }, CancellationToken.None);
}

/// <summary>A stand-in for the code analyzer (another room): one SQL injection finding with a two-step trace.</summary>
internal sealed class TracingAnalyzer : IAnalyzer
{
    public string Name => "code";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Finding>>(
        [
            new Finding
            {
                Analyzer = Name,
                RuleId = "js/sql-injection",
                Severity = Severity.Critical,
                Cwe = 89,
                Title = "SQL injection",
                Message = "event.queryStringParameters.id reaches the text of a pg query.",
                Location = new SourceLocation("index.js", 2, 20),
                Evidence = "db.query(`SELECT * FROM orders WHERE id = ${id}`)",
                Impact = "An attacker can read or change any row.",
                Remediation = "Use a parameterised query.",
                Trace = [new TraceStep(new SourceLocation("index.js", 2, 1), "id = event.queryStringParameters.id"), new TraceStep(new SourceLocation("index.js", 2, 20), "db.query(text)")],
                Fingerprint = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            },
        ]);
}

/// <summary>An analyzer that ignores its token and sleeps: the run's time limit must still end it.</summary>
internal sealed class StuckAnalyzer(TimeSpan sleep) : IAnalyzer
{
    public string Name => "stuck";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        Thread.Sleep(sleep);
        return Task.FromResult<IReadOnlyList<Finding>>([]);
    }
}

/// <summary>An analyzer that throws, and one that counts its calls.</summary>
internal sealed class ThrowingAnalyzer : IAnalyzer
{
    public string Name => "broken";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("parser state corrupted");
}

internal sealed class CountingAnalyzer : IAnalyzer
{
    public int Calls { get; private set; }

    public string Name => "counting";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<Finding>>([]);
    }
}
