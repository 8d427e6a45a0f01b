using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Code;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Tests.Code;

/// <summary>Scopes, closures, calls across CommonJS and ES modules, module-aware sinks and traces of the taint engine.</summary>
public sealed class TaintEngineTests
{
    private static async Task<IReadOnlyList<Finding>> AnalyzeAsync(params (string Path, string Text)[] files)
    {
        var artifact = new ArtifactContents("0", [.. files.Select(f => new ArtifactFile(f.Path, Encoding.UTF8.GetBytes(f.Text)))]);
        return await new CodeAnalyzer().AnalyzeAsync(artifact, CancellationToken.None);
    }

    [Fact]
    public async Task CommonJsHelperModuleCarriesInputToItsSinkWithEveryHop()
    {
        var findings = await AnalyzeAsync(
            ("src/index.js", """
                const db = require('./db');
                exports.handler = async function (event, context) {
                  const body = JSON.parse(event.body);
                  return db.byName(body.name);
                };
                """),
            ("src/db.js", """
                const mysql = require('mysql2/promise');
                const pool = mysql.createPool({});
                function byName(name) {
                  return pool.query("SELECT * FROM users WHERE name = '" + name + "'");
                }
                module.exports = { byName };
                """));

        var finding = Assert.Single(findings);
        Assert.Equal(("js/sql-injection", "src/db.js", 4), (finding.RuleId, finding.Location!.Path, finding.Location.Line));
        Assert.Equal(
            ["src/index.js:2", "src/index.js:3", "src/db.js:3", "src/db.js:4"],
            finding.Trace.Select(t => $"{t.Location.Path}:{t.Location.Line}"));
        Assert.Contains("src/index.js:2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalFunctionNamedLikeASinkIsNotTheSink()
    {
        var findings = await AnalyzeAsync(("a.js", """
            const execSync = (command) => command.length;
            function eval(text) { return text; }
            exports.handler = async (event) => ({ statusCode: 200, body: String(execSync(event.body) + eval(event.body).length) });
            """));

        Assert.Empty(findings);
    }

    [Fact]
    public async Task ShadowedNameInAnInnerScopeDoesNotCarryTheOuterTaint()
    {
        var findings = await AnalyzeAsync(("a.js", """
            const { exec } = require('child_process');
            exports.handler = async (event) => {
              let name = event.queryStringParameters.name;
              function run() {
                const name = 'static';
                exec('echo ' + name);
              }
              run();
              exec('echo ' + name);
            };
            """));

        var finding = Assert.Single(findings);
        Assert.Equal(9, finding.Location!.Line);
    }

    [Fact]
    public async Task ClosureSeesTheValueItCapturedAndReassignmentCleansIt()
    {
        var findings = await AnalyzeAsync(("a.mjs", """
            import { execSync } from 'node:child_process';
            export const handler = async (event) => {
              let target = event.body;
              const later = () => execSync(`ls ${target}`);
              later();
              target = 'fixed';
              execSync(`ls ${target}`);
            };
            """));

        var finding = Assert.Single(findings);
        Assert.Equal(4, finding.Location!.Line);
    }

    [Fact]
    public async Task SpawnNeedsAShellToBeCommandInjection()
    {
        var findings = await AnalyzeAsync(("a.js", """
            const { spawn, spawnSync } = require('child_process');
            exports.handler = async (event) => {
              spawn('convert', [event.body, 'out.png']);
              spawnSync('convert ' + event.body, { shell: true });
            };
            """));

        Assert.Equal([4], findings.Select(f => f.Location!.Line));
    }

    [Fact]
    public async Task AuthorizerContextIsNotAttackerInput()
    {
        var findings = await AnalyzeAsync(("a.js", """
            const { Pool } = require('pg');
            const pool = new Pool();
            exports.handler = async (event) => {
              const tenant = event.requestContext.authorizer.claims.tenant;
              const rows = await pool.query(`SELECT * FROM t_${tenant}.orders`);
              return { statusCode: 200, body: JSON.stringify(rows.rows) };
            };
            """));

        Assert.Empty(findings);
    }

    [Fact]
    public async Task OldJsYamlLoadIsUnsafeAndNewIsNot()
    {
        const string Handler = """
            const yaml = require('js-yaml');
            exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(yaml.load(event.body)) });
            """;

        var old = await AnalyzeAsync(("package.json", """{ "dependencies": { "js-yaml": "^3.14.1" } }"""), ("a.js", Handler));
        var current = await AnalyzeAsync(("package.json", """{ "dependencies": { "js-yaml": "4.1.0" } }"""), ("a.js", Handler));

        Assert.Equal(["js/unsafe-deserialization"], old.Select(f => f.RuleId));
        Assert.Empty(current);
    }

    [Fact]
    public async Task RecursionAndDeepCallChainsTerminate()
    {
        var findings = await AnalyzeAsync(("a.js", """
            const { exec } = require('child_process');
            function walk(value, n) { return n > 0 ? walk(value + '/', n - 1) : value; }
            function a(x) { return b(x); } function b(x) { return c(x); } function c(x) { return d(x); }
            function d(x) { return e(x); } function e(x) { return f(x); } function f(x) { return x; }
            exports.handler = async (event) => { exec(walk(event.body, 3)); exec(a(event.body)); };
            """));

        Assert.Equal(["js/command-injection"], findings.Select(f => f.RuleId).Distinct());
        Assert.Single(findings);
    }

    [Fact]
    public async Task InputPassedToAClassMethodInAnotherModuleIsFollowed()
    {
        var findings = await AnalyzeAsync(
            ("repo.mjs", """
                import pg from 'pg';
                export class OrderRepository {
                  constructor() { this.pool = new pg.Pool(); }
                  byStatus(status) {
                    return this.pool.query(`SELECT * FROM orders WHERE status = '${status}'`);
                  }
                  byId(id) {
                    return this.pool.query('SELECT * FROM orders WHERE id = $1', [id]);
                  }
                }
                """),
            ("index.mjs", """
                import { OrderRepository } from './repo.mjs';
                const repo = new OrderRepository();
                export const handler = async (event) => {
                  await repo.byId(event.pathParameters.id);
                  return repo.byStatus(event.queryStringParameters.status);
                };
                """));

        var finding = Assert.Single(findings);
        Assert.Equal(("js/sql-injection", "repo.mjs", 5), (finding.RuleId, finding.Location!.Path, finding.Location.Line));
        Assert.Equal("index.mjs:3", $"{finding.Trace[0].Location.Path}:{finding.Trace[0].Location.Line}");
    }

    [Fact]
    public async Task DeeplyNestedExpressionIsANoteNotACrash()
    {
        var chain = string.Concat(Enumerable.Repeat("event.body + ", 20_000)) + "'x'";
        var nested = string.Concat(Enumerable.Repeat("f(", 3_000)) + "event.body" + new string(')', 3_000);
        var findings = await AnalyzeAsync(
            ("deep.js", $"const {{ exec }} = require('child_process');\nfunction f(x) {{ return x; }}\nexports.handler = async (event) => {{ exec({chain}); exec({nested}); }};\n"),
            ("ok.js", "const { exec } = require('child_process');\nexports.handler = async (event) => { exec(event.body); };\n"));

        Assert.Contains(findings, f => f.Location!.Path == "ok.js" && f.RuleId == "js/command-injection");
        // Either the stack sufficed (the sink is found) or the file is noted as partly analysed; never a crash, never silence.
        Assert.Contains(findings, f => f.Location!.Path == "deep.js");
        Assert.All(findings.Where(f => f.Location!.Path == "deep.js"), f => Assert.True(f.RuleId == "js/command-injection" || f.RuleId == CodeAnalyzer.IncompleteRule, f.RuleId));
    }

    [Fact]
    public async Task FanOutCallTreeIsSummarisedNotExpanded()
    {
        var functions = string.Concat(Enumerable.Range(0, 12).Select(i =>
            $"function f{i}(x) {{ const a = f{i + 1}(x + '1'); const b = f{i + 1}(x + '2'); const c = f{i + 1}(x); return a + b + c; }}\n"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var findings = await AnalyzeAsync(("tree.js",
            "const { execSync } = require('child_process');\n" + functions + "function f12(x) { return execSync(x).toString(); }\n"
            + "exports.handler = async (event) => ({ statusCode: 200, body: f0(event.body) });\n"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.Equal([("js/command-injection", 14)], findings.Select(f => (f.RuleId, f.Location!.Line)));
    }

    [Fact]
    public async Task DeeplyNestedLoopsStayWithinTheBudget()
    {
        var loops = string.Concat(Enumerable.Range(0, 40).Select(i => $"for (const x{i} of list) {{ ")) + "exec(event.body); " + new string('}', 40);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var findings = await AnalyzeAsync(("loops.js", $"const {{ exec }} = require('child_process');\nconst list = [1, 2];\nexports.handler = async (event) => {{ {loops} }};\n"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.Equal(["js/command-injection"], findings.Select(f => f.RuleId));
    }
}
