using System.Text;

namespace OpenKbs.Aws.Tests.Signing;

/// <summary>One test-suite case parsed from its signed-request file.</summary>
internal sealed record SigV4Vector(
    string Name,
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    string ExpectedAuthorization)
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string AmzDate = "20150830T123600Z";
    public const string Region = "us-east-1";
    public const string Service = "service";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Signing", "Vectors");

    public static IEnumerable<string> Names => System.IO.Directory.GetFiles(Directory, "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public string ExpectedSignature => ExpectedAuthorization[(ExpectedAuthorization.LastIndexOf('=') + 1)..];

    public string? SessionToken => Headers.FirstOrDefault(h => h.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase)).Value;

    public static SigV4Vector Load(string name)
    {
        var text = File.ReadAllText(Path.Combine(Directory, name + ".txt"), Encoding.UTF8);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = text[..split].Split('\n');
        var body = Encoding.UTF8.GetBytes(text[(split + 2)..]);
        var requestLine = head[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/1.1", StringComparison.Ordinal)];
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        string authorization = string.Empty;
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = line[..colon];
            var value = line[(colon + 1)..];
            if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = value;
            }
            else
            {
                headers.Add(new(key, value));
            }
        }

        return new SigV4Vector(name, method, q < 0 ? target : target[..q], q < 0 ? string.Empty : target[(q + 1)..], headers, body, authorization);
    }

    public override string ToString() => Name;
}
