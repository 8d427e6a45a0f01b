using System.Globalization;
using System.Text.Json.Nodes;
using OpenKbs.Sandbox.Kube.Errors;
using OpenKbs.Sandbox.Kube.Json;
using OpenKbs.Sandbox.Kube.Resources;
using OpenKbs.Sandbox.Kube.Storage;

namespace OpenKbs.Sandbox.Kube.Engine;

/// <summary>Delete and deletecollection: finalizers, deletionTimestamp, namespace and CRD termination, orphaning.</summary>
internal sealed partial class ApiEngine
{
    /// <summary>Owner UIDs whose dependents must be orphaned (propagationPolicy=Orphan) rather than deleted.</summary>
    public HashSet<string> OrphanRequests { get; } = [];

    public WriteResult Delete(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        var key = type.StorageKey(ns, name);
        var isNamespace = type.Group.Length == 0 && type.Plural == "namespaces";
        var isCrd = type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions";
        Func<StoredObject?, Mutation> decide = current =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(type.Group, type.Plural, name);
            }

            if (options.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            {
                throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            var currentRv = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != currentRv)
            {
                throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {currentRv}");
            }

            var obj = Parse(current);
            var meta = KubeJson.Metadata(obj);
            if (isNamespace)
            {
                if (current.Deleting)
                {
                    return Mutation.None;
                }

                meta["deletionTimestamp"] = Now();
                meta["deletionGracePeriodSeconds"] = 0;
                var status = obj["status"] as JsonObject ?? new JsonObject();
                obj["status"] = status;
                status["phase"] = "Terminating";
                return Mutation.Put(obj);
            }

            if (isCrd && !current.Deleting)
            {
                var finalizers = meta["finalizers"] as JsonArray ?? new JsonArray();
                meta["finalizers"] = finalizers;
                if (!finalizers.Any(f => f?.GetValue<string>() == CrdStrategy.CleanupFinalizer))
                {
                    finalizers.Add(CrdStrategy.CleanupFinalizer);
                }

                MarkDeleting(meta);
                var status = obj["status"] as JsonObject ?? new JsonObject();
                obj["status"] = status;
                var conditions = status["conditions"] as JsonArray ?? new JsonArray();
                status["conditions"] = conditions;
                conditions.Add(CrdStrategy.Condition("Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress", Now()));
                return Mutation.Put(obj);
            }

            if (current.HasFinalizers)
            {
                if (current.Deleting)
                {
                    return Mutation.None;
                }

                MarkDeleting(meta);
                return Mutation.Put(obj);
            }

            return Mutation.Delete();
        };

        if (options.DryRun)
        {
            var current = type.Store.Get(key);
            var m = decide(current);
            return m.Kind == MutationKind.Put ? new WriteResult(null, ToServed(type, m.Object!), false, false) : new WriteResult(current, null, false, m.Kind == MutationKind.Delete);
        }

        if (options.PropagationPolicy == "Orphan" && type.Store.Get(key) is { } target)
        {
            lock (OrphanRequests)
            {
                OrphanRequests.Add(target.Uid);
            }
        }

        var result = type.Store.Commit(key, decide);
        Signal();
        return new WriteResult(result.Object, null, false, result.Kind == MutationKind.Delete);
    }

    private void MarkDeleting(JsonObject meta)
    {
        if (meta["generation"] is not null)
        {
            meta["generation"] = (KubeJson.GetLong(meta, "generation") ?? 0) + 1;
        }

        meta["deletionTimestamp"] = Now();
        meta["deletionGracePeriodSeconds"] = 0;
    }

    public IReadOnlyList<WriteResult> DeleteCollection(ResourceType type, WatchFilter filter, DeleteOptions options)
    {
        var results = new List<WriteResult>();
        foreach (var item in Select(type.Store.Items, filter).ToList())
        {
            try
            {
                results.Add(Delete(type, item.Namespace.Length == 0 ? null : item.Namespace, item.Name, options));
            }
            catch (ApiException ex) when (ex.Code == 404)
            {
                // Deleted concurrently.
            }
        }

        return results;
    }
}
