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
        Assert.Equal((ConditionStatus.True, IncidentSignals.ReasonOpen), (open.Status, open.Reason));
        Assert.Contains($"earliest deadline: early warning of incident {incident.Id} due {IncidentSignals.Time(incident.EarlyWarningDue)}", open.Message, StringComparison.Ordinal);
        Assert.Contains(
            (await process.Aws.Organizations.ListPoliciesForTargetAsync(new ListPoliciesForTargetRequest { TargetId = status.AccountId!, Filter = "SERVICE_CONTROL_POLICY" })).Policies,
            p => p.Id == status.GuardrailPolicyId);
        Assert.True(Conditions.IsTrue(process.Read(acme).Status!.Conditions, ConditionTypes.Ready), "the guard is back: the account stays Ready");

        // Detached again while the incident is open: the same incident, a Warning that says so.
        await process.Aws.Organizations.DetachPolicyAsync(new DetachPolicyRequest { PolicyId = status.GuardrailPolicyId!, TargetId = status.AccountId! });
        await process.ReconcileAsync(acme);
        Assert.Equal(incident.Id, Assert.Single(await _recorder.OpenIncidentsAsync(ns, CancellationToken.None)).Id);
        Assert.Contains(process.Events, e => e.Reason == IncidentSignals.SeenAgain && e.Message.Contains($"incident {incident.Id} still open", StringComparison.Ordinal));

        // Closed by a person: the next pass (no drift) turns the condition False.
        await using (var source = Npgsql.NpgsqlDataSource.Create(_server.ConnectionString()))
        {
            Assert.Null((await PostgresIncidentStore.ChangeAsync(source, ns, incident.Id, IncidentStates.Closed, "alice", "reported", CancellationToken.None)).Error);
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

        var incident = Assert.Single(await _recorder.OpenIncidentsAsync(h.Namespace, CancellationToken.None));
        Assert.Equal((IncidentCauses.BucketMadePublic, $"Project/shop/bucket/{bucket}", h.Names.BucketArn), (incident.Cause, incident.Subject, incident.Resource));
        Assert.Equal(StorageRendering.PublicAccessBlock, (await h.Member.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket })).PublicAccessBlockConfiguration);
        Assert.Single(h.Events, e => e.Contains(IncidentSignals.Opened, StringComparison.Ordinal));
        Assert.Single(h.Events, e => e.Contains(IncidentSignals.SeenAgain, StringComparison.Ordinal));
        Assert.Equal([IncidentSignals.Opened, IncidentSignals.SeenAgain], events.Reasons);
        var condition = Conditions.Find(accounts.Read(ObjectKey.From(h.Account))!.Status!.Conditions, ConditionTypes.IncidentOpen)!;
        Assert.Equal(ConditionStatus.True, condition.Status);
        Assert.Contains($"{incident.Id} BucketMadePublic of Project/shop/bucket/{bucket}", condition.Message, StringComparison.Ordinal);
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

    /// <summary>Events recorded on other objects (the ClientAccount), by reason.</summary>
    private sealed class AccountEvents : IEventRecorder
    {
        public List<string> Reasons { get; } = [];

        public void Record(IKubernetesObject<V1ObjectMeta> involvedObject, EventType type, string reason, string message)
        {
            Assert.Equal(EventType.Warning, type);
            Assert.IsType<OpenKbs.Api.V1Alpha1.ClientAccount>(involvedObject);
            Reasons.Add(reason);
        }
    }
}
