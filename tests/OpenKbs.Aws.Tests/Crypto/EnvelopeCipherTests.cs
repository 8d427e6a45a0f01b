using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Crypto;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Crypto;

[Collection(MotoCollection.Name)]
public sealed class EnvelopeCipherTests(MotoServerFixture moto) : IAsyncLifetime
{
    private static readonly IReadOnlyDictionary<string, string> Owner = EnvelopeContext.ForOwner("tenants", "Project", "shop", "uid-shop", "connection");

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Seal_and_open_round_trip_and_zero_the_data_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var copy = key.ToArray();
        var envelope = EnvelopeCipher.Seal(key, [1, 2, 3], "arn:aws:kms:eu-central-1:123456789012:key/k", "postgres://secret"u8, Owner);
        Assert.All(key, b => Assert.Equal(0, b));

        using (var json = JsonDocument.Parse(Convert.FromBase64String(envelope)))
        {
            Assert.Equal(1, json.RootElement.GetProperty("v").GetInt32());
            Assert.Equal("A256GCM", json.RootElement.GetProperty("alg").GetString());
            Assert.Equal(12, Convert.FromBase64String(json.RootElement.GetProperty("iv").GetString()!).Length);
        }

        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(Convert.FromBase64String(envelope)), StringComparison.Ordinal);
        var parsed = EnvelopeCipher.Parse(envelope);
        var opened = EnvelopeCipher.Open(copy.ToArray(), parsed, Owner);
        Assert.Equal("postgres://secret"u8.ToArray(), opened);
        Assert.Equal("arn:aws:kms:eu-central-1:123456789012:key/k", EnvelopeCipher.KeyIdOf(envelope));
    }

    public static TheoryData<string> Tampering => ["ct", "tag", "iv"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public void A_tampered_envelope_or_another_context_does_not_open(string field)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var envelope = EnvelopeCipher.Seal(key.ToArray(), [1], "k", "payload"u8, Owner);
        var parsed = EnvelopeCipher.Parse(envelope);
        var tampered = field switch
        {
            "ct" => parsed with { Ciphertext = Flip(parsed.Ciphertext) },
            "tag" => parsed with { Tag = Flip(parsed.Tag) },
            _ => parsed with { Nonce = Flip(parsed.Nonce) },
        };
        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(key.ToArray(), tampered, Owner));
        var other = EnvelopeContext.ForOwner("tenants", "Project", "shop", "uid-recreated", "connection");
        Assert.ThrowsAny<CryptographicException>(() => EnvelopeCipher.Open(key.ToArray(), parsed, other));
    }

    [Fact]
    public void Malformed_envelopes_are_refused() =>
        Assert.All(["", "not-base64!", Convert.ToBase64String("{}"u8), Convert.ToBase64String("""{"v":2,"alg":"A256GCM"}"""u8)], e =>
            Assert.ThrowsAny<Exception>(() => EnvelopeCipher.Parse(e)));

    [Fact]
    public async Task Envelopes_use_a_KMS_data_key_bound_to_the_owner()
    {
        using var host = new AwsTestHost(moto);
        var kms = Members.In(host).Kms;
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "shop" })).KeyMetadata!.Arn!;
        var secret = "host=db;user=app;password=Sup3r-Secret-Pa55"u8.ToArray();

        var envelope = await EnvelopeCipher.SealAsync(kms, key, secret, Owner);
        Assert.Equal(key, EnvelopeCipher.KeyIdOf(envelope));
        Assert.Equal(secret, await EnvelopeCipher.OpenAsync(kms, envelope, Owner));

        // Another owner's context: KMS itself refuses to decrypt the data key.
        var other = EnvelopeContext.ForOwner("tenants", "Project", "other", "uid-other", "connection");
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => EnvelopeCipher.OpenAsync(kms, envelope, other));
        Assert.Equal("InvalidCiphertextException", refused.ErrorCode);

        Assert.DoesNotContain("Sup3r-Secret", host.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Audit.Records, r => r.Action is "kms:GenerateDataKey" or "kms:Decrypt");
    }

    private static byte[] Flip(byte[] value)
    {
        var copy = value.ToArray();
        copy[0] ^= 0x01;
        return copy;
    }
}
