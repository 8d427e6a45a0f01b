namespace OpenKbs.Controllers.Shared;

/// <summary>A spec problem: the terminal reason and a message saying what to change.</summary>
internal sealed record SpecViolation(string Reason, string Message);
