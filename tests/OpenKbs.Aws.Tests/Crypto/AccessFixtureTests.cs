using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenKbs.Aws.Crypto;

namespace OpenKbs.Aws.Tests.Crypto;

/// <summary>
/// The access function (src/OpenKbs.Access, Node.js) against the operator's own code: it must open the API-key envelopes
/// <see cref="EnvelopeCipher"/> seals (AES-256-GCM, the encryption context as associated data), and its KMS-signed RS256
/// tokens must verify with .NET's own RSA. Fixtures: src/OpenKbs.Access/test/fixtures (made by the node tests).
/// </summary>
public sealed class AccessFixtureTests
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
        // The payload as ApiKeyPayload.Render writes it: gzip of {"v":1,"keys":[{name, sha256, permissions, deployment}]}.
        var json = """{"v":1,"keys":[{"name":"partner","sha256":"4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","permissions":["orders:read"],"deployment":"1.0.0+0123456789ab"}]}""";
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        var envelope = EnvelopeCipher.Seal(dataKey, [1, 2, 3], "arn:aws:kms:eu-central-1:123456789012:key/k", buffer.ToArray(), context);

        const string script = """
            const sealed = require('./function/sealed');
            const [dataKey, envelope, context] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
            const opened = sealed.openWithDataKey(Buffer.from(dataKey, 'base64'), sealed.parseEnvelope(envelope), context);
            process.stdout.write(JSON.stringify(sealed.parseKeys(opened)));
            """;
        var output = await RunNodeAsync(script, JsonSerializer.Serialize(new object[] { dataKeyText, envelope, context }));

        Assert.Equal(JsonNode.Parse(json)!["keys"]!.ToJsonString(), JsonNode.Parse(output)!.ToJsonString());
    }

    [Fact]
    public void The_KMS_signed_token_verifies_with_dotnet_RSA_and_a_tampered_one_does_not()
    {
        var fixture = Fixture("jwt.json");
        var parts = ((string)fixture["token"]!).Split('.');
        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        var jwk = fixture["jwks"]!["keys"]!.AsArray().Single(k => (string)k!["kid"]! == (string)header["kid"]!)!;
        using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url(jwk["n"]!.GetValue<string>()), Exponent = Base64Url(jwk["e"]!.GetValue<string>()) });
        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = Base64Url(parts[2]);

        Assert.Equal(("RS256", "JWT"), ((string)header["alg"]!, (string)header["typ"]!));
        Assert.Equal(2048, rsa.KeySize);
        Assert.True(rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal((string)fixture["audience"]!, (string)claims["aud"]!);
        Assert.InRange((long)claims["exp"]! - (long)claims["iat"]!, 1, 900);
        Assert.Equal("orders:read mqtt:connect", (string)claims["scope"]!);

        var widened = Encoding.ASCII.GetBytes(parts[0] + "." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString().Replace("orders:read", "*", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        Assert.False(rsa.VerifyData(widened, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
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

    private static async Task<string> RunNodeAsync(string script, string stdin)
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
