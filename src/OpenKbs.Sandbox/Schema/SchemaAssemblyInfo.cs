using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OpenKbs.Sandbox.Tests")]
