using System.Globalization;
using System.Text.Json.Nodes;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Functions;

namespace OpenKbs.Controllers.Projects.Components.Access;

/// <summary>The access objects as pure functions of the project (docs/access.md, "Environment contract").</summary>
internal static class AccessRendering
{
    /// <summary>The default and the cap of a token's lifetime (15 minutes).</summary>
    public const int MaxTokenLifetimeSeconds = 900;

    public const string SigningKeyVariable = "OPENKBS_SIGNING_KEY";
    public const string LifetimeVariable = "OPENKBS_TOKEN_LIFETIME_SECONDS";

    /// <summary>The Lambda runtime of the access function (ships <c>@aws-sdk/client-kms</c> and <c>@aws-sdk/client-sts</c>).</summary>
    public const string Runtime = LambdaRuntimes.NodeJs24;

    /// <summary>Whether the project has an access function: <c>spec.access.enabled</c>, else exactly when it has API keys.</summary>
    public static bool Enabled(ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Access?.Enabled ?? spec.ApiKeys is { Count: > 0 };
    }

    /// <summary><c>spec.access.tokenLifetimeSeconds</c> clamped to 60..900 (admission already refuses anything else).</summary>
    public static int TokenLifetime(ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Math.Clamp(spec.Access?.TokenLifetimeSeconds ?? MaxTokenLifetimeSeconds, 60, MaxTokenLifetimeSeconds);
    }

    /// <summary>The signing key's policy: only the account administers and uses it (through IAM policies such as the access role's).</summary>
    public static string SigningKeyPolicy(string accountId) => PolicyDocuments.Render(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray { Storage.StorageRendering.AccountAdministersTheKey(accountId) },
    });

    /// <summary>Only Lambda may assume the access role (the same trust as the client functions' role).</summary>
    public static string TrustPolicy() => ExecutionRole.ExecutionRoleRendering.TrustPolicy();

    /// <summary>
    /// The access role: its own log group, <c>kms:Decrypt</c> with the project key only for envelopes of the API-key setting
    /// (encryption-context condition), <c>kms:Sign</c> and <c>kms:GetPublicKey</c> on the signing key. Nothing else: no bucket,
    /// no database secret. The client functions' role never gets <c>kms:Sign</c>, so client code cannot mint tokens.
    /// </summary>
    public static string RolePolicy(ProjectNames names, string accountId, string region, string projectKeyArn, string signingKeyArn)
    {
        ArgumentNullException.ThrowIfNull(names);
        var logGroup = $"arn:aws:logs:{region}:{accountId}:log-group:/aws/lambda/{AccessNames.Function(names)}";
        return PolicyDocuments.Render(new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray
            {
                new JsonObject { ["Sid"] = "CreateOwnLogGroup", ["Effect"] = "Allow", ["Action"] = "logs:CreateLogGroup", ["Resource"] = logGroup },
                new JsonObject
                {
                    ["Sid"] = "WriteOwnLogs",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("logs:CreateLogStream", "logs:PutLogEvents"),
                    ["Resource"] = logGroup + ":*",
                },
                new JsonObject
                {
                    ["Sid"] = "OpenApiKeyHashes",
                    ["Effect"] = "Allow",
                    ["Action"] = "kms:Decrypt",
                    ["Resource"] = projectKeyArn,
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject
                        {
                            ["kms:EncryptionContext:openkbs.com/uid"] = names.Uid,
                            ["kms:EncryptionContext:openkbs.com/purpose"] = ApiKeyStagingStep.Variable,
                        },
                    },
                },
                new JsonObject
                {
                    ["Sid"] = "SignTokens",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("kms:Sign", "kms:GetPublicKey"),
                    ["Resource"] = signingKeyArn,
                },
            },
        });
    }

    /// <summary>
    /// The access function as the functions step converges it (<see cref="FunctionsStep.ConvergeAsync"/>): handler
    /// <c>index.handler</c>, the project identity variables, the sealed API-key hashes (digest), the signing key and the lifetime.
    /// </summary>
    public static FunctionDesired Function(ProjectContext context, string roleArn, string signingKeyArn, ArtifactLocation code, IReadOnlyDictionary<string, string> digests)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = new FunctionSpec
        {
            Name = "access",
            Handler = "index.handler",
            Runtime = Runtime,
            MemoryMb = 256,
            TimeoutSeconds = 10,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [SigningKeyVariable] = signingKeyArn,
                [LifetimeVariable] = TokenLifetime(context.Spec).ToString(CultureInfo.InvariantCulture),
            },
        };
        return FunctionsStep.Render(context, spec, digests, roleArn, code) with { FunctionName = AccessNames.Function(context.Names) };
    }

    /// <summary>Where clients reach the access routes: the project's CDN endpoint (null without one yet).</summary>
    public static string? Url(ProjectContext context, string route)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cdn = context.Spec.Cdn;
        return cdn is { Enabled: true } && context.Status.Cdn?.DomainName is { } domain
            ? $"{Cdn.CdnRendering.Endpoint(cdn, domain)}{route}"
            : null;
    }
}
