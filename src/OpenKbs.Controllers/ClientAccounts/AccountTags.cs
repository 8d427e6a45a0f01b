using OpenKbs.Api;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.ClientAccounts;

/// <summary>
/// The account's tags: the ownership tags (managed-by, owner, uid, namespace) plus spec.tags. Keys the operator set
/// from spec.tags before and that left the spec are removed; <c>openkbs.com/released</c> is cleared (an account managed
/// again is no longer released); tags other tools set stay.
/// </summary>
internal static class AccountTags
{
    /// <summary>The tags the account should carry.</summary>
    public static IReadOnlyDictionary<string, string> Desired(AccountPass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var desired = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pass.Spec.Tags ?? new Dictionary<string, string>())
        {
            if (!OwnershipTags.IsReserved(key))
            {
                desired[key] = value;
            }
        }

        foreach (var (key, value) in OwnershipTags.For(pass.Resource))
        {
            desired[key] = value;
        }

        return desired;
    }

    /// <summary>Puts the tags right; returns true when anything changed.</summary>
    public static async Task<bool> ApplyAsync(AccountPass pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var accountId = pass.Status.AccountId!;
        var current = (await pass.Organizations.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceId = accountId }, cancellationToken)).Tags
            .GroupBy(t => t.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var specKeys = (pass.Spec.Tags?.Keys ?? []).Where(k => !OwnershipTags.IsReserved(k)).Order(StringComparer.Ordinal).ToList();
        var plan = TagPlan.Compute(current, Desired(pass), pass.Status.ManagedTagKeys, [Labels.Released]);
        if (plan.ToSet.Count > 0)
        {
            await pass.Organizations.TagResourceAsync(
                new TagResourceRequest { ResourceId = accountId, Tags = [.. plan.ToSet.Select(t => new Tag { Key = t.Key, Value = t.Value })] },
                cancellationToken);
        }

        if (plan.ToRemove.Count > 0)
        {
            await pass.Organizations.UntagResourceAsync(new UntagResourceRequest { ResourceId = accountId, TagKeys = plan.ToRemove }, cancellationToken);
        }

        pass.Status.ManagedTagKeys = specKeys.Count == 0 ? null : specKeys;
        if (!plan.IsEmpty)
        {
            var set = plan.ToSet.Count == 0 ? string.Empty : $"set {string.Join(", ", plan.ToSet.Keys)}";
            var removed = plan.ToRemove.Count == 0 ? string.Empty : $"{(set.Length > 0 ? "; " : string.Empty)}removed {string.Join(", ", plan.ToRemove)}";
            pass.Event(EventType.Normal, "AccountTagged", $"account {accountId} tags: {set}{removed}");
        }

        return !plan.IsEmpty;
    }
}
