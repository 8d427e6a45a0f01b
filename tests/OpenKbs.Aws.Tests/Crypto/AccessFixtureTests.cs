using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Aws.Crypto;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Crypto;

/// <summary>
/// The access function (src/OpenKbs.Access, Node.js) against the operator's own code: it must open the API-key envelopes
/// <see cref="EnvelopeCipher"/> seals (AES-256-GCM, the encryption context as associated data), and its KMS-signed RS256
/// tokens must verify with .NET's own RSA. Fixtures: src/OpenKbs.Access/test/fixtures (made by the node tests); the live test
/// runs the access function with node against moto with a key sealed by <see cref="EnvelopeCipher.SealAsync"/>.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AccessFixtureTests(MotoServerFixture moto)
{
    private static readonly string AccessDirectory = FindAccessDirectory();

    [Fact]
    public void EnvelopeCipher_opens_the_envelope_the_access_side_seals()
    {
        var fixture = Fixture("envelope.json");
        var context = fixture["context"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

        var opened = EnvelopeCipher.Open(Convert.FromBase64String((string)fixture["dataKey"]!), EnvelopeCipher.Parse((string)fixture["envelope"]!), context);

        Assert.Equal(Convert.FromBase64String((string)fixture["payload"]!), opened);
        var keys = Gunzip(opened)["keys"]!.AsArray();
        Assert.Equal("partner", (string)keys[0]!["name"]!);
        Assert.Equal(["orders:read", "mqtt:connect"], keys[0]!["permissions"]!.AsArray().Select(p => (string)p!));
        var other = new Dictionary<string, string>(context, StringComparer.Ordinal) { ["openkbs.com/uid"] = "another-uid" };
        Assert.ThrowsAny<CryptographicException>(() =>
            EnvelopeCipher.Open(Convert.FromBase64String((string)fixture["dataKey"]!), EnvelopeCipher.Parse((string)fixture["envelope"]!), other));
    }

    [SkippableFact]
    public async Task The_access_function_opens_what_EnvelopeCipher_seals()
    {
        Skip.If(!OnPath("node"), "node is not installed");
        var context = EnvelopeContext.ForOwner("acme", "Project", "shop", "5d0e7c1a-0000-4000-8000-000000000001", "OPENKBS_API_KEYS");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var dataKeyText = Convert.ToBase64String(dataKey);
        var json = KeyList("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");

        var envelope = EnvelopeCipher.Seal(dataKey, [1, 2, 3], "arn:aws:kms:eu-central-1:123456789012:key/k", Gzip(json), context);

        const string script = """
            const sealed = require('./function/sealed');
            const [dataKey, envelope, context] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
            const opened = sealed.openWithDataKey(Buffer.from(dataKey, 'base64'), sealed.parseEnvelope(envelope), context);
            process.stdout.write(JSON.stringify(sealed.parseKeys(opened)));
            """;
        var output = await RunNodeAsync(script, JsonSerializer.Serialize(new object[] { dataKeyText, envelope, context }), new Dictionary<string, string>());

        Assert.Equal(JsonNode.Parse(json)!["keys"]!.ToJsonString(), JsonNode.Parse(output)!.ToJsonString());
    }

    [Fact]
    public void The_KMS_signed_token_verifies_with_dotnet_RSA_and_a_tampered_one_does_not()
    {
        var fixture = Fixture("jwt.json");

        var claims = VerifiedClaims((string)fixture["token"]!, fixture["jwks"]!);

        Assert.Equal((string)fixture["audience"]!, (string)claims["aud"]!);
        Assert.Equal("orders:read mqtt:connect", (string)claims["scope"]!);
    }

    [SkippableFact]
    public async Task The_access_function_issues_a_token_for_a_key_EnvelopeCipher_sealed_and_dotnet_RSA_verifies_it()
    {
        Skip.If(!OnPath("node") || !Directory.Exists(Path.Combine(AccessDirectory, "node_modules", "@aws-sdk", "client-kms")),
            "node or src/OpenKbs.Access/node_modules is missing (make access-test installs it)");
        using var host = new AwsTestHost(moto);
        var kms = Members.In(host).Kms;
        var projectKey = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "shop" })).KeyMetadata!.Arn!;
        var signingKey = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "shop tokens", KeySpec = "RSA_2048", KeyUsage = "SIGN_VERIFY" })).KeyMetadata!.Arn!;
        var apiKey = "okbs_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var uid = Guid.NewGuid().ToString();
        var context = EnvelopeContext.ForOwner("acme", "Project", "shop", uid, "OPENKBS_API_KEYS");
        var envelope = await EnvelopeCipher.SealAsync(kms, projectKey, Gzip(KeyList(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))))), context);

        const string script = """
            const access = require('./function/index.js');
            const key = require('node:fs').readFileSync(0, 'utf8');
            const call = (method, path, headers) => access.handler({ rawPath: path, headers, requestContext: { http: { method } } });
            (async () => {
              const token = await call('POST', '/auth/token', { 'x-api-key': key });
              const wrong = await call('POST', '/auth/token', { 'x-api-key': key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A') });
              const jwks = await call('GET', '/auth/jwks.json', {});
              process.stdout.write(JSON.stringify({ token, wrong, jwks }));
            })();
            """;
        var output = JsonNode.Parse(await RunNodeAsync(script, apiKey, new Dictionary<string, string>
        {
            ["NODE_PATH"] = "layer",
            ["AWS_ENDPOINT_URL"] = moto.Endpoint.ToString().TrimEnd('/'),
            ["AWS_REGION"] = Members.Region,
            ["AWS_ACCESS_KEY_ID"] = moto.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = moto.SecretAccessKey,
            ["OPENKBS_PROJECT"] = "acme/Project/shop",
            ["OPENKBS_PROJECT_UID"] = uid,
            ["OPENKBS_API_KEYS"] = envelope,
            ["OPENKBS_SIGNING_KEY"] = signingKey,
        }))!;

        Assert.Equal(200, (int)output["token"]!["statusCode"]!);
        Assert.Equal(401, (int)output["wrong"]!["statusCode"]!);
        var token = (string)JsonNode.Parse((string)output["token"]!["body"]!)!["access_token"]!;
        var claims = VerifiedClaims(token, JsonNode.Parse((string)output["jwks"]!["body"]!)!);
        Assert.Equal($"urn:openkbs:project:{uid}", (string)claims["aud"]!);
        Assert.Equal("partner", (string)claims["sub"]!);
        Assert.Equal("orders:read", (string)claims["scope"]!);
    }

    /// <summary>Checks an RS256 token with .NET's RSA against the JWKS key its kid names (and that a widened copy fails); its claims.</summary>
    private static JsonNode VerifiedClaims(string token, JsonNode jwks)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        var jwk = jwks["keys"]!.AsArray().Single(k => (string)k!["kid"]! == (string)header["kid"]!)!;
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url(jwk["n"]!.GetValue<string>()), Exponent = Base64Url(jwk["e"]!.GetValue<string>()) });
        var signature = Base64Url(parts[2]);

        Assert.Equal(("RS256", "JWT"), ((string)header["alg"]!, (string)header["typ"]!));
        Assert.Equal(2048, rsa.KeySize);
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.InRange((long)claims["exp"]! - (long)claims["iat"]!, 1, 900);
        var widened = Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString().Replace("\"scope\":\"", "\"scope\":\"* ", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.False(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + widened), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return claims;
    }

    /// <summary>The key list as ApiKeyPayload.Render writes it (before gzip): one key "partner" with orders:read.</summary>
    private static string KeyList(string sha256) =>
        $$"""{"v":1,"keys":[{"name":"partner","sha256":"{{sha256}}","permissions":["orders:read"],"deployment":"1.0.0+0123456789ab"}]}""";

    private static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AccessDirectory, "test", "fixtures", name)))!;

    private static JsonNode Gunzip(byte[] payload)
    {
        using var input = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        return JsonNode.Parse(input)!;
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    private static async Task<string> RunNodeAsync(string script, string stdin, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = AccessDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(script);
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));

    private static string FindAccessDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "OpenKbs.Access");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("src/OpenKbs.Access not found above " + AppContext.BaseDirectory);
    }
}
