using System.Text;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>Encodes a flat string-to-string map as CBOR (RFC 8949), enough for an rpc-v2-cbor error body.</summary>
internal static class CborMap
{
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        using var stream = new MemoryStream();
        Head(stream, 5, (ulong)entries.Count);
        foreach (var (key, value) in entries)
        {
            Text(stream, key);
            Text(stream, value);
        }

        return stream.ToArray();
    }

    private static void Text(MemoryStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Head(stream, 3, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void Head(MemoryStream stream, int major, ulong length)
    {
        var type = (byte)(major << 5);
        switch (length)
        {
            case < 24:
                stream.WriteByte((byte)(type | (byte)length));
                break;
            case <= byte.MaxValue:
                stream.WriteByte((byte)(type | 24));
                stream.WriteByte((byte)length);
                break;
            case <= ushort.MaxValue:
                stream.WriteByte((byte)(type | 25));
                stream.WriteByte((byte)(length >> 8));
                stream.WriteByte((byte)length);
                break;
            default:
                stream.WriteByte((byte)(type | 26));
                for (var shift = 24; shift >= 0; shift -= 8)
                {
                    stream.WriteByte((byte)(length >> shift));
                }

                break;
        }
    }
}
