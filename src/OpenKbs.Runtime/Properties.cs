using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OpenKbs.Runtime.Tests")]
[assembly: InternalsVisibleTo("OpenKbs.Benchmarks")]
