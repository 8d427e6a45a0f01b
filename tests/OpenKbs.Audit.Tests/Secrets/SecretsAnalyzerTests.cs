using System.Text;
using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;
using OpenKbs.Audit.Intake;
using OpenKbs.Audit.Secrets;
using OpenKbs.Audit.Tests.Intake;

namespace OpenKbs.Audit.Tests.Secrets;

public sealed class SecretsAnalyzerTests
{
    // Test values are assembled at run time so that no scanner flags this source file itself.
    private static readonly string AwsKeyId = "AKIA" + "Z7Q4MHN2XWR5TB3K";
    private static readonly string AwsSecret = "h7Rk2" + "Vq9ZtLm4Wx8Yp3Nc6Bd1Fg5Hj0Ks/Ua+Te7";
    private static readonly string GitHubToken = "ghp_" + "Xa9Bc8Dd7Ee6Ff5Gg4Hh3Ii2Jj1Kk0LlMmNn";
    private static readonly string StripeKey = "sk_live_" + "51HxQ2eLkP9wRt7Ys3Vu6Zi8Ao";
    private static readonly string SlackToken = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    private static readonly string PrivateKey = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB\n-----END RSA " + "PRIVATE KEY-----";

    private static readonly SecretsAnalyzer Analyzer = new();

    private static async Task<IReadOnlyList<Finding>> ScanAsync(params (string Path, string Content)[] files)
    {
        var zip = Archives.Zip(files);
        var artifact = new ArtifactIntake().ReadArchive(zip, null);
        var findings = await Analyzer.AnalyzeAsync(artifact, CancellationToken.None);
        foreach (var finding in findings)
        {
            AssertNoValueLeaks(finding, files.Select(f => f.Content));
        }

        return findings;
    }

    /// <summary>No secret value, nor any 12-character run of one, appears in anything a finding carries.</summary>
    private static void AssertNoValueLeaks(Finding finding, IEnumerable<string> sources)
    {
        string[] secrets = [AwsKeyId, AwsSecret, GitHubToken, StripeKey, SlackToken, PrivateKey, "S3cr3t!Pa55w0rd", "pw9Xk2LmQz", "Zq81vX0pLmN7rT4wYb6Hs2Kd9Fg3Jc5A"];
        var outputs = string.Join('\n', finding.Message, finding.Evidence, finding.Fingerprint, finding.Title, finding.Impact, finding.Remediation);
        foreach (var secret in secrets.Where(s => sources.Any(src => src.Contains(s, StringComparison.Ordinal))))
        {
            for (var i = 0; i + 12 <= secret.Length; i++)
            {
                var run = secret.Substring(i, 12);
                Assert.False(outputs.Contains(run, StringComparison.Ordinal), $"{finding.RuleId} leaks part of a secret: {run}");
            }
        }
    }

    [Fact]
    public async Task An_aws_key_pair_is_critical_and_the_example_key_is_ignored()
    {
        var findings = await ScanAsync(("src/config.js", $"const s3 = new S3Client({{\n  credentials: {{ accessKeyId: '{AwsKeyId}', secretAccessKey: '{AwsSecret}' }},\n}});\n// docs: AKIAIOSFODNN7EXAMPLE\n"));

        var id = Assert.Single(findings, f => f.RuleId == "secrets/aws-access-key-id");
        var secret = Assert.Single(findings, f => f.RuleId == "secrets/aws-secret-access-key");
        Assert.Equal(Severity.Critical, id.Severity);
        Assert.Equal(Severity.Critical, secret.Severity);
        Assert.Equal(new SourceLocation("src/config.js", 2, 32), id.Location);
        Assert.Contains("AKIA****[20 chars, sha256:", id.Evidence, StringComparison.Ordinal);
        Assert.Contains(SecretValue.Fingerprint(AwsKeyId), id.Message, StringComparison.Ordinal);
        Assert.Equal(798, id.Cwe);
    }

    [Fact]
    public async Task A_lone_key_id_is_high_and_pairs_with_an_unnamed_secret_nearby()
    {
        var lone = await ScanAsync(("a.js", $"const id = '{AwsKeyId}';\n"));
        var paired = await ScanAsync(("creds.txt", $"{AwsKeyId}\n{AwsSecret}\n"));

        Assert.Equal(Severity.High, Assert.Single(lone).Severity);
        Assert.Equal(Severity.Critical, Assert.Single(paired, f => f.RuleId == "secrets/aws-access-key-id").Severity);
        Assert.Single(paired, f => f.RuleId == "secrets/aws-secret-access-key");
    }

    [Fact]
    public async Task A_private_key_block_is_critical_without_its_body_in_the_evidence()
    {
        var findings = await ScanAsync(("certs/server.pem", PrivateKey + "\n"));

        var key = Assert.Single(findings, f => f.RuleId == "secrets/private-key");
        Assert.Equal(Severity.Critical, key.Severity);
        Assert.Equal(1, key.Location!.Line);
        Assert.Contains("lines)", key.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_strings_with_a_password_are_critical_unless_local_or_a_placeholder()
    {
        var findings = await ScanAsync((
            "src/db.js",
            "const prod = 'postgres://app:pw9Xk2LmQz@orders.cluster-abc.eu-central-1.rds.amazonaws.com:5432/orders';\n"
            + "const local = 'postgresql://dev:devpass123@localhost:5432/dev';\n"
            + "const templ = `mongodb+srv://app:${process.env.DB_PASSWORD}@cluster0.mongodb.net/app`;\n"
            + "const placeholder = 'mysql://user:<password>@db.internal/app';\n"));

        var uri = Assert.Single(findings);
        Assert.Equal("secrets/database-connection-string", uri.RuleId);
        Assert.Equal(Severity.Critical, uri.Severity);
        Assert.Equal(1, uri.Location!.Line);
        Assert.Contains("postgres://app:****[10 chars", uri.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwt_is_found_only_when_its_header_is_a_jose_header()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var jwt = $"{B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{B64("{\"sub\":\"service\",\"iat\":1700000000}")}.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        var notJwt = $"eyJ{B64("not json at all, no")}.eyJ{B64("neither is this one")}.abcdefghijklmnop";

        var findings = await ScanAsync(("src/client.js", $"const serviceToken = '{jwt}';\nconst other = '{notJwt}';\n"));

        var found = Assert.Single(findings);
        Assert.Equal("secrets/jwt", found.RuleId);
        Assert.Equal(Severity.High, found.Severity);
    }

    [Fact]
    public async Task Vendor_tokens_are_found_by_their_prefixes()
    {
        var findings = await ScanAsync(("src/notify.js", $"const gh = '{GitHubToken}';\nconst stripe = require('stripe')('{StripeKey}');\nconst slack = '{SlackToken}';\n"));

        Assert.Equal(["secrets/github-token", "secrets/stripe-secret-key", "secrets/slack-token"], findings.Select(f => f.RuleId));
        Assert.All(findings, f => Assert.Equal(Severity.High, f.Severity));
        Assert.Contains("ghp_****", findings[0].Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hard_coded_credentials_are_found_and_placeholders_names_and_prose_are_not()
    {
        var findings = await ScanAsync((
            "src/app.js",
            """
            const dbPassword = "S3cr3t!Pa55w0rd";
            const config = { apiKey: 'Zq81vX0pLmN7rT4wYb6Hs2Kd9Fg3Jc5A' };
            const password = "password";
            const ui = { passwordField: "Enter your password", tokenUrl: "https://auth.example.org/oauth2/token" };
            const fromEnv = { secret: process.env.APP_SECRET, token: "${TOKEN}" };
            const header = { apiKeyHeader: "x-api-key", sessionToken: "x-session-token" };
            const secretName = "prod/orders/db";
            """));

        Assert.Equal(["secrets/hardcoded-credential", "secrets/hardcoded-credential"], findings.Select(f => f.RuleId));
        Assert.Equal([1, 2], findings.Select(f => f.Location!.Line));
        Assert.All(findings, f => Assert.Equal(Severity.High, f.Severity));
    }

    [Fact]
    public async Task A_dotenv_file_is_reported_and_its_values_found()
    {
        var findings = await ScanAsync(
            (".env", "DB_HOST=orders.internal\nDB_PASSWORD=pw9Xk2LmQz\nLOG_LEVEL=debug\n"),
            (".env.example", "DB_PASSWORD=changeme\n"));

        Assert.Contains(findings, f => f is { RuleId: "secrets/hardcoded-credential", Location.Line: 2 });
        Assert.Single(findings, f => f.RuleId == SecretsAnalyzer.SensitiveFileRule && f.Location!.Path == ".env");
        Assert.DoesNotContain(findings, f => f.Location!.Path == ".env.example");
    }

    [Fact]
    public async Task High_entropy_strings_are_medium_and_hashes_uuids_integrity_and_identifiers_are_not()
    {
        var findings = await ScanAsync(
            ("src/sign.js", """
                const hmacKey = Buffer.from("Qm9vNkR3ZkN0aEp4S2xQc1Z6WW1Ob1Fy", "base64");
                const ids = ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"];
                const cmd = "GetObjectCommandInputFactory";
                """),
            ("package-lock.json", "{\"integrity\": \"sha512-Qm9vNkR3ZkN0aEp4S2xQc1Z6WW1Ob1FyQm9vNkR3ZkN0aEp4\"}"));

        var entropy = Assert.Single(findings);
        Assert.Equal("secrets/high-entropy-string", entropy.RuleId);
        Assert.Equal(Severity.Medium, entropy.Severity);
    }

    [Fact]
    public async Task Heuristic_findings_in_test_code_are_low_and_third_party_packages_get_formats_only_at_low()
    {
        var findings = await ScanAsync(
            ("test/db.test.js", "const password = 'S3cr3t!Pa55w0rd';\n"),
            ("node_modules/jws/test/keys/private.pem", PrivateKey),
            ("node_modules/some-lib/config.js", "const apiKey = 'Zq81vX0pLmN7rT4wYb6Hs2Kd9Fg3Jc5A';\n"));

        Assert.Equal(Severity.Low, Assert.Single(findings, f => f.Location!.Path == "test/db.test.js").Severity);
        var fixture = Assert.Single(findings, f => f.Location!.Path.StartsWith("node_modules/jws", StringComparison.Ordinal));
        Assert.Equal(Severity.Low, fixture.Severity);
        Assert.Contains("third-party package", fixture.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Location!.Path.StartsWith("node_modules/some-lib", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_fingerprint_follows_the_value_and_path_not_the_line()
    {
        var before = await ScanAsync(("src/a.js", $"const gh = '{GitHubToken}';\n"));
        var after = await ScanAsync(("src/a.js", $"// a new comment\n\nconst github = '{GitHubToken}';\n"));
        var rotated = await ScanAsync(("src/a.js", $"const gh = '{GitHubToken[..^4]}Zz99';\n"));

        Assert.Equal(Assert.Single(before).Fingerprint, Assert.Single(after).Fingerprint);
        Assert.NotEqual(before[0].Fingerprint, Assert.Single(rotated).Fingerprint);
        Assert.NotEqual(before[0].Location, after[0].Location);
    }

    [Fact]
    public async Task Minified_and_bundled_files_get_format_rules_only()
    {
        var bundle = "var __webpack_modules__={};function __webpack_require__(e){}\nconst apiKey = 'Zq81vX0pLmN7rT4wYb6Hs2Kd9Fg3Jc5A';\nconst gh = '" + GitHubToken + "';\n";

        var findings = await ScanAsync(("dist/bundle.js", bundle));

        Assert.Equal("secrets/github-token", Assert.Single(findings).RuleId);
    }

    [Fact]
    public void A_function_environment_with_a_secret_is_critical_and_masked()
    {
        var findings = SecretsAnalyzer.ScanEnvironment("Project team-a/shop function api", new Dictionary<string, string>
        {
            ["DATABASE_URL"] = "postgres://app:pw9Xk2LmQz@orders.cluster-abc.eu-central-1.rds.amazonaws.com/orders",
            ["STRIPE_KEY"] = StripeKey,
            ["LOG_LEVEL"] = "info",
            ["TABLE_NAME"] = "orders",
        });

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f =>
        {
            Assert.Equal(Severity.Critical, f.Severity);
            Assert.Equal("Project team-a/shop function api", f.Resource);
            Assert.Null(f.Location);
            AssertNoValueLeaks(f, [StripeKey, "pw9Xk2LmQz"]);
        });
        Assert.StartsWith("DATABASE_URL=", findings[0].Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mask_shows_only_a_public_prefix_length_and_fingerprint()
    {
        Assert.Equal($"AKIA****[20 chars, {SecretValue.Fingerprint(AwsKeyId)}]", SecretValue.Mask(AwsKeyId, "AKIA"));
        Assert.Equal($"****[7 chars, {SecretValue.Fingerprint("hunter2")}]", SecretValue.Mask("hunter2", "hun"));
        Assert.Matches("^sha256:[0-9a-f]{16}$", SecretValue.Fingerprint("x"));
    }
}
