namespace OpenKbs.Benchmarks;

internal static class Program
{
    private static int Main() => 0;
}
