using System.Security.Cryptography;
using System.Xml.Linq;

namespace OpenKbs.Sandbox.Aws.Chaos.Realism;

/// <summary>
/// CloudFront as AWS behaves and moto does not: a created or updated distribution is
/// <c>InProgress</c> for a while before <c>Deployed</c>, every change gets a new ETag, and
/// Update/Delete need <c>If-Match</c> with the current one (400 InvalidIfMatchVersion when missing,
/// 412 PreconditionFailed when stale); Delete needs a disabled, deployed distribution (409 DistributionNotDisabled).
/// </summary>
internal sealed class CloudFrontRealism(AwsRealismOptions options) : IRealismModule
{
    private const string ETag = "ETag";
    private const string MissingIfMatch = "The If-Match version is missing or not valid for the resource.";
    private const string StaleIfMatch = "The precondition given in one or more of the request-header fields evaluated to false.";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DistributionState> _distributions = new(StringComparer.Ordinal);

    public bool Handles(AwsRequestInfo request) =>
        request.Service == "cloudfront" && request.Operation is "CreateDistribution" or "CreateDistributionWithTags" or "GetDistribution"
            or "GetDistributionConfig" or "ListDistributions" or "UpdateDistribution" or "DeleteDistribution";

    public void Reset()
    {
        lock (_gate)
        {
            _distributions.Clear();
        }
    }

    public async Task<HttpResponseMessage> HandleAsync(RealismContext context, CancellationToken cancellationToken)
    {
        switch (context.Info.Operation)
        {
            case "UpdateDistribution" or "DeleteDistribution":
                if (Precondition(context) is { } refused)
                {
                    return refused;
                }

                break;
        }

        var response = await context.ForwardAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var operation = context.Info.Operation;
        var id = RestOperations.CloudFrontDistributionId(context.Path);
        if (operation == "DeleteDistribution")
        {
            lock (_gate)
            {
                _distributions.Remove(id ?? string.Empty);
            }

            return response;
        }

        var document = await ResponseBodies.ReadXmlAsync(response, cancellationToken);
        if (document?.Root is not { } root)
        {
            return response;
        }

        lock (_gate)
        {
            var now = context.Now;
            switch (operation)
            {
                case "CreateDistribution" or "CreateDistributionWithTags" or "UpdateDistribution":
                {
                    var distributionId = Text(root, "Id") ?? id ?? string.Empty;
                    var state = Adopt(distributionId, ResponseBodies.Header(response, ETag));
                    if (operation == "UpdateDistribution" || state.ETag is null)
                    {
                        state.ETag = NewETag();
                    }

                    state.Enabled = Enabled(root);
                    state.Deploying = PendingTransition.Start(options.CloudFrontPolls, options.CloudFrontDelay, now);
                    SetStatus(root, state.Deploying.IsPending(now));
                    ResponseBodies.SetHeader(response, ETag, state.ETag);
                    break;
                }

                case "GetDistribution":
                {
                    var state = Adopt(id ?? string.Empty, ResponseBodies.Header(response, ETag));
                    state.Enabled = Enabled(root);
                    SetStatus(root, state.Deploying?.Observe(now) ?? false);
                    ResponseBodies.SetHeader(response, ETag, state.ETag!);
                    break;
                }

                case "GetDistributionConfig":
                {
                    var state = Adopt(id ?? string.Empty, ResponseBodies.Header(response, ETag));
                    state.Enabled = Enabled(root);
                    ResponseBodies.SetHeader(response, ETag, state.ETag!);
                    break;
                }

                case "ListDistributions":
                    foreach (var summary in ResponseBodies.All(root, "DistributionSummary"))
                    {
                        if (Text(summary, "Id") is { } summaryId && _distributions.TryGetValue(summaryId, out var state))
                        {
                            var status = ResponseBodies.Child(summary, "Status");
                            if (status is not null)
                            {
                                status.Value = state.Deploying?.Observe(now) == true ? "InProgress" : "Deployed";
                            }
                        }
                    }

                    break;
            }
        }

        ResponseBodies.SetXml(response, document);
        return response;
    }

    private HttpResponseMessage? Precondition(RealismContext context)
    {
        var ifMatch = AwsRequestClassifier.Header(context.Request, "If-Match")?.Trim();
        if (string.IsNullOrEmpty(ifMatch))
        {
            context.Count("InvalidIfMatchVersion");
            return context.Error(400, "InvalidIfMatchVersion", MissingIfMatch);
        }

        var id = RestOperations.CloudFrontDistributionId(context.Path) ?? string.Empty;
        lock (_gate)
        {
            if (!_distributions.TryGetValue(id, out var state) || state.ETag is null)
            {
                // Never seen: moto answers (NoSuchDistribution when it does not exist).
                return null;
            }

            if (!string.Equals(ifMatch.Trim('"'), state.ETag, StringComparison.Ordinal))
            {
                context.Count("PreconditionFailed");
                return context.Error(412, "PreconditionFailed", StaleIfMatch);
            }

            if (context.Info.Operation == "DeleteDistribution" && (state.Enabled || state.Deploying?.IsPending(context.Now) == true))
            {
                context.Count("DistributionNotDisabled");
                return context.Error(409, "DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.");
            }
        }

        return null;
    }

    private DistributionState Adopt(string id, string? motoETag)
    {
        if (!_distributions.TryGetValue(id, out var state))
        {
            state = new DistributionState { ETag = motoETag };
            _distributions[id] = state;
        }

        state.ETag ??= motoETag ?? NewETag();
        return state;
    }

    private static void SetStatus(XElement root, bool inProgress)
    {
        var distribution = root.Name.LocalName == "Distribution" ? root : ResponseBodies.All(root, "Distribution").FirstOrDefault();
        if (distribution is not null)
        {
            ResponseBodies.SetChild(distribution, "Status", inProgress ? "InProgress" : "Deployed");
        }
    }

    private static bool Enabled(XElement root)
    {
        var config = root.Name.LocalName == "DistributionConfig" ? root : ResponseBodies.All(root, "DistributionConfig").FirstOrDefault();
        var enabled = config is null ? null : ResponseBodies.Child(config, "Enabled");
        return enabled is null || !string.Equals(enabled.Value.Trim(), "false", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Text(XElement parent, string localName) => ResponseBodies.Child(parent, localName)?.Value;

    private static string NewETag() => "E" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13);

    private sealed class DistributionState
    {
        public string? ETag { get; set; }

        public bool Enabled { get; set; } = true;

        public PendingTransition? Deploying { get; set; }
    }
}
