namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// What a FAILED create-account request means: retry (the request id is dropped and a new request is queued) or a
/// terminal reason with a message that says what to do.
/// </summary>
internal sealed record CreateAccountFailure(bool Retry, string Reason, string Message);
