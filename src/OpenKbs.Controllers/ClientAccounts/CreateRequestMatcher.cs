using OpenKbs.Aws.Organizations.Model;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// Finds our own CreateAccount request after a crash between writing the marker and persisting the request id:
/// same account name, requested no earlier than the marker (minus a clock-skew allowance); IN_PROGRESS first, then
/// SUCCEEDED, newest first. FAILED requests are ignored: a new request is safe, AWS never creates a second account for
/// an email. A SUCCEEDED match is still checked against the email before it is taken (names are not unique). Pure.
/// </summary>
internal static class CreateRequestMatcher
{
    public static CreateAccountStatus? Find(IEnumerable<CreateAccountStatus> statuses, string accountName, DateTimeOffset marker, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var earliest = marker - tolerance;
        return statuses
            .Where(s => s.Id is not null
                && string.Equals(s.AccountName, accountName, StringComparison.Ordinal)
                && s.RequestedTimestamp is { } requested && requested >= earliest
                && s.State is "IN_PROGRESS" or "SUCCEEDED")
            .OrderBy(s => s.State == "IN_PROGRESS" ? 0 : 1)
            .ThenByDescending(s => s.RequestedTimestamp)
            .FirstOrDefault();
    }
}
