using System.Collections.Immutable;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Selectors;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>List with selectors, limit/continue and resourceVersion semantics.</summary>
internal sealed partial class ApiEngine
{
    private const string InconsistentContinue = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    /// <summary>Parses and checks a field selector against the kind's selectable fields (mapped to the storage version).</summary>
    public static FieldSelector ParseFieldSelector(ResourceType type, string? text)
    {
        FieldSelector selector;
        try
        {
            selector = FieldSelector.Parse(text);
        }
        catch (FormatException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }

        if (selector.IsEmpty)
        {
            return selector;
        }

        var mapped = new List<string>();
        foreach (var r in selector.Requirements)
        {
            var label = type.Converter?.FieldLabelToStorage(r.Field) ?? r.Field;
            var known = label == "metadata.name" || (label == "metadata.namespace" && type.Namespaced) || type.Strategy.FieldLabels.Contains(label);
            if (!known)
            {
                throw ApiException.BadRequest(type.Strategy.UnknownFieldLabel(r.Field));
            }

            mapped.Add($"{Escape(label)}{(r.NotEqual ? "!=" : "=")}{Escape(r.Value)}");
        }

        return FieldSelector.Parse(string.Join(",", mapped));
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);

    public static LabelSelector ParseLabelSelector(string? text)
    {
        try
        {
            return LabelSelector.Parse(text);
        }
        catch (FormatException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
    }

    public async Task<ListResult> ListAsync(ResourceType type, ListRequest request, CancellationToken cancellationToken)
    {
        var store = type.Store;
        ImmutableSortedSet<StoredObject> items;
        long listRv;
        string? startKey = null;
        if (!string.IsNullOrEmpty(request.Continue))
        {
            if (!string.IsNullOrEmpty(request.ResourceVersion) && request.ResourceVersion != "0")
            {
                throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            var (rv, start) = ContinueToken.Decode(request.Continue);
            startKey = start;
            if (rv == -1)
            {
                (items, listRv) = store.Current();
            }
            else
            {
                items = store.At(rv) ?? throw new ApiException(410, "Expired", InconsistentContinue) { Continue = ContinueToken.Encode(-1, start) };
                listRv = rv;
            }
        }
        else if (request.ResourceVersionMatch == "Exact")
        {
            if (string.IsNullOrEmpty(request.ResourceVersion) || request.ResourceVersion == "0")
            {
                throw ApiException.BadRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\" or unset");
            }

            var rv = ParseResourceVersion(request.ResourceVersion, "resourceVersion");
            if (rv > Clock.Current)
            {
                throw TooLarge(rv);
            }

            items = store.At(rv) ?? throw ApiException.Expired("The resourceVersion for the provided list is too old.");
            listRv = rv;
        }
        else if (!string.IsNullOrEmpty(request.ResourceVersion) && request.ResourceVersion != "0")
        {
            var rv = ParseResourceVersion(request.ResourceVersion, "resourceVersion");
            var deadline = Time.GetUtcNow().AddSeconds(3);
            while (Clock.Current < rv)
            {
                if (Time.GetUtcNow() > deadline)
                {
                    throw TooLarge(rv);
                }

                await Task.Delay(50, cancellationToken);
            }

            (items, listRv) = store.Current();
        }
        else
        {
            (items, listRv) = store.Current();
        }

        var filter = request.Filter;
        var prefix = filter.Namespace is null ? string.Empty : filter.Namespace + "/";
        var nameOnly = filter.Fields.ExactValue("metadata.name");
        var startIndex = StartIndex(items, startKey ?? prefix);
        var endIndex = prefix.Length == 0 ? items.Count : StartIndex(items, filter.Namespace + "0");
        var limit = request.Limit > 0 ? request.Limit : long.MaxValue;
        var page = new List<StoredObject>();
        var index = startIndex;
        for (; index < endIndex && page.Count < limit; index++)
        {
            var item = items[index];
            if (nameOnly is not null && item.Name != nameOnly)
            {
                continue;
            }

            if (filter.Matches(item))
            {
                page.Add(item);
            }
        }

        string? token = null;
        long? remaining = null;
        if (page.Count >= limit && index < endIndex)
        {
            token = ContinueToken.Encode(listRv, page[^1].Key + "\u0000");
            if (filter.Labels.IsEmpty && filter.Fields.IsEmpty)
            {
                remaining = endIndex - index;
            }
        }

        return new ListResult(page, listRv, token, remaining);
    }

    private ApiException TooLarge(long rv) =>
        new(504, "Timeout", $"Too large resource version: {rv}, current: {Clock.Current}", new System.Text.Json.Nodes.JsonObject
        {
            ["causes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
            ["retryAfterSeconds"] = 1,
        })
        { RetryAfterSeconds = 1 };

    /// <summary>Index of the first item whose key is &gt;= <paramref name="key"/>.</summary>
    public static int StartIndex(ImmutableSortedSet<StoredObject> items, string key)
    {
        if (key.Length == 0)
        {
            return 0;
        }

        var i = items.IndexOf(ObjectStore.Probe(key));
        return i >= 0 ? i : ~i;
    }

    /// <summary>Items of a snapshot matching a filter (namespace range scan, then selectors).</summary>
    public static IEnumerable<StoredObject> Select(ImmutableSortedSet<StoredObject> items, WatchFilter filter)
    {
        if (filter.Namespace is null)
        {
            foreach (var item in items)
            {
                if (filter.Matches(item))
                {
                    yield return item;
                }
            }

            yield break;
        }

        var start = StartIndex(items, filter.Namespace + "/");
        var end = StartIndex(items, filter.Namespace + "0");
        for (var i = start; i < end; i++)
        {
            var item = items[i];
            if (filter.Matches(item))
            {
                yield return item;
            }
        }
    }
}
