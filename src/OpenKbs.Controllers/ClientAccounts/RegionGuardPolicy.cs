using System.Text.Json.Nodes;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The guardrail service control policy of one set of allowed regions: deny every action whose
/// <c>aws:RequestedRegion</c> is outside the set, except the global services, whose single endpoint lives in us-east-1.
/// The exception list is AWS's own example "Deny access to AWS based on the requested AWS Region" (Organizations user
/// guide, general SCP examples) plus <c>account:*</c> (the global Account Management API). One policy per distinct
/// region set, named deterministically so every ClientAccount with the same set shares it and a restart finds it.
/// </summary>
internal sealed record RegionGuardPolicy
{
    /// <summary>Every guard policy's name starts with this; anything else attached to an account is never touched.</summary>
    public const string NamePrefix = "openkbs-region-guard-";

    /// <summary>The SCP type name.</summary>
    public const string PolicyType = "SERVICE_CONTROL_POLICY";

    /// <summary>Global services and operations exempt from the region condition (AWS's example list, plus account:*).</summary>
    public static readonly IReadOnlyList<string> GlobalActions =
    [
        "a4b:*",
        "account:*",
        "acm:*",
        "aws-marketplace-management:*",
        "aws-marketplace:*",
        "aws-portal:*",
        "budgets:*",
        "ce:*",
        "chime:*",
        "cloudfront:*",
        "config:*",
        "cur:*",
        "directconnect:*",
        "ec2:DescribeRegions",
        "ec2:DescribeTransitGateways",
        "ec2:DescribeVpnGateways",
        "fms:*",
        "globalaccelerator:*",
        "health:*",
        "iam:*",
        "importexport:*",
        "kms:*",
        "mobileanalytics:*",
        "networkmanager:*",
        "organizations:*",
        "pricing:*",
        "route53-recovery-cluster:*",
        "route53-recovery-control-config:*",
        "route53-recovery-readiness:*",
        "route53:*",
        "route53domains:*",
        "s3:GetAccountPublic*",
        "s3:ListAllMyBuckets",
        "s3:ListMultiRegionAccessPoints",
        "s3:PutAccountPublic*",
        "shield:*",
        "sts:*",
        "support:*",
        "trustedadvisor:*",
        "waf-regional:*",
        "waf:*",
        "wafv2:*",
        "wellarchitected:*",
    ];

    private RegionGuardPolicy(IReadOnlyList<string> regions)
    {
        Regions = regions;
        Name = NamePrefix + string.Join('_', regions);
        Content = Render(regions);
        Description = $"OpenKBS region guard: denies every action outside {string.Join(", ", regions)} (global services excepted). Managed by openkbs-operator; edits are reverted.";
    }

    /// <summary>The allowed regions, distinct and sorted.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>e.g. <c>openkbs-region-guard-eu-central-1_eu-west-1</c> (at most 6 EU regions: well under AWS's 128 characters).</summary>
    public string Name { get; }

    /// <summary>The policy document, compact JSON (AWS counts every character against the 5,120 limit).</summary>
    public string Content { get; }

    public string Description { get; }

    /// <summary>The policy for <paramref name="allowedRegions"/> (order and duplicates do not matter).</summary>
    public static RegionGuardPolicy For(IEnumerable<string> allowedRegions)
    {
        ArgumentNullException.ThrowIfNull(allowedRegions);
        var regions = allowedRegions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (regions.Count == 0)
        {
            throw new ArgumentException("at least one region is needed", nameof(allowedRegions));
        }

        return new RegionGuardPolicy(regions);
    }

    /// <summary>True when <paramref name="name"/> is one of ours.</summary>
    public static bool IsGuardName(string? name) => name is not null && name.StartsWith(NamePrefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="document"/> means the same as <see cref="Content"/> (whitespace and formatting aside).</summary>
    public bool SameContent(string? document)
    {
        if (string.IsNullOrWhiteSpace(document))
        {
            return false;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(document), JsonNode.Parse(Content));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Render(IReadOnlyList<string> regions)
    {
        var document = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Sid"] = "OpenKbsDenyOutsideAllowedRegions",
                ["Effect"] = "Deny",
                ["NotAction"] = new JsonArray(GlobalActions.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
                ["Resource"] = "*",
                ["Condition"] = new JsonObject
                {
                    ["StringNotEquals"] = new JsonObject
                    {
                        ["aws:RequestedRegion"] = new JsonArray(regions.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
                    },
                },
            }),
        };
        return document.ToJsonString();
    }
}
