using System.Security.Cryptography;
using System.Text;
using OpenKbs.Aws.Crypto;

namespace OpenKbs.Controllers.Projects.Components.Functions;

/// <summary>The sealed settings of one pass: digests up front, each envelope sealed at most once (only when a function needs it).</summary>
internal sealed class SealCache(ProjectContext context, string keyArn, IReadOnlyDictionary<string, byte[]> settings)
{
    private readonly Dictionary<string, string> _sealed = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Digests { get; } = settings
        .ToDictionary(s => s.Key, s => Digest(context.Project.Metadata.Uid!, s.Key, s.Value), StringComparer.Ordinal);

    public async Task<string> SealAsync(string name, CancellationToken cancellationToken)
    {
        if (!_sealed.TryGetValue(name, out var envelope))
        {
            envelope = await EnvelopeCipher.SealAsync(
                context.Aws.Kms,
                keyArn,
                settings[name],
                context.Names.EnvelopeContext(name),
                cancellationToken);
            _sealed[name] = envelope;
        }

        return envelope;
    }

    /// <summary>The digest that stands for a sealed setting's payload in the functions' environment (reveals nothing of it).</summary>
    internal static string Digest(string uid, string name, byte[] payload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"openkbs-sealed-setting\n{uid}\n{name}\n"));
        hash.AppendData(payload);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
