using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenKbs.Sandbox.Tests.Contract;

/// <summary>
/// API semantics the operator and kubectl rely on, written once and run against every target (the sandbox always,
/// k3s where Docker runs). Where the two disagree, k3s is right.
/// </summary>
public abstract class ApiContractTests
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);

    protected abstract IApiTarget Target { get; }

    protected virtual string? SkipReason => null;

    private RawApi Raw => Target.Raw;

    private async Task<string> SetUpAsync()
    {
        Skip.If(SkipReason is not null, SkipReason);
        await Target.InstallWidgetCrdAsync();
        return await Target.CreateNamespaceAsync();
    }

    private static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static long Generation(JsonObject obj) => obj["metadata"]!["generation"]!.GetValue<long>();

    private static string Message(JsonNode? status) => status?["message"]?.GetValue<string>() ?? string.Empty;

    private static string Reason(JsonNode? status) => status?["reason"]?.GetValue<string>() ?? string.Empty;

    [SkippableFact]
    public async Task Create_sets_server_fields_and_drops_status_when_the_status_subresource_exists()
    {
        var ns = await SetUpAsync();
        var widget = WidgetCrd.New("alpha");
        widget["status"] = new JsonObject { ["observedGeneration"] = 7 };

        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), widget);

        var meta = created["metadata"]!.AsObject();
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", meta["uid"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(created), CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1, Generation(created));
        Assert.True(DateTimeOffset.TryParse(meta["creationTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Equal(ns, meta["namespace"]!.GetValue<string>());
        Assert.Null(created["status"]);
    }

    [SkippableFact]
    public async Task GenerateName_appends_five_random_characters()
    {
        var ns = await SetUpAsync();
        var widget = WidgetCrd.New(string.Empty);
        widget["metadata"]!.AsObject().Remove("name");
        widget["metadata"]!["generateName"] = "gen-";

        var first = await Raw.CreateAsync(WidgetCrd.Collection(ns), widget);
        var second = await Raw.CreateAsync(WidgetCrd.Collection(ns), (JsonObject)widget.DeepClone());

        var a = first["metadata"]!["name"]!.GetValue<string>();
        var b = second["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^gen-[a-z0-9]{5}$", a);
        Assert.NotEqual(a, b);
        Assert.Equal("gen-", first["metadata"]!["generateName"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("dup"));

        var (status, body) = await Raw.SendAsync(HttpMethod.Post, WidgetCrd.Collection(ns), WidgetCrd.New("dup"));

        Assert.Equal(409, status);
        Assert.Equal("AlreadyExists", Reason(body));
        Assert.Equal("widgets.test.openkbs.com \"dup\" already exists", Message(body));
    }

    [SkippableFact]
    public async Task Get_of_a_missing_object_is_404_NotFound_with_details()
    {
        var ns = await SetUpAsync();

        var (status, body) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "missing"));

        Assert.Equal(404, status);
        Assert.Equal("Status", body!["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", Reason(body));
        Assert.Equal("widgets.test.openkbs.com \"missing\" not found", Message(body));
        Assert.Equal("widgets", body["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("test.openkbs.com", body["details"]!["group"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict_with_the_exact_message()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("conflict"));
        var first = (JsonObject)created.DeepClone();
        first["spec"]!["replicas"] = 2;
        var (ok, _) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "conflict"), first);
        Assert.Equal(200, ok);

        var stale = (JsonObject)created.DeepClone();
        stale["spec"]!["replicas"] = 3;
        var (status, body) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "conflict"), stale);

        Assert.Equal(409, status);
        Assert.Equal("Conflict", Reason(body));
        Assert.Equal("Operation cannot be fulfilled on widgets.test.openkbs.com \"conflict\": the object has been modified; please apply your changes to the latest version and try again", Message(body));
    }

    [SkippableFact]
    public async Task Update_of_a_custom_resource_without_resourceVersion_is_422()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("norv"));
        created["metadata"]!.AsObject().Remove("resourceVersion");

        var (status, body) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "norv"), created);

        Assert.Equal(422, status);
        Assert.Equal("Invalid", Reason(body));
        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", Message(body), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Status_subresource_separates_spec_and_status_and_generation_tracks_spec_only()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("status"));

        // Main resource: a status change is ignored, a label change does not bump generation.
        var labelled = (JsonObject)created.DeepClone();
        labelled["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        labelled["status"] = new JsonObject { ["observedGeneration"] = 5 };
        var (s1, afterLabel) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "status"), labelled);
        Assert.Equal(200, s1);
        Assert.Equal(1, Generation(afterLabel!.AsObject()));
        Assert.Null(afterLabel["status"]);

        // Status endpoint: a spec change is ignored, the status is written, generation unchanged.
        var statusWrite = (JsonObject)afterLabel.DeepClone();
        statusWrite["spec"]!["replicas"] = 9;
        statusWrite["status"] = new JsonObject { ["observedGeneration"] = 1 };
        var (s2, afterStatus) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "status") + "/status", statusWrite);
        Assert.Equal(200, s2);
        Assert.Equal(1, afterStatus!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus["status"]!["observedGeneration"]!.GetValue<int>());
        Assert.Equal(1, Generation(afterStatus.AsObject()));

        // A spec change bumps generation and keeps the status.
        var specWrite = (JsonObject)afterStatus.DeepClone();
        specWrite["spec"]!["replicas"] = 4;
        var (s3, afterSpec) = await Raw.SendAsync(HttpMethod.Put, WidgetCrd.Item(ns, "status"), specWrite);
        Assert.Equal(200, s3);
        Assert.Equal(2, Generation(afterSpec!.AsObject()));
        Assert.Equal(1, afterSpec["status"]!["observedGeneration"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_write_that_changes_nothing_keeps_the_resourceVersion()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("noop"));

        var (status, body) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "noop"), new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 1 } }, "application/merge-patch+json");

        Assert.Equal(200, status);
        Assert.Equal(Rv(created), Rv(body!.AsObject()));
    }

    [SkippableFact]
    public async Task Delete_with_a_finalizer_marks_the_object_and_removing_the_finalizer_deletes_it()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("fin", finalizers: "test.openkbs.com/hold"));
        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + "?watch=true&fieldSelector=metadata.name%3Dfin");
        await watch.WaitForAsync((t, _) => t == "ADDED", EventWait, "initial ADDED");

        var (status, deleting) = await Raw.SendAsync(HttpMethod.Delete, WidgetCrd.Item(ns, "fin"));

        Assert.Equal(200, status);
        Assert.Equal("Widget", deleting!["kind"]!.GetValue<string>());
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, deleting["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(2, Generation(deleting.AsObject()));
        var modified = await watch.WaitForAsync((t, _) => t == "MODIFIED", EventWait, "MODIFIED with deletionTimestamp");
        Assert.NotNull(modified.Object["metadata"]!["deletionTimestamp"]);
        var (stillThere, _) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "fin"));
        Assert.Equal(200, stillThere);

        var (patched, _) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "fin"), new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }, "application/merge-patch+json");
        Assert.Equal(200, patched);

        await watch.WaitForAsync((t, _) => t == "DELETED", EventWait, "DELETED after the finalizer is removed");
        var (gone, _) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "fin"));
        Assert.Equal(404, gone);
    }

    [SkippableFact]
    public async Task Delete_without_finalizers_answers_a_Success_status()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("plain"));

        var (status, body) = await Raw.SendAsync(HttpMethod.Delete, WidgetCrd.Item(ns, "plain"));

        Assert.Equal(200, status);
        Assert.Equal("Status", body!["kind"]!.GetValue<string>());
        Assert.Equal("Success", body["status"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), body["details"]!["uid"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task Delete_with_a_wrong_uid_precondition_is_409()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("precond"));
        var uid = created["metadata"]!["uid"]!.GetValue<string>();

        var (status, body) = await Raw.SendAsync(HttpMethod.Delete, WidgetCrd.Item(ns, "precond"), new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = "00000000-0000-0000-0000-000000000000" } });

        Assert.Equal(409, status);
        Assert.Equal($"Operation cannot be fulfilled on widgets.test.openkbs.com \"precond\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: {uid}", Message(body));
    }

    [SkippableFact]
    public async Task Watch_resumes_after_a_resourceVersion_with_only_later_events_in_order()
    {
        var ns = await SetUpAsync();
        var a = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("a"));
        var (_, updated) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "a"), new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 2 } }, "application/merge-patch+json");
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("b"));

        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + $"?watch=true&resourceVersion={Rv(a)}");

        var first = await watch.WaitForAsync((_, _) => true, EventWait, "first event");
        var second = await watch.WaitForAsync((_, _) => true, EventWait, "second event");
        Assert.Equal(("MODIFIED", "a", Rv(updated!.AsObject())), (first.Type, first.Object["metadata"]!["name"]!.GetValue<string>(), Rv(first.Object)));
        Assert.Equal(("ADDED", "b"), (second.Type, second.Object["metadata"]!["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Watch_without_resourceVersion_starts_with_synthetic_ADDED_events()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("one"));
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("two"));

        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + "?watch=true");

        var names = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var ev = await watch.WaitForAsync((t, _) => t == "ADDED", EventWait, "initial ADDED");
            names.Add(ev.Object["metadata"]!["name"]!.GetValue<string>());
        }

        Assert.Equal(["one", "two"], names.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Watch_from_a_compacted_resourceVersion_gets_an_ERROR_event_with_410_Expired()
    {
        var ns = await SetUpAsync();
        Skip.IfNot(Target.CanExpireHistory, $"{Target.Name} compacts its history on its own schedule");
        var old = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("old"));
        await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "old"), new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 2 } }, "application/merge-patch+json");
        Target.ExpireHistory();

        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + $"?watch=true&resourceVersion={Rv(old)}");

        var ev = await watch.WaitForAsync((_, _) => true, EventWait, "ERROR event");
        Assert.Equal("ERROR", ev.Type);
        Assert.Equal("Status", ev.Object["kind"]!.GetValue<string>());
        Assert.Equal(410, ev.Object["code"]!.GetValue<int>());
        Assert.Equal("Expired", Reason(ev.Object));
        Assert.StartsWith($"too old resource version: {Rv(old)} (", Message(ev.Object), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Watch_with_allowWatchBookmarks_receives_BOOKMARK_events()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("mark"));

        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + $"?watch=true&allowWatchBookmarks=true&resourceVersion={Rv(created)}");

        var bookmark = await watch.WaitForAsync((t, _) => t == "BOOKMARK", Target.BookmarkWait, "BOOKMARK");
        Assert.Equal("Widget", bookmark.Object["kind"]!.GetValue<string>());
        Assert.Equal("test.openkbs.com/v1", bookmark.Object["apiVersion"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(bookmark.Object), CultureInfo.InvariantCulture) >= long.Parse(Rv(created), CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Watch_with_a_label_selector_sees_an_object_leave_the_selection_as_DELETED()
    {
        var ns = await SetUpAsync();
        var created = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("sel", labels: new JsonObject { ["tier"] = "front" }));
        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + $"?watch=true&labelSelector=tier%3Dfront&resourceVersion={Rv(created)}");

        await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "sel"), new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["tier"] = "back" } } }, "application/merge-patch+json");

        var ev = await watch.WaitForAsync((_, _) => true, EventWait, "DELETED when the label stops matching");
        Assert.Equal("DELETED", ev.Type);
        Assert.Equal("back", ev.Object["metadata"]!["labels"]!["tier"]!.GetValue<string>());
    }

    public static TheoryData<string, string[]> LabelSelectors => new()
    {
        { "tier=front", ["l1", "l2"] },
        { "tier==front,env=prod", ["l1"] },
        { "tier!=front", ["l3", "l4"] },
        { "tier in (front,back)", ["l1", "l2", "l3"] },
        { "tier notin (front)", ["l3", "l4"] },
        { "tier", ["l1", "l2", "l3"] },
        { "!tier", ["l4"] },
    };

    [SkippableTheory]
    [MemberData(nameof(LabelSelectors))]
    public async Task List_filters_by_label_selector(string selector, string[] expected)
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("l1", labels: new JsonObject { ["tier"] = "front", ["env"] = "prod" }));
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("l2", labels: new JsonObject { ["tier"] = "front" }));
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("l3", labels: new JsonObject { ["tier"] = "back" }));
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("l4"));

        var list = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(expected, list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task List_filters_by_metadata_field_selectors_and_rejects_other_fields()
    {
        var ns = await SetUpAsync();
        var other = await Target.CreateNamespaceAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("f1"));
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("f2"));
        await Raw.CreateAsync(WidgetCrd.Collection(other), WidgetCrd.New("f1"));

        var byName = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?fieldSelector=metadata.name%3Df1");
        var byNamespace = await Raw.GetAsync($"/apis/{WidgetCrd.Group}/{WidgetCrd.Version}/{WidgetCrd.Plural}?fieldSelector=metadata.namespace%3D{other}");
        var (status, body) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Collection(ns) + "?fieldSelector=spec.color%3Dred");

        Assert.Equal(["f1"], byName["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal([other], byNamespace["items"]!.AsArray().Select(i => i!["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.Equal(400, status);
        Assert.Equal("field label not supported: spec.color", Message(body));
    }

    [SkippableFact]
    public async Task List_pages_with_limit_and_continue_from_a_consistent_snapshot()
    {
        var ns = await SetUpAsync();
        foreach (var name in new[] { "p1", "p2", "p3", "p4", "p5" })
        {
            await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New(name));
        }

        var page1 = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?limit=2");
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("p6"));
        var token = page1["metadata"]!["continue"]!.GetValue<string>();
        var page2 = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?limit=2&continue=" + Uri.EscapeDataString(token));
        var page3 = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?limit=2&continue=" + Uri.EscapeDataString(page2["metadata"]!["continue"]!.GetValue<string>()));

        static IEnumerable<string> Names(JsonObject list) => list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["p1", "p2"], Names(page1));
        Assert.Equal(3, page1["metadata"]!["remainingItemCount"]!.GetValue<long>());
        Assert.Equal(["p3", "p4"], Names(page2));
        Assert.Equal(["p5"], Names(page3));
        Assert.Null(page3["metadata"]!["continue"]);
        Assert.Equal(Rv(page1), Rv(page3));
    }

    [SkippableFact]
    public async Task An_expired_continue_token_is_410_with_a_token_to_continue_inconsistently()
    {
        var ns = await SetUpAsync();
        Skip.IfNot(Target.CanExpireHistory, $"{Target.Name} compacts its history on its own schedule");
        foreach (var name in new[] { "e1", "e2", "e3" })
        {
            await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New(name));
        }

        var page1 = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?limit=1");
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("e4"));
        Target.ExpireHistory();

        var (status, body) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Collection(ns) + "?limit=1&continue=" + Uri.EscapeDataString(page1["metadata"]!["continue"]!.GetValue<string>()));

        Assert.Equal(410, status);
        Assert.Equal("Expired", Reason(body));
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", Message(body), StringComparison.Ordinal);
        var inconsistent = body!["metadata"]!["continue"]!.GetValue<string>();
        var rest = await Raw.GetAsync(WidgetCrd.Collection(ns) + "?continue=" + Uri.EscapeDataString(inconsistent));
        Assert.Equal(["e2", "e3", "e4"], rest["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Merge_patch_and_json_patch_apply_and_a_failed_json_patch_test_is_rejected()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("patch"));

        var (s1, merged) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "patch"), new JsonObject { ["spec"] = new JsonObject { ["owner"] = "alice", ["replicas"] = null } }, "application/merge-patch+json");
        var jsonPatch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/spec/owner", ["value"] = "alice" },
            new JsonObject { ["op"] = "replace", ["path"] = "/spec/owner", ["value"] = "bob" },
            new JsonObject { ["op"] = "add", ["path"] = "/spec/tags", ["value"] = new JsonArray("x") });
        var (s2, patched) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "patch"), jsonPatch, "application/json-patch+json");
        var failing = new JsonArray(new JsonObject { ["op"] = "test", ["path"] = "/spec/owner", ["value"] = "carol" });
        var (s3, _) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "patch"), failing, "application/json-patch+json");
        var (s4, body4) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "patch"), new JsonObject { ["spec"] = new JsonObject() }, "application/strategic-merge-patch+json");

        Assert.Equal(200, s1);
        Assert.Equal("alice", merged!["spec"]!["owner"]!.GetValue<string>());
        Assert.Equal(200, s2);
        Assert.Equal("bob", patched!["spec"]!["owner"]!.GetValue<string>());
        Assert.Equal("x", patched["spec"]!["tags"]![0]!.GetValue<string>());
        Assert.Equal(422, s3);
        Assert.Equal(415, s4);
        Assert.Equal("UnsupportedMediaType", Reason(body4));
    }

    [SkippableFact]
    public async Task Server_side_apply_tracks_owners_conflicts_and_forces()
    {
        var ns = await SetUpAsync();
        var applyPath = WidgetCrd.Item(ns, "ssa") + "?fieldManager=alice";
        var config = WidgetCrd.New("ssa", replicas: 2);

        var (s1, created) = await Raw.SendAsync(HttpMethod.Patch, applyPath, config, "application/apply-patch+yaml");
        var bobConfig = new JsonObject { ["apiVersion"] = "test.openkbs.com/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = "ssa" }, ["spec"] = new JsonObject { ["replicas"] = 5 } };
        var (s2, conflict) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "ssa") + "?fieldManager=bob", bobConfig, "application/apply-patch+yaml");
        var (s3, forced) = await Raw.SendAsync(HttpMethod.Patch, WidgetCrd.Item(ns, "ssa") + "?fieldManager=bob&force=true", bobConfig, "application/apply-patch+yaml");

        Assert.Equal(201, s1);
        var managers = created!["metadata"]!["managedFields"]!.AsArray();
        Assert.Contains(managers, m => m!["manager"]!.GetValue<string>() == "alice" && m["operation"]!.GetValue<string>() == "Apply");
        Assert.Equal(409, s2);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas", Message(conflict));
        Assert.Equal("FieldManagerConflict", conflict!["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(200, s3);
        Assert.Equal(5, forced!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("red", forced["spec"]!["color"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task An_invalid_name_is_422_with_the_field_path_and_message()
    {
        var ns = await SetUpAsync();

        var (status, body) = await Raw.SendAsync(HttpMethod.Post, WidgetCrd.Collection(ns), WidgetCrd.New("Bad_Name"));

        Assert.Equal(422, status);
        Assert.Equal("Invalid", Reason(body));
        var cause = body!["details"]!["causes"]![0]!;
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.StartsWith("Widget.test.openkbs.com \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of", Message(body), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DryRun_create_answers_the_object_but_stores_nothing()
    {
        var ns = await SetUpAsync();

        var (status, body) = await Raw.SendAsync(HttpMethod.Post, WidgetCrd.Collection(ns) + "?dryRun=All", WidgetCrd.New("dry"));
        var (getStatus, _) = await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "dry"));

        Assert.Equal(201, status);
        Assert.Equal("dry", body!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(404, getStatus);
    }

    [SkippableFact]
    public async Task Deleting_a_namespace_removes_its_objects_and_then_the_namespace()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("inside"));
        await Raw.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "cm" }, ["data"] = new JsonObject { ["a"] = "b" } });

        var (status, body) = await Raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");

        Assert.Equal(200, status);
        Assert.Equal("Terminating", body!["status"]!["phase"]!.GetValue<string>());
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var (s, _) = await Raw.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}");
            if (s == 404)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(404, (await Raw.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Status);
        Assert.Equal(404, (await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "inside"))).Status);
    }

    [SkippableFact]
    public async Task Creating_in_a_missing_namespace_is_404_for_the_namespace()
    {
        await SetUpAsync();

        var (status, body) = await Raw.SendAsync(HttpMethod.Post, WidgetCrd.Collection("no-such-ns-42"), WidgetCrd.New("x"));

        Assert.Equal(404, status);
        Assert.Equal("namespaces \"no-such-ns-42\" not found", Message(body));
    }

    [SkippableFact]
    public async Task Table_responses_carry_the_printer_columns()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("tbl", color: "green", replicas: 3));

        var table = await Raw.GetAsync(WidgetCrd.Collection(ns), accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal(["Name", "Color", "Replicas", "Ready", "Owner", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(1, table["columnDefinitions"]![4]!["priority"]!.GetValue<int>());
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("tbl", cells[0]!.GetValue<string>());
        Assert.Equal("green", cells[1]!.GetValue<string>());
        Assert.Equal(3, cells[2]!.GetValue<int>());
        Assert.Null(cells[3]);
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
    }
    [SkippableFact]
    public async Task Deleting_an_owner_garbage_collects_its_dependents()
    {
        var ns = await SetUpAsync();
        var owner = await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("owner"));
        var ownerRef = new JsonObject
        {
            ["apiVersion"] = "test.openkbs.com/v1",
            ["kind"] = "Widget",
            ["name"] = "owner",
            ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        };
        var dependent = WidgetCrd.New("dependent");
        dependent["metadata"]!["ownerReferences"] = new JsonArray(ownerRef);
        await Raw.CreateAsync(WidgetCrd.Collection(ns), dependent);
        await Raw.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "owned", ["ownerReferences"] = new JsonArray(ownerRef.DeepClone()) } });

        await Raw.SendAsync(HttpMethod.Delete, WidgetCrd.Item(ns, "owner"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && ((await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "dependent"))).Status != 404 || (await Raw.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned")).Status != 404))
        {
            await Task.Delay(100);
        }

        Assert.Equal(404, (await Raw.SendAsync(HttpMethod.Get, WidgetCrd.Item(ns, "dependent"))).Status);
        Assert.Equal(404, (await Raw.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned")).Status);
    }

    [SkippableFact]
    public async Task Core_events_are_served_as_events_k8s_io_too_and_select_by_involved_object()
    {
        var ns = await SetUpAsync();
        var core = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "w.1" },
            ["involvedObject"] = new JsonObject { ["kind"] = "Widget", ["name"] = "w", ["namespace"] = ns, ["apiVersion"] = "test.openkbs.com/v1" },
            ["reason"] = "Created",
            ["message"] = "widget created",
            ["type"] = "Normal",
            ["source"] = new JsonObject { ["component"] = "contract-test" },
        };
        await Raw.CreateAsync($"/api/v1/namespaces/{ns}/events", core);
        await Raw.CreateAsync($"/api/v1/namespaces/{ns}/events", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other.1" }, ["involvedObject"] = new JsonObject { ["kind"] = "Widget", ["name"] = "other" }, ["reason"] = "X" });

        var selected = await Raw.GetAsync($"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dw,involvedObject.kind%3DWidget");
        var asV1 = await Raw.GetAsync($"/apis/events.k8s.io/v1/namespaces/{ns}/events/w.1");
        var v1Selected = await Raw.GetAsync($"/apis/events.k8s.io/v1/namespaces/{ns}/events?fieldSelector=regarding.name%3Dw");

        Assert.Equal(["w.1"], selected["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("events.k8s.io/v1", asV1["apiVersion"]!.GetValue<string>());
        Assert.Equal("w", asV1["regarding"]!["name"]!.GetValue<string>());
        Assert.Equal("widget created", asV1["note"]!.GetValue<string>());
        Assert.Equal(["w.1"], v1Selected["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Secrets_fold_stringData_into_base64_data()
    {
        var ns = await SetUpAsync();

        var created = await Raw.CreateAsync($"/api/v1/namespaces/{ns}/secrets", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" }, ["stringData"] = new JsonObject { ["token"] = "abc" } });

        Assert.Equal("YWJj", created["data"]!["token"]!.GetValue<string>());
        Assert.Null(created["stringData"]);
        Assert.Equal("Opaque", created["type"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_watch_with_sendInitialEvents_ends_its_initial_list_with_an_annotated_bookmark()
    {
        var ns = await SetUpAsync();
        await Raw.CreateAsync(WidgetCrd.Collection(ns), WidgetCrd.New("init"));

        using var watch = await Raw.WatchAsync(WidgetCrd.Collection(ns) + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");

        var added = await watch.WaitForAsync((_, _) => true, EventWait, "initial ADDED");
        var bookmark = await watch.WaitForAsync((t, _) => t == "BOOKMARK", EventWait, "initial-events-end bookmark");
        Assert.Equal("ADDED", added.Type);
        Assert.Equal("true", bookmark.Object["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }
}
