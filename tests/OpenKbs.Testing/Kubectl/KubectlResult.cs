namespace OpenKbs.Testing.Kubectl;

/// <summary>The outcome of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
