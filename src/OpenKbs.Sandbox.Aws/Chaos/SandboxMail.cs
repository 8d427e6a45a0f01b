namespace OpenKbs.Sandbox.Aws.Chaos;

/// <summary>One email the sandbox's AWS sent (e.g. the one-time code of StartPrimaryEmailUpdate).</summary>
/// <param name="To">The recipient address, as given to AWS.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Body">The plain-text body.</param>
/// <param name="SentAt">When it was sent, on the engine's clock.</param>
/// <param name="Code">The one-time code it carries, if any (tests read it here instead of parsing the body).</param>
public sealed record SandboxMail(string To, string Subject, string Body, DateTimeOffset SentAt, string? Code);
