using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// What an account hand-over needs from AWS and moto lacks (served whenever <c>account-api</c> is on):
/// <list type="bullet">
/// <item>RemoveAccountFromOrganization is refused with 400 <c>ConstraintViolationException</c> and the <c>Reason</c> AWS gives
/// until the account can stand alone (<see cref="StandaloneReadiness"/>, set by the client through the control endpoint);</item>
/// <item>a role deleted with IAM DeleteRole (e.g. by the client, inside the account) can no longer be assumed: STS AssumeRole
/// into it answers 403 <c>AccessDenied</c> (moto lets anyone assume any role ARN, existing or not) until it is created again;</item>
/// <item>Account Management GetContactInformation / PutContactInformation, kept per account.</item>
/// </list>
/// </summary>
internal sealed class AccountRealism(AwsChaosSpec spec, OrganizationsRealism organizations) : IRealismModule
{
    private const string OrganizationsTarget = "AWSOrganizationsV20161128.";

    private static readonly string[] RequiredContactFields = ["FullName", "AddressLine1", "City", "CountryCode", "PostalCode", "PhoneNumber"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StandaloneReadiness> _readiness = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _contacts = new(StringComparer.Ordinal);
    private readonly HashSet<(string Account, string Role)> _deletedRoles = [];

    public bool Handles(AwsRequestInfo request) => (request.Service, request.Operation) switch
    {
        ("account", "GetContactInformation" or "PutContactInformation") => true,
        ("organizations", "RemoveAccountFromOrganization") => true,
        ("iam", "DeleteRole" or "CreateRole") => true,
        ("sts", "AssumeRole") => true,
        _ => false,
    };

    public void Reset()
    {
        lock (_gate)
        {
            _readiness.Clear();
            _contacts.Clear();
            _deletedRoles.Clear();
        }
    }

    /// <summary>What the account has set so far (nothing for an account made by CreateAccount).</summary>
    public StandaloneReadiness Readiness(string accountId)
    {
        lock (_gate)
        {
            return _readiness.GetValueOrDefault(accountId) ?? StandaloneReadiness.None;
        }
    }

    /// <summary>Sets what the client has done for the account to stand alone.</summary>
    public void SetReadiness(string accountId, StandaloneReadiness readiness)
    {
        lock (_gate)
        {
            _readiness[accountId] = readiness;
        }
    }

    /// <summary>True when the role was deleted through the sandbox and not created again.</summary>
    public bool IsDeleted(string accountId, string roleName)
    {
        lock (_gate)
        {
            return _deletedRoles.Contains((accountId, roleName));
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        context.Count("AccountRealism");
        return (context.Info.Service, context.Info.Operation) switch
        {
            ("account", "GetContactInformation") => await GetContactAsync(context, cancellationToken),
            ("account", _) => await PutContactAsync(context, cancellationToken),
            ("organizations", _) => await RemoveAsync(context, cancellationToken),
            ("iam", _) => await RoleChangeAsync(context, cancellationToken),
            _ => await AssumeRoleAsync(context, cancellationToken),
        };
    }

    private async Task<HttpResponseMessage> RemoveAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var accountId = context.JsonString("AccountId");
        if (accountId is null || organizations.IsHidden(accountId, context.Now))
        {
            // A missing id, or a still-creating account: the Organizations module (or moto) answers as AWS does.
            return await organizations.HandleAsync(context, cancellationToken);
        }

        // Only a member the caller can see gets the standalone check; anything else is moto's (and AWS's) own refusal.
        using (var describe = context.JsonCall("organizations", OrganizationsTarget + "DescribeAccount", new JsonObject { ["AccountId"] = accountId }))
        using (var described = await context.SendAsync(describe, cancellationToken))
        {
            if (described.IsSuccessStatusCode && Readiness(accountId).FirstRefusal is { } reason)
            {
                context.Count("LeaveRefused");
                return context.Error(400, "ConstraintViolationException", LeaveMessage(reason), new Dictionary<string, string> { ["Reason"] = reason });
            }

            // moto answers AWSOrganizationsNotInUseException for an id that is no member; AWS answers AccountNotFoundException.
            if (!described.IsSuccessStatusCode
                && (await ResponseBodies.ReadJsonAsync(described, cancellationToken))?["__type"]?.GetValue<string>() is { } code
                && code.Contains("AccountNotFound", StringComparison.Ordinal))
            {
                return context.Error(400, "AccountNotFoundException", "You specified an account that doesn't exist.");
            }
        }

        return await context.ForwardAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> RoleChangeAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || context.Form("RoleName") is not { } role)
        {
            return response;
        }

        var account = await context.CallerAccountAsync(CancellationToken.None);
        lock (_gate)
        {
            if (context.Info.Operation == "DeleteRole")
            {
                _deletedRoles.Add((account, role));
            }
            else
            {
                _deletedRoles.Remove((account, role));
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> AssumeRoleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var roleArn = context.Form("RoleArn") ?? string.Empty;
        var parts = roleArn.Split(':', 6);
        if (parts.Length == 6 && parts[5].StartsWith("role/", StringComparison.Ordinal) && IsDeleted(parts[4], parts[5][(parts[5].LastIndexOf('/') + 1)..]))
        {
            context.Count("DeletedRole");
            var caller = await context.CallerAccountAsync(cancellationToken);
            return context.Error(403, "AccessDenied", $"User: arn:aws:iam::{caller}:root is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        return spec.Realism ? await organizations.HandleAsync(context, cancellationToken) : await context.ForwardAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> PutContactAsync(RealismContext context, CancellationToken cancellationToken)
    {
        if (context.Json()?["ContactInformation"] is not JsonObject contact)
        {
            return Validation(context, "ContactInformation is required.");
        }

        if (RequiredContactFields.FirstOrDefault(f => contact[f] is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s)) is { } missing)
        {
            return Validation(context, $"ContactInformation.{missing} is required.");
        }

        var account = context.JsonString("AccountId") ?? await context.CallerAccountAsync(cancellationToken);
        lock (_gate)
        {
            _contacts[account] = (JsonObject)contact.DeepClone();
        }

        return context.JsonAnswer(new JsonObject());
    }

    private async Task<HttpResponseMessage> GetContactAsync(RealismContext context, CancellationToken cancellationToken)
    {
        var account = context.JsonString("AccountId") ?? await context.CallerAccountAsync(cancellationToken);
        JsonObject? contact;
        lock (_gate)
        {
            contact = _contacts.GetValueOrDefault(account)?.DeepClone() as JsonObject;
        }

        return contact is null
            ? context.Error(404, "ResourceNotFoundException", $"No contact information is set for account {account}.")
            : context.JsonAnswer(new JsonObject { ["ContactInformation"] = contact });
    }

    private static HttpResponseMessage Validation(RealismContext context, string message) =>
        context.Error(400, "ValidationException", message, new Dictionary<string, string> { ["reason"] = "fieldValidationFailed" });

    /// <summary>AWS's words for each leave refusal (the ConstraintViolationException reason documentation).</summary>
    private static string LeaveMessage(string reason) => reason switch
    {
        "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION" =>
            "You attempted to remove an account from the organization that doesn't yet have enough information to exist as a standalone account. "
            + "This account requires you to first complete phone verification.",
        "ACCOUNT_CANNOT_LEAVE_WITHOUT_EULA" =>
            "You attempted to remove an account from the organization that doesn't yet have enough information to exist as a standalone account. "
            + "This account requires you to first agree to the AWS Customer Agreement.",
        _ => "To complete this operation with this member account, you first must associate a valid payment instrument, such as a credit card, with the account.",
    };
}
