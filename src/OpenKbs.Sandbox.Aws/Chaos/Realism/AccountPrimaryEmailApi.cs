using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// The Account Management primary-email operations moto lacks (restJson1, signing name
/// <c>account</c>): GetPrimaryEmail, StartPrimaryEmailUpdate, AcceptPrimaryEmailUpdate. The target
/// account must exist in the caller's organization in moto (checked with DescribeAccount as the
/// caller). The one-time password is mailed to the new address (<see cref="SandboxMailbox"/>), kept in
/// <see cref="PrimaryEmailDirectory"/> for tests (and <c>GET /__chaos/account/otp?accountId=</c>), and expires after the
/// spec's <c>otp-ttl</c>.
/// </summary>
internal sealed partial class AccountPrimaryEmailApi(AwsChaosSpec spec, PrimaryEmailDirectory emails, SandboxMailbox mailbox, Func<string, DateTimeOffset, bool> isHidden) : IRealismModule
{
    private const string OrganizationsTarget = "AWSOrganizationsV20161128.";

    public bool Handles(AwsRequestInfo request) =>
        request.Service == "account" && request.Operation is "GetPrimaryEmail" or "StartPrimaryEmailUpdate" or "AcceptPrimaryEmailUpdate";

    public void Reset() => emails.Clear();

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        context.Count("AccountApi");
        if (context.Json() is null)
        {
            return Validation(context, "Body", "The request body must be a JSON object.");
        }

        var accountId = context.JsonString("AccountId");
        if (accountId is null || !AccountIdPattern().IsMatch(accountId))
        {
            return Validation(context, "AccountId", "AccountId must be a 12-digit account id.");
        }

        var (found, currentEmail, error) = await DescribeAsync(context, accountId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (!found)
        {
            return context.Error(404, "ResourceNotFoundException", $"The account {accountId} was not found in your organization.");
        }

        switch (context.Info.Operation)
        {
            case "GetPrimaryEmail":
                return context.JsonAnswer(new JsonObject { ["PrimaryEmail"] = emails.Current(accountId) ?? currentEmail });

            case "StartPrimaryEmailUpdate":
            {
                var email = context.JsonString("PrimaryEmail");
                if (email is null || email.Length is < 5 or > 64 || !EmailPattern().IsMatch(email))
                {
                    return Validation(context, "PrimaryEmail", "PrimaryEmail must be an email address of 5 to 64 characters.");
                }

                if (await EmailUsedByAnotherAccountAsync(context, accountId, email, cancellationToken))
                {
                    return context.Error(409, "ConflictException", "The email address is already associated with another AWS account.");
                }

                var otp = spec.Otp ?? RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 6);
                DateTimeOffset? expires = spec.OtpTtl > TimeSpan.Zero ? context.Now + spec.OtpTtl : null;
                emails.Start(new PendingPrimaryEmailUpdate(accountId, email, otp, expires));
                mailbox.Deliver(VerificationMail(accountId, email, otp, context.Now, expires));
                return context.JsonAnswer(new JsonObject { ["Status"] = "PENDING" });
            }

            default:
            {
                var email = context.JsonString("PrimaryEmail");
                var otp = context.JsonString("Otp");
                if (email is null || otp is null || !OtpPattern().IsMatch(otp))
                {
                    return Validation(context, otp is null || !OtpPattern().IsMatch(otp) ? "Otp" : "PrimaryEmail", "PrimaryEmail and a 6-character Otp are required.");
                }

                var pending = emails.Pending(accountId);
                if (pending is null)
                {
                    return context.Error(404, "ResourceNotFoundException", $"There is no pending primary email update for account {accountId}.");
                }

                if (!string.Equals(pending.PrimaryEmail, email, StringComparison.OrdinalIgnoreCase))
                {
                    return Validation(context, "PrimaryEmail", "PrimaryEmail does not match the pending primary email update.");
                }

                if (pending.ExpiresAt is { } expiresAt && context.Now >= expiresAt)
                {
                    context.Count("OtpExpired");
                    return Validation(context, "Otp", "The one-time password has expired. Call StartPrimaryEmailUpdate again to receive a new one.");
                }

                if (!string.Equals(pending.Otp, otp, StringComparison.OrdinalIgnoreCase))
                {
                    return Validation(context, "Otp", "The one-time password is not valid.");
                }

                emails.Accept(accountId, pending.PrimaryEmail);
                return context.JsonAnswer(new JsonObject { ["Status"] = "ACCEPTED" });
            }
        }
    }

    private async Task<(bool Found, string? Email, HttpResponseMessage? Error)> DescribeAsync(RealismContext context, string accountId, CancellationToken cancellationToken)
    {
        if (isHidden(accountId, context.Now))
        {
            return (false, null, null);
        }

        using var request = context.JsonCall("organizations", OrganizationsTarget + "DescribeAccount", new JsonObject { ["AccountId"] = accountId });
        using var response = await context.SendAsync(request, cancellationToken);
        var json = await ResponseBodies.ReadJsonAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (true, json?["Account"]?["Email"]?.GetValue<string>(), null);
        }

        var code = json?["__type"]?.GetValue<string>() ?? string.Empty;
        return code.Contains("AccountNotFound", StringComparison.Ordinal)
            ? (false, null, null)
            : (false, null, context.Error(403, "AccessDeniedException", $"The caller cannot manage account {accountId}: Organizations answered {(int)response.StatusCode} {code}. The caller must be the management account of an organization with all features."));
    }

    private async Task<bool> EmailUsedByAnotherAccountAsync(RealismContext context, string accountId, string email, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var payload = new JsonObject();
            if (token is not null)
            {
                payload["NextToken"] = token;
            }

            using var request = context.JsonCall("organizations", OrganizationsTarget + "ListAccounts", payload);
            using var response = await context.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK || await ResponseBodies.ReadJsonAsync(response, cancellationToken) is not { } json)
            {
                return false;
            }

            foreach (var account in (json["Accounts"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var id = account["Id"]?.GetValue<string>() ?? string.Empty;
                var current = emails.Current(id) ?? account["Email"]?.GetValue<string>();
                if (id != accountId && string.Equals(current, email, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            token = json["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        return false;
    }

    private static SandboxMail VerificationMail(string accountId, string email, string otp, DateTimeOffset now, DateTimeOffset? expires)
    {
        var expiry = expires is { } at
            ? "The code expires at " + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC."
            : "The code does not expire in this sandbox.";
        var body = $"Hello,\n\nA request was made to use {email} as the root user (primary) email address of AWS account {accountId}.\n\n"
            + $"Verification code: {otp}\n\n{expiry}\nIf you did not expect this, ignore this email: nothing changes without the code.\n";
        return new SandboxMail(email, $"AWS account {accountId}: verify your new root user email address", body, now, otp);
    }

    private static HttpResponseMessage Validation(RealismContext context, string field, string message) =>
        context.Error(400, "ValidationException", message, new Dictionary<string, string> { ["reason"] = "fieldValidationFailed" });

    [GeneratedRegex("^\\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[^@\\s]+@[^@\\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[a-zA-Z0-9]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex OtpPattern();
}
