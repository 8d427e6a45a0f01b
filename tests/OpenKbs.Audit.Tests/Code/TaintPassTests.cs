using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Code;

namespace OpenKbs.Audit.Tests.Code;

public sealed class TaintPassTests
{
    private static async Task<string[]> RulesAsync(string path, string text)
    {
        var artifact = new ArtifactContents("0", [new ArtifactFile(path, Encoding.UTF8.GetBytes(text))]);
        var findings = await new CodeAnalyzer().AnalyzeAsync(artifact, CancellationToken.None);
        return [.. findings.Select(f => f.RuleId)];
    }

    [Fact]
    public async Task SqlBuiltFromDestructuredEventIsInjection()
    {
        var rules = await RulesAsync("get.mjs", """
            import pg from 'pg';
            const pool = new pg.Pool();
            export const handler = async (event) => {
              const { id } = event.pathParameters;
              const sql = `SELECT * FROM orders WHERE id = '${id}'`;
              const r = await pool.query(sql);
              return { statusCode: 200, body: JSON.stringify(r.rows) };
            };
            """);
        Assert.Equal(["js/sql-injection"], rules);
    }

    [Fact]
    public void EveryCatalogRuleHasImpactAndRemediation() =>
        Assert.All(SinkCatalog.Sinks, sink => Assert.True(SinkCatalog.Rules.ContainsKey(sink.RuleId), sink.RuleId));

    [Fact]
    public async Task ParameterisedQueryAndParsedIdAreSafe()
    {
        var rules = await RulesAsync("get.mjs", """
            import pg from 'pg';
            const pool = new pg.Pool();
            export const handler = async (event) => {
              const { id } = event.pathParameters;
              const r = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
              const n = parseInt(event.queryStringParameters.limit, 10);
              await pool.query(`SELECT * FROM orders LIMIT ${n}`);
              return { statusCode: 200, body: JSON.stringify(r.rows) };
            };
            """);
        Assert.Empty(rules);
    }

    [Fact]
    public async Task ExpressQueryToExecSyncAndFetchAreFound()
    {
        var rules = await RulesAsync("app.js", """
            const { execSync } = require('node:child_process');
            const https = require('https');
            const app = require('express')();
            app.get('/ping', async (req, res) => {
              const host = req.query.host;
              execSync('ping -c 1 ' + host);
              const r = await fetch(`https://${req.query.target}/status`);
              https.get(req.body.callback);
              https.get('https://example.com/' + encodeURIComponent(req.query.q));
              res.json(await r.json());
            });
            """);
        Assert.Equal(["js/command-injection", "js/ssrf", "js/ssrf"], rules);
    }
}
