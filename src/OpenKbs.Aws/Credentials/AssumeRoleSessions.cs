using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Core;
using OpenKbs.Aws.Pipeline;

namespace OpenKbs.Aws.Credentials;

/// <summary>
/// Client-account sessions: <c>sts:AssumeRole</c> into <c>arn:aws:iam::{account}:role/{role}</c> with <c>DurationSeconds=900</c>
/// exactly (official AWSSDK.SecurityToken client, regional STS endpoint in the default EU region), one cached session per
/// (account, role), renewed <see cref="AwsOptions.SessionRefreshMargin"/> before it expires and never used beyond it.
/// The lifetime is counted on the operator's clock from just before the call (immune to clock skew).
/// Concurrent callers share one AssumeRole call. The session name comes from the first actor that needs it.
/// </summary>
internal sealed partial class AssumeRoleSessions(
    IManagementCredentials managementCredentials,
    AwsRequestPipeline pipeline,
    AwsSdkClientConfig sdkConfig,
    IOptions<AwsOptions> options,
    TimeProvider timeProvider,
    ILogger<AssumeRoleSessions> logger) : IDisposable
{
    /// <summary>Every cross-account session lasts exactly this long (the STS minimum).</summary>
    public const int DurationSeconds = 900;

    internal static readonly AwsOperation AssumeRole = AwsOperation.Read(AwsServices.Sts, nameof(AssumeRole));

    private readonly ConcurrentDictionary<(string Account, string Role), Entry> _entries = new();
    private readonly SemaphoreSlim _clientLock = new(1, 1);
    private AmazonSecurityTokenServiceClient? _sts;

    public static string RoleArn(string accountId, string roleName)
    {
        if (!AccountIdPattern().IsMatch(accountId))
        {
            throw new ArgumentException($"'{accountId}' is not a 12-digit AWS account id.", nameof(accountId));
        }

        if (!RoleNamePattern().IsMatch(roleName))
        {
            throw new ArgumentException($"'{roleName}' is not a valid IAM role name.", nameof(roleName));
        }

        return $"arn:aws:iam::{accountId}:role/{roleName}";
    }

    /// <summary>The current session for (account, role), assuming a new one when none is fresh.</summary>
    public async ValueTask<AwsSession> GetAsync(string accountId, string roleName, AwsActor actor, CancellationToken cancellationToken)
    {
        var roleArn = RoleArn(accountId, roleName);
        var margin = options.Value.SessionRefreshMargin;
        var entry = _entries.GetOrAdd((accountId, roleName), static _ => new Entry());
        var current = entry.Session;
        if (current is not null && current.IsFresh(timeProvider.GetUtcNow(), margin))
        {
            return current;
        }

        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            current = entry.Session;
            if (current is not null && current.IsFresh(timeProvider.GetUtcNow(), margin))
            {
                return current;
            }

            var session = await AssumeAsync(accountId, roleArn, SessionNames.For(options.Value.SessionNamePrefix, actor), actor, cancellationToken);
            entry.Session = session;
            return session;
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    /// <summary>A fresh session that is not cached (and the cached one dropped): proves the role can be assumed now.</summary>
    public async Task<AwsSession> ProbeAsync(string accountId, string roleName, AwsActor actor, CancellationToken cancellationToken)
    {
        var roleArn = RoleArn(accountId, roleName);
        Invalidate(accountId, roleName);
        return await AssumeAsync(accountId, roleArn, SessionNames.For(options.Value.SessionNamePrefix, actor), actor, cancellationToken);
    }

    /// <summary>Drops the cached session (e.g. after an AccessDenied that a new session might fix).</summary>
    public void Invalidate(string accountId, string roleName) => _entries.TryRemove((accountId, roleName), out _);

    public void Dispose()
    {
        _sts?.Dispose();
        _clientLock.Dispose();
    }

    private async Task<AwsSession> AssumeAsync(string accountId, string roleArn, string sessionName, AwsActor actor, CancellationToken cancellationToken)
    {
        var region = options.Value.DefaultRegion;
        var sts = await GetStsAsync(region, cancellationToken);
        var issuedAt = timeProvider.GetUtcNow();
        var scope = new AwsCallScope
        {
            AccountId = null,
            Region = region,
            Actor = actor,
            Credentials = managementCredentials.GetAsync,
        };
        var response = await pipeline.InvokeSdkAsync(
            scope,
            AssumeRole,
            token => sts.AssumeRoleAsync(
                new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = sessionName, DurationSeconds = DurationSeconds },
                token),
            audit: null,
            cancellationToken,
            guardedArns: [roleArn]);

        var credentials = response.Credentials
            ?? throw new AwsServiceException("sts", "AssumeRole", "MissingCredentials", "STS returned no credentials.", 0, response.ResponseMetadata?.RequestId, AwsErrorClassification.Transient);

        // The lifetime is measured on our own clock from just before the call: exactly the 900 s we asked for. Using STS's
        // absolute Expiration instead would turn clock skew into sessions that look expired at once (an AssumeRole storm)
        // or outlive their real expiry. A reported expiry far from ours means skew: logged, not trusted.
        var expiration = issuedAt.AddSeconds(DurationSeconds);
        DateTimeOffset? reported = credentials.Expiration is { } value
            ? new DateTimeOffset(DateTime.SpecifyKind(value, value.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : value.Kind).ToUniversalTime())
            : null;
        if (reported is { } r && (r - expiration).Duration() > TimeSpan.FromMinutes(5))
        {
            LogSkew(logger, roleArn, r, expiration);
        }

        LogAssumed(logger, roleArn, sessionName, expiration);
        return new AwsSession(
            accountId,
            roleArn,
            sessionName,
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            issuedAt,
            expiration)
        {
            ReportedExpiration = reported,
        };
    }

    private async ValueTask<AmazonSecurityTokenServiceClient> GetStsAsync(string region, CancellationToken cancellationToken)
    {
        if (_sts is not null)
        {
            return _sts;
        }

        await _clientLock.WaitAsync(cancellationToken);
        try
        {
            if (_sts is null)
            {
                var config = sdkConfig.Apply(new AmazonSecurityTokenServiceConfig(), AwsServices.Sts, region);
                _sts = new AmazonSecurityTokenServiceClient(await managementCredentials.GetAsync(cancellationToken), config);
            }

            return _sts;
        }
        finally
        {
            _clientLock.Release();
        }
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]+(/[\w+=,.@-]+)*$")]
    private static partial Regex RoleNamePattern();

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "STS reported expiry {Reported} for {RoleArn}, ours is {Expiration}: check the clock")]
    private static partial void LogSkew(ILogger logger, string roleArn, DateTimeOffset reported, DateTimeOffset expiration);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Assumed {RoleArn} as {SessionName} for 900 s, expires {Expiration}")]
    private static partial void LogAssumed(ILogger logger, string roleArn, string sessionName, DateTimeOffset expiration);

    private sealed class Entry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public AwsSession? Session { get; set; }
    }
}
