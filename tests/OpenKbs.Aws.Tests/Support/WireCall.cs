namespace OpenKbs.Aws.Tests.Support;

/// <summary>One call for <see cref="JsSdk"/>: the JS SDK service key (lambda, rds, ...), the command name without "Command", and its input.</summary>
internal sealed record WireCall(string Service, string Command, object Input);
