namespace OpenKbs.Sandbox.Aws.Moto;

/// <summary>Keeps the last lines moto printed (for error messages) and optionally appends them to a file.</summary>
internal sealed class MotoOutputLog : IDisposable
{
    private const int MaxLines = 200;
    private readonly Queue<string> _lines = new();
    private readonly StreamWriter? _file;
    private readonly Lock _gate = new();

    public MotoOutputLog(string? path)
    {
        if (path is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }

            _file?.WriteLine(line);
        }
    }

    public string Tail(int lines = 40)
    {
        lock (_gate)
        {
            return string.Join('\n', _lines.Skip(Math.Max(0, _lines.Count - lines)));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
        }
    }
}
