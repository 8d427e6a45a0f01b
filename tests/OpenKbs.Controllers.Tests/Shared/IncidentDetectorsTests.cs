using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenKbs.Api;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;
using OpenKbs.Aws.Organizations.Model;
using OpenKbs.Aws.S3.Model;
using OpenKbs.Controllers.ClientAccounts;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Shared;
using OpenKbs.Controllers.Tests.Projects;
using OpenKbs.Controllers.Tests.Support;
using OpenKbs.Runtime;
using OpenKbs.Testing.Moto;
using OpenKbs.Testing.Postgres;

namespace OpenKbs.Controllers.Tests.Shared;

/// <summary>
/// The NIS2 Art. 23 detectors end to end, through moto and a real PostgreSQL audit store: the ClientAccount recipe finding its
/// region guard detached, and the Storage step finding its bucket's public access block removed, each open one incident (not
/// one per pass), raise a Warning event, set IncidentOpen on the ClientAccount with the earliest deadline, and put the change back;
/// closing the incident turns the condition False on the next pass.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class IncidentDetectorsTests(MotoServerFixture moto) : IAsyncLifetime, IDisposable
{
    private PostgresServer _server = null!;
    private PostgresIncidentRecorder _recorder = null!;
    private IncidentWebhook _webhook = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        _server = await PostgresServer.CreateAsync();
        var options = Options.Create(new AuditStoreOptions { ConnectionString = _server.ConnectionString(), OperatorIdentity = "test" });
        await using (var journal = new PostgresAuditJournal(options, NullLogger<PostgresAuditJournal>.Instance))
        {
            await journal.InitializeAsync(CancellationToken.None);
        }

        _webhook = new IncidentWebhook(Options.Create(new IncidentOptions()), NullLogger<IncidentWebhook>.Instance);
        _recorder = new PostgresIncidentRecorder(options, _webhook, NullLogger<PostgresIncidentRecorder>.Instance);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _recorder?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _webhook?.Dispose();
    }

    [Fact]
    public async Task A_detached_guardrail_opens_one_incident_raises_a_warning_sets_IncidentOpen_and_is_reattached()
    {
        using var process = new AccountProcess(moto.Endpoint, new InMemoryStatusStore(), new ListCache(),
            incidents: new IncidentSignals(NullLogger<IncidentSignals>.Instance, _recorder));
        await AwsHost.CreateOrganizationAsync(process.Aws.Organizations);
        var acme = process.Apply(Fixtures.Account("acme"));
        await process.ReconcileUntilAsync(acme, r => r.Outcome == ReconcileOutcome.Done);
        var status = process.Read(acme).Status!;
        Assert.True(Conditions.IsFalse(status.Conditions, ConditionTypes.IncidentOpen), "a new account has no incident");
        Assert.DoesNotContain(process.Events, e => e.Type == EventType.Warning);
        var ns = acme.Metadata.NamespaceProperty;

        await process.Aws.Organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = status.GuardrailPolicyId!, TargetId = status.AccountId! });
        Assert.Equal(ReconcileOutcome.Done, (await process.ReconcileAsync(acme)).Outcome);

        var incident = Assert.Single(await _recorder.OpenIncidentsAsync(ns, CancellationToken.None));
        Assert.Equal((IncidentCauses.GuardrailDetached, "ClientAccount/acme", status.GuardrailPolicyId), (incident.Cause, incident.Subject, incident.Resource));
        Assert.Equal($"{ns}/ClientAccount/acme", incident.OpenedBy);
        var warning = Assert.Single(process.Events, e => e.Type == EventType.Warning);
        Assert.Equal(IncidentSignals.Opened, warning.Reason);
        Assert.Contains($"incident {incident.Id} opened: early warning due {IncidentSignals.Time(incident.EarlyWarningDue)}", warning.Message, StringComparison.Ordinal);
        var open = Conditions.Find(process.Read(acme).Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Contains($"earliest deadline: early warning of incident {incident.Id} due {IncidentSignals.Time(incident.EarlyWarningDue)}", open.Message, StringComparison.Ordinal);
        Assert.Contains(
            (await process.Aws.Organizations.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = status.AccountId!, Filter = "SERVICE_CONTROL_POLICY" })).Policies,
            p => p.Id == status.GuardrailPolicyId);
        Assert.True(Conditions.IsTrue(process.Read(acme).Status!.Conditions, ConditionTypes.Ready), "the guard is back: the account stays Ready");

        // Re-attached in the same pass: the cause is recorded cleared; the incident stays open, awaiting a person's closing.
        Assert.Equal(IncidentStates.Open, incident.State);
        var clearedAt = incident.CauseClearedAt ?? throw new Xunit.Sdk.XunitException("the re-attached guard's incident has no cause-cleared record");
        Assert.Equal($"{ns}/ClientAccount/acme", incident.CauseClearedBy);
        Assert.EndsWith($"({status.GuardrailPolicyId}) re-attached to account {status.AccountId} by the operator", incident.CauseClearedHow, StringComparison.Ordinal);
        var cleared = Assert.Single(process.Events, e => e.Reason == IncidentSignals.CauseCleared);
        Assert.Equal(EventType.Normal, cleared.Type);
        Assert.Contains($"incident {incident.Id} (GuardrailDetached of ClientAccount/acme): cause cleared at {IncidentSignals.Time(clearedAt)}", cleared.Message, StringComparison.Ordinal);
        Assert.Equal((ConditionStatus.True, IncidentSignals.ReasonAwaitingClosure), (open.Status, open.Reason));
        Assert.Contains($"{incident.Id} GuardrailDetached of ClientAccount/acme (cause cleared at {IncidentSignals.Time(clearedAt)}, awaiting closure)", open.Message, StringComparison.Ordinal);

        // Detached again after its cause cleared: a new incident (the first one still waits for its closing), cleared again once re-attached.
        await process.Aws.Organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = status.GuardrailPolicyId!, TargetId = status.AccountId! });
        await process.ReconcileAsync(acme);
        var both = await _recorder.OpenIncidentsAsync(ns, CancellationToken.None);
        Assert.Equal(2, both.Count);
        Assert.Equal(incident.Id, both[0].Id);
        Assert.All(both, i => Assert.NotNull(i.CauseClearedAt));
        Assert.Equal(2, process.Events.Count(e => e.Reason == IncidentSignals.Opened));

        // Closed by a person: the next pass (no drift) turns the condition False.
        await using (var source = Npgsql.NpgsqlDataSource.Create(_server.ConnectionString()))
        {
            foreach (var each in both)
            {
                Assert.Null((await PostgresIncidentStore.ChangeAsync(source, ns, each.Id, IncidentStates.Closed, "alice", "reported", CancellationToken.None)).Error);
            }

            var chain = await IncidentChain.VerifyAsync(_server.ConnectionString(), CancellationToken.None);
            Assert.True(chain.Intact, chain.Message);
            Assert.Equal(6, chain.Checked); // two openings, two cause-cleared records, two closings
        }

        await process.ReconcileAsync(acme);
        var closed = Conditions.Find(process.Read(acme).Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Equal((ConditionStatus.False, IncidentSignals.ReasonNone), (closed.Status, closed.Reason));
    }

    [Fact]
    public async Task A_bucket_made_public_opens_one_incident_marks_the_ClientAccount_and_is_blocked_again()
    {
        using var h = new ProjectStepHarness(moto, ProjectFixtures.Project("shop", @namespace: "incidents-" + Guid.NewGuid().ToString("N")[..8]), chaos: null);
        var accounts = new InMemoryStatusStore();
        accounts.Put(h.Account);
        var events = new AccountEvents();
        var step = new StorageStep(NullLogger<StorageStep>.Instance, new IncidentSignals(NullLogger<IncidentSignals>.Instance, _recorder, accounts, events));
        Assert.True((await h.ConvergeAsync(step)).Outcome.IsReady);
        Assert.Empty(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));
        var bucket = h.Names.Bucket;
        var open = new PublicAccessBlockConfiguration { BlockPublicAcls = false, IgnorePublicAcls = false, BlockPublicPolicy = false, RestrictPublicBuckets = false };

        await h.Member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = open });
        Assert.True((await step.RunAsync(h.Context(), CancellationToken.None)).IsReady);
        await h.Member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest { BucketName = bucket, PublicAccessBlockConfiguration = open });
        Assert.True((await step.RunAsync(h.Context(), CancellationToken.None)).IsReady);
        Assert.True((await step.RunAsync(h.Context(), CancellationToken.None)).IsReady);

        // Each removal is put back in its pass and its cause recorded cleared there: two incidents (the second seen after the first
        // cleared), both awaiting a person's closing; the pass without drift records nothing.
        var incidents = await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None);
        Assert.Equal(2, incidents.Count);
        var incident = incidents[0];
        Assert.Equal((IncidentCauses.BucketMadePublic, $"Project/shop/bucket/{bucket}", h.Names.BucketArn), (incident.Cause, incident.Subject, incident.Resource));
        Assert.All(incidents, i => Assert.Equal($"public access block of bucket {bucket} put back by the operator", i.CauseClearedHow));
        Assert.Equal(StorageRendering.PublicAccessBlock, (await h.Member.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration);
        Assert.Equal(2, h.Events.Count(e => e.Contains(IncidentSignals.Opened, StringComparison.Ordinal)));
        Assert.Equal(2, h.Events.Count(e => e.Contains(IncidentSignals.CauseCleared, StringComparison.Ordinal)));
        Assert.Equal([IncidentSignals.Opened, IncidentSignals.CauseCleared, IncidentSignals.Opened, IncidentSignals.CauseCleared], events.Reasons);
        var condition = Conditions.Find(accounts.Read(ObjectKey.From(h.Account))!.Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Equal((ConditionStatus.True, IncidentSignals.ReasonAwaitingClosure), (condition.Status, condition.Reason));
        Assert.Contains(
            $"{incident.Id} BucketMadePublic of Project/shop/bucket/{bucket} (cause cleared at {IncidentSignals.Time(incident.CauseClearedAt!.Value)}, awaiting closure)",
            condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_critical_finding_in_the_deployed_digest_opens_one_incident_per_project_and_occurrence()
    {
        using var h = new ProjectStepHarness(moto, ProjectFixtures.Project("shop", @namespace: "incidents-" + Guid.NewGuid().ToString("N")[..8]), chaos: null);
        var accounts = new InMemoryStatusStore();
        accounts.Put(h.Account);
        var events = new AccountEvents();
        var runs = new RunCache();
        var signals = new IncidentSignals(NullLogger<IncidentSignals>.Instance, _recorder, accounts, events);
        var findings = new DeployedFindings(new AuditGate(runs), signals);
        const string Deployed = "1111111111111111111111111111111111111111111111111111111111111111";
        const string Next = "2222222222222222222222222222222222222222222222222222222222222222";
        h.Project.Status = new OpenKbs.Api.V1Alpha1.ProjectStatus { DeployedVersion = "1.0.0", ArtifactSha256 = Deployed };

        // A critical in an artifact that is not deployed, a run still running, a clean run of the deployed one: nothing.
        runs.Add(Run("shop-next", Next, critical: 3, completed: 1));
        runs.Add(Run("shop-running", Deployed, critical: 2, completed: null));
        runs.Add(Run("shop-1", Deployed, critical: 0, completed: 2));
        await findings.CheckAsync(h.Context(), CancellationToken.None);
        Assert.Empty(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));

        // A re-audit of the running digest (newer data) finds a critical: one incident, the Warning on the Project and the ClientAccount.
        runs.Add(Run("shop-reaudit", Deployed, critical: 2, completed: 3));
        await findings.CheckAsync(h.Context(), CancellationToken.None);
        await findings.CheckAsync(h.Context(), CancellationToken.None);
        var incident = Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));
        Assert.Equal((IncidentCauses.CriticalFinding, "Project/shop", "shop-reaudit", Deployed), (incident.Cause, incident.Subject, incident.Details["auditRun"], incident.Details["sha256"]));
        Assert.Contains("2 unsuppressed critical finding(s) according to AuditRun shop-reaudit", incident.Summary, StringComparison.Ordinal);
        Assert.Single(h.Events, e => e.Contains(IncidentSignals.Opened, StringComparison.Ordinal));
        Assert.Equal([IncidentSignals.Opened], events.Reasons);
        Assert.True(Conditions.IsTrue(accounts.Read(ObjectKey.From(h.Account))!.Status!.Conditions, ConditionTypes.IncidentOpen));

        // Closed by a person: the same run does not open it again, even in a new process; a later run with criticals does.
        await using (var source = Npgsql.NpgsqlDataSource.Create(_server.ConnectionString()))
        {
            Assert.Null((await PostgresIncidentStore.ChangeAsync(source, h.Namespace, incident.Id, IncidentStates.Closed, "alice", "fixed in 1.0.1", CancellationToken.None)).Error);
        }

        var restarted = new DeployedFindings(new AuditGate(runs), signals);
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        Assert.Empty(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));
        Assert.Single(h.Events, e => e.Contains(IncidentSignals.Opened, StringComparison.Ordinal));
        runs.Add(Run("shop-reaudit-2", Deployed, critical: 1, completed: 4));
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        Assert.Equal("shop-reaudit-2", Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None)).Details["auditRun"]);

        // Deployed without an audit gate: the Project's deployed digest changes to one whose run already reported a critical.
        h.Project.Status.ArtifactSha256 = Next;
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None)); // the Project's incident is still open: not a second one
        Assert.Equal(2, h.Events.Count(e => e.Contains(IncidentSignals.Opened, StringComparison.Ordinal)));

        // A fixed version deployed, not audited yet: nothing known; once its audit completes clean, the cause is recorded cleared (once),
        // the incident stays open for a person to close, and the ClientAccount's condition says it awaits closure.
        const string Fixed = "3333333333333333333333333333333333333333333333333333333333333333";
        h.Project.Status.ArtifactSha256 = Fixed;
        h.Project.Status.DeployedVersion = "1.0.2";
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        Assert.Null(Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None)).CauseClearedAt);
        runs.Add(Run("shop-fixed", Fixed, critical: 0, completed: 5));
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        await restarted.CheckAsync(h.Context(), CancellationToken.None);
        var cleared = Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));
        Assert.Equal(IncidentStates.Open, cleared.State);
        Assert.Equal("the deployed version 1.0.2 (artifact sha256 333333333333…) has no unsuppressed critical finding according to AuditRun shop-fixed", cleared.CauseClearedHow);
        Assert.Single(h.Events, e => e.Contains(IncidentSignals.CauseCleared, StringComparison.Ordinal));
        var awaiting = Conditions.Find(accounts.Read(ObjectKey.From(h.Account))!.Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Equal((ConditionStatus.True, IncidentSignals.ReasonAwaitingClosure), (awaiting.Status, awaiting.Reason));
        Assert.Contains($"(cause cleared at {IncidentSignals.Time(cleared.CauseClearedAt!.Value)}, awaiting closure)", awaiting.Message, StringComparison.Ordinal);

        OpenKbs.Api.V1Alpha1.AuditRun Run(string name, string sha256, int critical, int? completed) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = h.Namespace, Uid = name },
            Spec = new OpenKbs.Api.V1Alpha1.AuditRunSpec { ProjectRef = new OpenKbs.Api.V1Alpha1.LocalObjectReference { Name = "shop" } },
            Status = new OpenKbs.Api.V1Alpha1.AuditRunStatus
            {
                ArtifactSha256 = sha256,
                Phase = critical > 0 ? OpenKbs.Api.V1Alpha1.AuditPhase.Failed : OpenKbs.Api.V1Alpha1.AuditPhase.Passed,
                Findings = new OpenKbs.Api.V1Alpha1.FindingCounts { Critical = critical, High = 1 },
                CompletedAt = completed is { } minutes ? new DateTime(2026, 12, 5, 10, minutes, 0, DateTimeKind.Utc) : null,
            },
        };
    }

    [Fact]
    public async Task A_ClientAccount_pass_publishing_between_the_read_and_the_write_cannot_leave_IncidentOpen_False()
    {
        using var h = new ProjectStepHarness(moto, ProjectFixtures.Project("shop", @namespace: "incidents-" + Guid.NewGuid().ToString("N")[..8]), chaos: null);
        var accounts = new InMemoryStatusStore();
        accounts.Put(h.Account);
        var key = ObjectKey.From(h.Account);
        var raced = new RacingAccounts(accounts, () =>
        {
            // The ClientAccount's own pass read the store before the incident was opened and publishes now: False.
            var copy = accounts.Read(key)!;
            copy.Status ??= new OpenKbs.Api.V1Alpha1.ClientAccountStatus();
            Conditions.Set(copy.Status.Conditions, ConditionTypes.IncidentOpen, ConditionStatus.False, IncidentSignals.ReasonNone, "no open incident (NIS2 Art. 23)", 1, DateTimeOffset.UtcNow);
            accounts.Put(copy);
        });
        var step = new StorageStep(NullLogger<StorageStep>.Instance, new IncidentSignals(NullLogger<IncidentSignals>.Instance, _recorder, raced, new AccountEvents()));
        Assert.True((await h.ConvergeAsync(step)).Outcome.IsReady);

        await h.Member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = h.Names.Bucket,
            PublicAccessBlockConfiguration = StorageRendering.PublicAccessBlock with { BlockPublicPolicy = false },
        });
        Assert.True((await step.RunAsync(h.Context(), CancellationToken.None)).IsReady);

        Assert.Equal(1, raced.Raced);
        var condition = Conditions.Find(accounts.Read(key)!.Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Equal((ConditionStatus.True, IncidentSignals.ReasonAwaitingClosure), (condition.Status, condition.Reason)); // put back in the same pass
    }

    [Fact]
    public async Task Without_a_store_the_warning_still_says_the_incident_was_not_recorded()
    {
        using var h = new ProjectStepHarness(moto, ProjectFixtures.Project("shop", @namespace: "incidents-" + Guid.NewGuid().ToString("N")[..8]), chaos: null);
        var step = new StorageStep(NullLogger<StorageStep>.Instance, new IncidentSignals(NullLogger<IncidentSignals>.Instance));
        Assert.True((await h.ConvergeAsync(step)).Outcome.IsReady);
        await h.Member.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = h.Names.Bucket,
            PublicAccessBlockConfiguration = StorageRendering.PublicAccessBlock with { BlockPublicPolicy = false },
        });

        Assert.True((await step.RunAsync(h.Context(), CancellationToken.None)).IsReady);

        Assert.Single(h.Events, e => e.Contains(IncidentSignals.NotRecorded, StringComparison.Ordinal) && e.Contains("no durable audit store", StringComparison.Ordinal));
    }

    /// <summary>The API server's ClientAccounts, where another writer publishes once between the first read and the first write.</summary>
    private sealed class RacingAccounts(InMemoryStatusStore inner, Action race) : IStatusStore<OpenKbs.Api.V1Alpha1.ClientAccount>
    {
        public int Raced { get; private set; }

        public Task<OpenKbs.Api.V1Alpha1.ClientAccount?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public Task SaveStatusAsync(OpenKbs.Api.V1Alpha1.ClientAccount resource, CancellationToken cancellationToken)
        {
            if (Raced == 0)
            {
                Raced++;
                race();
            }

            return inner.SaveStatusAsync(resource, cancellationToken);
        }
    }

    /// <summary>The AuditRun informer cache of a step test: a list.</summary>
    private sealed class RunCache : IResourceCache<OpenKbs.Api.V1Alpha1.AuditRun>
    {
        private readonly List<OpenKbs.Api.V1Alpha1.AuditRun> _items = [];

        public bool HasSynced => true;

        public int Count => _items.Count;

        public void Add(OpenKbs.Api.V1Alpha1.AuditRun run) => _items.Add(run);

        public OpenKbs.Api.V1Alpha1.AuditRun? Get(ObjectKey key) => _items.FirstOrDefault(i => ObjectKey.From(i) == key);

        public OpenKbs.Api.V1Alpha1.AuditRun? Get(string @namespace, string name) => Get(new ObjectKey(@namespace, name));

        public IReadOnlyList<OpenKbs.Api.V1Alpha1.AuditRun> List(string? @namespace = null) => [.. _items.Where(i => @namespace is null || i.Metadata.NamespaceProperty == @namespace)];

        public IReadOnlyList<ObjectKey> Keys(string? @namespace = null) => [.. List(@namespace).Select(ObjectKey.From)];
    }

    /// <summary>Events recorded on other objects (the ClientAccount), by reason.</summary>
    private sealed class AccountEvents : IEventRecorder
    {
        public List<string> Reasons { get; } = [];

        public void Record(IKubernetesObject<V1ObjectMeta> involvedObject, EventType type, string reason, string message)
        {
            Assert.Equal(reason == IncidentSignals.CauseCleared ? EventType.Normal : EventType.Warning, type);
            Assert.IsType<OpenKbs.Api.V1Alpha1.ClientAccount>(involvedObject);
            Reasons.Add(reason);
        }
    }
}
