using System.Text.Json;
using OpenKbs.Testing.Moto;

namespace OpenKbs.EndToEnd.Tests.Support;

/// <summary>
/// The aws CLI acting inside one AWS account: the management account (the dummy credentials), or a client account through an
/// <c>sts:AssumeRole</c> session of exactly 900 s into <c>OrganizationAccountAccessRole</c>, as a platform engineer would inspect it.
/// </summary>
internal sealed class AccountSession
{
    public const string AccessRole = "OrganizationAccountAccessRole";

    private readonly Uri _endpoint;
    private readonly IReadOnlyDictionary<string, string>? _credentials;

    private AccountSession(Uri endpoint, string accountId, IReadOnlyDictionary<string, string>? credentials)
    {
        _endpoint = endpoint;
        AccountId = accountId;
        _credentials = credentials;
    }

    public string AccountId { get; }

    public static AccountSession Management(Uri endpoint) => new(endpoint, Sandbox.Aws.Moto.MotoDefaults.AccountId, null);

    /// <summary><c>aws sts assume-role --duration-seconds 900</c> into the client account, then every call with that session.</summary>
    public static async Task<AccountSession> AssumeAsync(Uri endpoint, string accountId)
    {
        var assumed = await AwsCli.RunAsync(endpoint, ["sts", "assume-role", "--role-arn", $"arn:aws:iam::{accountId}:role/{AccessRole}",
            "--role-session-name", "openkbs-proof", "--duration-seconds", "900"], maxAttempts: 8);
        var credentials = assumed.Json().GetProperty("Credentials");
        var session = new AccountSession(endpoint, accountId, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = credentials.GetProperty("AccessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.GetProperty("SecretAccessKey").GetString()!,
            ["AWS_SESSION_TOKEN"] = credentials.GetProperty("SessionToken").GetString()!,
        });
        var identity = await session.JsonAsync("sts", "get-caller-identity");
        Assert.Equal(accountId, identity.GetProperty("Account").GetString());
        return session;
    }

    /// <summary>Runs the CLI in this account (retries like the SDKs do: up to 8 attempts, so throttling in the proxy does not fail an inspection).</summary>
    public Task<AwsCliResult> RunAsync(params string[] args) => AwsCli.RunAsync(_endpoint, args, _credentials, maxAttempts: 8);

    /// <summary>Runs the CLI and parses its JSON; fails the test with the CLI's error otherwise.</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} (account {AccountId}): {result}");
        return result.Json();
    }

    /// <summary>Bucket names in this account.</summary>
    public async Task<IReadOnlyList<string>> BucketsAsync() =>
        [.. (await JsonAsync("s3api", "list-buckets")).GetProperty("Buckets").EnumerateArray().Select(b => b.GetProperty("Name").GetString()!)];

    /// <summary>Function names in the home region.</summary>
    public async Task<IReadOnlyList<string>> FunctionsAsync() =>
        [.. (await JsonAsync("lambda", "list-functions")).GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()!)];

    /// <summary>Aurora cluster identifiers in the home region.</summary>
    public async Task<IReadOnlyList<string>> ClustersAsync() =>
        [.. (await JsonAsync("rds", "describe-db-clusters")).GetProperty("DBClusters").EnumerateArray().Select(c => c.GetProperty("DBClusterIdentifier").GetString()!)];

    /// <summary>Distribution ids (CloudFront is global).</summary>
    public async Task<IReadOnlyList<string>> DistributionsAsync()
    {
        // The CLI prints nothing at all for an empty list.
        var answer = await JsonAsync("cloudfront", "list-distributions");
        return answer.TryGetProperty("DistributionList", out var list) && list.TryGetProperty("Items", out var items)
            ? [.. items.EnumerateArray().Select(d => d.GetProperty("Id").GetString()!)]
            : [];
    }

    /// <summary>Schedule names of every group in the home region.</summary>
    public async Task<IReadOnlyList<string>> SchedulesAsync() =>
        [.. (await JsonAsync("scheduler", "list-schedules")).GetProperty("Schedules").EnumerateArray().Select(s => s.GetProperty("Name").GetString()!)];

    /// <summary>KMS key ids in the home region.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync() =>
        [.. (await JsonAsync("kms", "list-keys")).GetProperty("Keys").EnumerateArray().Select(k => k.GetProperty("KeyId").GetString()!)];

    /// <summary>IAM role names (global).</summary>
    public async Task<IReadOnlyList<string>> RolesAsync() =>
        [.. (await JsonAsync("iam", "list-roles")).GetProperty("Roles").EnumerateArray().Select(r => r.GetProperty("RoleName").GetString()!)];
}
