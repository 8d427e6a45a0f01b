using System.Diagnostics;
using k8s;
using OpenKbs.Testing;

namespace OpenKbs.Operator.Tests.Deploy;

/// <summary>
/// Renders charts/openkbs-operator with hack/helmrender (`helm template` with Helm's own template engine, sprig and
/// schema validator; no helm binary can be had here). `make helmrender-deps` builds it; when it is missing this builds it
/// with Go, and tests skip with the reason only when Go and its Debian libraries are not installed.
/// </summary>
internal static class ChartRenderer
{
    public static readonly string Root = SandboxFixture.RepositoryRoot();
    public static readonly string ChartDirectory = Path.Combine(Root, "charts", "openkbs-operator");
    private static readonly string Binary = Path.Combine(Root, "hack", "helmrender", "bin", "helmrender");
    private static readonly Lazy<string?> Unavailable = new(Build);

    /// <summary>Null when the renderer can run, else why the chart tests skip.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>Renders with the chart's values plus <paramref name="values"/> (YAML text, may be null); exit code, manifests, errors.</summary>
    public static async Task<Rendered> RenderAsync(string? values = null, string release = "openkbs-operator", string ns = "openkbs-system", bool notes = false, params string[] apiVersions)
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        var args = new List<string> { "--name", release, "--namespace", ns };
        string? valuesFile = null;
        if (values is not null)
        {
            valuesFile = Path.Combine(Path.GetTempPath(), $"openkbs-values-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(valuesFile, values);
            args.AddRange(["-f", valuesFile]);
        }

        foreach (var api in apiVersions)
        {
            args.AddRange(["--api-versions", api]);
        }

        if (notes)
        {
            args.Add("--notes");
        }

        args.Add(ChartDirectory);
        try
        {
            var (code, output, error) = await RunAsync(Binary, null, args);
            return new Rendered(code, output, error);
        }
        finally
        {
            if (valuesFile is not null)
            {
                File.Delete(valuesFile);
            }
        }
    }

    /// <summary>Runs a process to its end (one minute at most).</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, string? workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>True when <paramref name="command"/> is an executable on PATH.</summary>
    public static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(p => File.Exists(Path.Combine(p, command)));

    private static string? Build()
    {
        var source = Path.Combine(Root, "hack", "helmrender", "main.go");
        if (File.Exists(Binary) && File.GetLastWriteTimeUtc(Binary) >= File.GetLastWriteTimeUtc(source))
        {
            return null;
        }

        if (!OnPath("go"))
        {
            return "hack/helmrender is not built and Go is not installed (make helmrender-deps installs golang-go and the sprig, yaml.v3 and gojsonschema packages)";
        }

        var (code, _, error) = RunAsync(
            "go",
            Path.GetDirectoryName(source),
            ["build", "-o", "bin/helmrender", "."],
            new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = "/usr/share/gocode",
                ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "openkbs-gocache"),
            }).GetAwaiter().GetResult();
        return code == 0 ? null : "go build hack/helmrender failed (make helmrender-deps installs its Debian packages): " + error;
    }
}

/// <summary>One render: its exit code, the manifests and the errors.</summary>
internal sealed record Rendered(int ExitCode, string Output, string Error)
{
    /// <summary>The rendered documents (each its YAML text), in output order.</summary>
    public IReadOnlyList<string> Documents =>
        Output.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.TrimStart('-', '\n'))
            .Where(d => d.Contains("kind:", StringComparison.Ordinal))
            .ToList();

    /// <summary>Every document as a typed object (strict: an unknown field in a built-in kind throws).</summary>
    public IReadOnlyList<object> Objects =>
        Documents.Where(d => !d.Contains("kind: ServiceMonitor", StringComparison.Ordinal))
            .SelectMany(d => KubernetesYaml.LoadAllFromString(d, strict: true))
            .ToList();

    /// <summary>The one object of type <typeparamref name="T"/> named <paramref name="name"/> (or the only one).</summary>
    public T One<T>(string? name = null)
        where T : IKubernetesObject<k8s.Models.V1ObjectMeta>
        => Assert.Single(Objects.OfType<T>(), o => name is null || o.Metadata.Name == name);

    public override string ToString() => $"exit {ExitCode}\n{Error}\n{Output}";
}
