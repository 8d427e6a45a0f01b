using System.Security.Cryptography;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Kms.Model;
using OpenKbs.Aws.Tests.Support;
using OpenKbs.Testing.Moto;

namespace OpenKbs.Aws.Tests.Kms;

[Collection(MotoCollection.Name)]
public sealed class KmsClientTests(MotoServerFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Key_alias_rotation_tags_and_crypto_against_moto()
    {
        using var host = new AwsTestHost(moto);
        var kms = Members.In(host).Kms;

        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "shop secrets", Tags = [new Tag { TagKey = "openkbs.com/uid", TagValue = "uid-shop" }] })).KeyMetadata!;
        Assert.StartsWith("arn:aws:kms:eu-central-1:123456789012:key/", key.Arn, StringComparison.Ordinal);
        Assert.Equal("Enabled", key.KeyState);
        Assert.Equal("SYMMETRIC_DEFAULT", key.KeySpec);

        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/openkbs/shop", TargetKeyId = key.KeyId! });
        var duplicate = await Assert.ThrowsAsync<AwsServiceException>(() => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/openkbs/shop", TargetKeyId = key.KeyId! }));
        Assert.Equal("AlreadyExistsException", duplicate.ErrorCode);
        Assert.True(duplicate.IsConflict);
        Assert.Contains((await kms.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/openkbs/shop" && a.TargetKeyId == key.KeyId);
        Assert.Equal(key.Arn, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/openkbs/shop" })).KeyMetadata!.Arn);

        Assert.False((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId! })).KeyRotationEnabled);
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId! });
        Assert.True((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.Arn! })).KeyRotationEnabled);

        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId!, Tags = [new Tag { TagKey = "team", TagValue = "a" }] });
        Assert.Equal(["openkbs.com/uid", "team"], (await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId! })).Tags.Select(t => t.TagKey).Order(StringComparer.Ordinal));

        var context = new Dictionary<string, string> { ["openkbs.com/uid"] = "uid-shop" };
        var dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = "alias/openkbs/shop", EncryptionContext = context });
        Assert.Equal(32, dataKey.Plaintext.Length);
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob, KeyId = key.Arn, EncryptionContext = context });
        Assert.Equal(dataKey.Plaintext, decrypted.Plaintext);
        CryptographicOperations.ZeroMemory(dataKey.Plaintext);

        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId!, Plaintext = "token-hash"u8.ToArray(), EncryptionContext = context });
        Assert.Equal("token-hash"u8.ToArray(), (await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context })).Plaintext);
        var wrongContext = await Assert.ThrowsAsync<AwsServiceException>(() => kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = encrypted.CiphertextBlob,
            EncryptionContext = new Dictionary<string, string> { ["openkbs.com/uid"] = "uid-other" },
        }));
        Assert.Equal("InvalidCiphertextException", wrongContext.ErrorCode);
        Assert.True(wrongContext.IsTerminal);

        // Mutations are audited; the crypto calls change nothing and are not.
        Assert.Equal(
            ["kms:CreateKey", "kms:CreateAlias", "kms:CreateAlias", "kms:EnableKeyRotation", "kms:TagResource"],
            host.Audit.Records.Select(r => r.Action));
        Assert.Equal(key.Arn, host.Audit.Records.First().Resource);
        Assert.Equal("arn:aws:kms:eu-central-1:123456789012:alias/openkbs/shop", host.Audit.Records.ElementAt(1).Resource);
    }
}
