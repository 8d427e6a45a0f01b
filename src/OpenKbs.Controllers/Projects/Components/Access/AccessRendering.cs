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
    public const string PreviousSigningKeyVariable = "OPENKBS_PREVIOUS_SIGNING_KEY";
    public const string LifetimeVariable = "OPENKBS_TOKEN_LIFETIME_SECONDS";
    public const string IotEndpointVariable = "OPENKBS_IOT_ENDPOINT";
    public const string IotRoleVariable = "OPENKBS_IOT_ROLE_ARN";
    public const string IotTopicPrefixVariable = "OPENKBS_IOT_TOPIC_PREFIX";
    public const string IotClientIdPrefixVariable = "OPENKBS_IOT_CLIENT_ID_PREFIX";

    /// <summary>The Lambda runtime of the access function (ships <c>@aws-sdk/client-kms</c> and <c>@aws-sdk/client-sts</c>).</summary>
    public const string Runtime = LambdaRuntimes.NodeJs24;

    /// <summary>Whether the project has an access function: <c>spec.access.enabled</c>, else exactly when it has API keys.</summary>
    public static bool Enabled(ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Access?.Enabled ?? spec.ApiKeys is { Count: > 0 };
    }

    /// <summary>Whether the access function offers MQTT (<c>spec.access.mqtt.enabled</c>, only with access itself).</summary>
    public static bool MqttEnabled(ProjectSpec spec) => Enabled(spec) && spec.Access?.Mqtt?.Enabled == true;

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
    /// (encryption-context condition), <c>kms:Sign</c> and <c>kms:GetPublicKey</c> on the signing key, during a rotation
    /// <c>kms:GetPublicKey</c> (only) on the previous key. Nothing else: no bucket, no database secret. The client functions' role
    /// never gets <c>kms:Sign</c>, so client code cannot mint tokens.
    /// </summary>
    public static string RolePolicy(
        ProjectNames names, string accountId, string region, string projectKeyArn, string signingKeyArn, string? previousSigningKeyArn = null, string? iotRoleArn = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var logGroup = $"arn:aws:logs:{region}:{accountId}:log-group:/aws/lambda/{AccessNames.Function(names)}";
        var policy = new JsonObject
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
                            ["kms:EncryptionContext:openkbs.com/purpose"] = ApiKeyPayload.Variable,
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
        };
        if (previousSigningKeyArn is not null)
        {
            policy["Statement"]!.AsArray().Add(new JsonObject
            {
                ["Sid"] = "PublishPreviousKey",
                ["Effect"] = "Allow",
                ["Action"] = "kms:GetPublicKey",
                ["Resource"] = previousSigningKeyArn,
            });
        }

        if (iotRoleArn is not null)
        {
            policy["Statement"]!.AsArray().Add(new JsonObject
            {
                ["Sid"] = "AssumeMqttRole",
                ["Effect"] = "Allow",
                ["Action"] = "sts:AssumeRole",
                ["Resource"] = iotRoleArn,
            });
        }

        return PolicyDocuments.Render(policy);
    }

    /// <summary>Only the access function's role may assume the IoT role (no service, no other principal of the account).</summary>
    public static string IotTrustPolicy(string accessRoleArn) => PolicyDocuments.Render(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray
        {
            new JsonObject
            {
                ["Sid"] = "AccessFunctionOnly",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = accessRoleArn },
                ["Action"] = "sts:AssumeRole",
            },
        },
    });

    /// <summary>
    /// The IoT role: connect with a client id under the project's <see cref="AccessNames.ClientIdPrefix"/>, publish and receive on topics under
    /// <see cref="AccessNames.TopicPrefix"/>, subscribe to topic filters under it. Nothing else: no retained messages outside
    /// the prefix, no shadows, no other IoT action.
    /// </summary>
    public static string IotRolePolicy(ProjectNames names, string accountId, string region)
    {
        ArgumentNullException.ThrowIfNull(names);
        var iot = $"arn:aws:iot:{region}:{accountId}";
        var prefix = AccessNames.TopicPrefix(names);
        return PolicyDocuments.Render(new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray
            {
                new JsonObject { ["Sid"] = "Connect", ["Effect"] = "Allow", ["Action"] = "iot:Connect", ["Resource"] = $"{iot}:client/{AccessNames.ClientIdPrefix(names)}*" },
                new JsonObject
                {
                    ["Sid"] = "ProjectTopics",
                    ["Effect"] = "Allow",
                    ["Action"] = new JsonArray("iot:Publish", "iot:Receive"),
                    ["Resource"] = $"{iot}:topic/{prefix}*",
                },
                new JsonObject { ["Sid"] = "ProjectTopicFilters", ["Effect"] = "Allow", ["Action"] = "iot:Subscribe", ["Resource"] = $"{iot}:topicfilter/{prefix}*" },
            },
        });
    }

    /// <summary>
    /// The access function as the functions component converges it (<see cref="FunctionConvergence"/>): handler
    /// <c>index.handler</c>, the project identity variables, the sealed API-key hashes (digest), the signing key (and during a
    /// rotation the previous one, published in the JWKS) and the lifetime; with MQTT the IoT data endpoint, the IoT role and the
    /// topic prefix.
    /// </summary>
    public static FunctionDesired Function(
        ProjectContext context, string roleArn, SigningTarget signing, ArtifactLocation code, IReadOnlyDictionary<string, string> digests, MqttTarget? mqtt = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signing);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SigningKeyVariable] = signing.KeyArn,
            [LifetimeVariable] = TokenLifetime(context.Spec).ToString(CultureInfo.InvariantCulture),
        };
        if (signing.PreviousKeyArn is not null)
        {
            environment[PreviousSigningKeyVariable] = signing.PreviousKeyArn;
        }

        if (mqtt is not null)
        {
            environment[IotEndpointVariable] = mqtt.Endpoint;
            environment[IotRoleVariable] = mqtt.RoleArn;
            environment[IotTopicPrefixVariable] = AccessNames.TopicPrefix(context.Names);
            environment[IotClientIdPrefixVariable] = AccessNames.ClientIdPrefix(context.Names);
        }

        var spec = new FunctionSpec
        {
            Name = "access",
            Handler = "index.handler",
            Runtime = Runtime,
            MemoryMb = 256,
            TimeoutSeconds = 10,
            Environment = environment,
        };
        return FunctionRendering.Render(context, spec, digests, roleArn, code) with { FunctionName = AccessNames.Function(context.Names) };
    }

    /// <summary>The AuthType of the access function's URL: reachable only signed, i.e. through the CDN's origin access control.</summary>
    public const string UrlAuthType = "AWS_IAM";

    /// <summary>The statement id of the CloudFront permission in the access function's resource policy.</summary>
    public const string CloudFrontStatement = "openkbs-cloudfront";

    /// <summary>
    /// What the access function's surroundings must be (<see cref="AccessDelta.Between"/> compares them with the observation): the
    /// zip content-addressed in <paramref name="bucket"/>, the owner tags and the key policy of the signing key, a Function URL with IAM auth, with a
    /// <paramref name="distributionId"/> the permission for exactly that distribution, and the layer version of the current helper.
    /// </summary>
    public static AccessDesired Desired(ProjectContext context, string bucket, string? distributionId, AccessBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(bundle);
        return new AccessDesired(
            AccessNames.Function(context.Names),
            bucket,
            AccessNames.CodeKey(bundle.FunctionSha256),
            context.Tags,
            UrlAuthType,
            distributionId is null ? null : CloudFrontPermission(context.AccountId, distributionId),
            AccessNames.Layer(context.Names),
            LayerDescription(bundle.LayerSha256),
            SigningKeyPolicy(context.AccountId));
    }

    /// <summary>
    /// The function's resource policy lets exactly the project's distribution call the URL (<c>lambda:InvokeFunctionUrl</c>,
    /// principal cloudfront.amazonaws.com, SourceArn the distribution): what origin access control of type lambda needs.
    /// </summary>
    public static FunctionPermission CloudFrontPermission(string accountId, string distributionId) => new(
        CloudFrontStatement,
        "lambda:InvokeFunctionUrl",
        "cloudfront.amazonaws.com",
        $"arn:aws:cloudfront::{accountId}:distribution/{distributionId}",
        UrlAuthType);

    /// <summary>The description of the layer version holding the helper with content SHA-256 <paramref name="sha256"/> (unchanged content is not republished).</summary>
    public static string LayerDescription(string sha256) => $"@openkbs/auth sha256 {sha256}";

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

/// <summary>The key the access function signs with and the previous one it still publishes in its JWKS (during a rotation).</summary>
internal sealed record SigningTarget(string KeyArn, string? PreviousKeyArn);

/// <summary>What the access function needs for <c>POST /auth/mqtt</c>: the account's IoT data endpoint (host) and the IoT role.</summary>
internal sealed record MqttTarget(string Endpoint, string RoleArn);
