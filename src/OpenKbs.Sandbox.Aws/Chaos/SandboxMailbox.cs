using System.Globalization;
using System.Text;

namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>
/// The mailboxes of the sandbox's AWS: every email AWS would send to a human (the root-email verification code) is kept here
/// by recipient, and, when a directory is given, written as a text file to <c>DIR/&lt;address&gt;/&lt;time&gt;-&lt;n&gt;.txt</c>
/// (<c>openkbs sandbox</c> uses <c>STATE_DIR/mail</c>), so a person at a shell can read it like an inbox. Thread-safe.
/// </summary>
public sealed class SandboxMailbox(string? directory = null)
{
    private readonly Dictionary<string, List<SandboxMail>> _byAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private long _sequence;

    /// <summary>The folder the mails are written to, or null when they are only kept in memory.</summary>
    public string? Directory => directory;

    /// <summary>Every mail sent to <paramref name="address"/> (case-insensitive), oldest first.</summary>
    public IReadOnlyList<SandboxMail> To(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return _byAddress.TryGetValue(address, out var mails) ? [.. mails] : [];
        }
    }

    /// <summary>The newest mail sent to <paramref name="address"/>, or null.</summary>
    public SandboxMail? Latest(string address) => To(address) is { Count: > 0 } mails ? mails[^1] : null;

    /// <summary>Delivers a mail: kept in memory and, with a directory, written to a file.</summary>
    public void Deliver(SandboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        long n;
        lock (_gate)
        {
            if (!_byAddress.TryGetValue(mail.To, out var mails))
            {
                _byAddress[mail.To] = mails = [];
            }

            mails.Add(mail);
            n = ++_sequence;
        }

        if (directory is null)
        {
            return;
        }

        var folder = Path.Combine(directory, SafeName(mail.To));
        System.IO.Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{mail.SentAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{n:D4}.txt");
        File.WriteAllText(Path.Combine(folder, name), Render(mail), Encoding.UTF8);
    }

    /// <summary>Forgets the mails kept in memory (files stay: a reset does not unsend mail).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byAddress.Clear();
        }
    }

    /// <summary>The file text of a mail: headers, a blank line, the body.</summary>
    public static string Render(SandboxMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return string.Create(CultureInfo.InvariantCulture,
            $"From: Amazon Web Services <no-reply@sandbox.aws.invalid>\nTo: {mail.To}\nDate: {mail.SentAt.UtcDateTime:R}\nSubject: {mail.Subject}\n\n{mail.Body}\n");
    }

    /// <summary>The folder name of an address: lower case, anything but letters, digits, <c>@._+-</c> replaced by <c>_</c>.</summary>
    public static string SafeName(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var chars = address.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or '+' or '-' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "_" : name;
    }
}
