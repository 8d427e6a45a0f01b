using k8s;
using k8s.Models;
using OpenKbs.Aws.Audit;
using OpenKbs.Controllers.Shared;
using OpenKbs.Runtime;

namespace OpenKbs.Controllers.Tests.Shared;

public sealed class KubernetesEventAuditSinkTests
{
    [Fact]
    public async Task A_mutation_becomes_an_event_on_the_owning_object()
    {
        var events = new RecordingEvents();
        var sink = new KubernetesEventAuditSink(events);

        await sink.RecordAsync(Record(AuditOutcome.Success, details: new AuditDetails().Add("AccountName", "ACME").Add("Password", "hunter2")), default);

        var (target, type, reason, message) = Assert.Single(events.Recorded);
        Assert.Equal("ClientAccount", target.Kind);
        Assert.Equal("openkbs.com/v1alpha1", target.ApiVersion);
        Assert.Equal(("tenants", "acme", "uid-1"), (target.Metadata.NamespaceProperty, target.Metadata.Name, target.Metadata.Uid));
        Assert.Equal(EventType.Normal, type);
        Assert.Equal("AwsCreateAccount", reason);
        Assert.Contains("organizations:CreateAccount on car-123", message, StringComparison.Ordinal);
        Assert.Contains("Success", message, StringComparison.Ordinal);
        Assert.Contains("request id req-9", message, StringComparison.Ordinal);
        Assert.Contains("AccountName=ACME", message, StringComparison.Ordinal);
        Assert.Contains("from 10.0.0.9", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AuditOutcome.Failure, EventType.Warning)]
    [InlineData(AuditOutcome.Refused, EventType.Warning)]
    [InlineData(AuditOutcome.Success, EventType.Normal)]
    public async Task Failures_and_refusals_are_warnings(string outcome, EventType expected)
    {
        var events = new RecordingEvents();

        await new KubernetesEventAuditSink(events).RecordAsync(Record(outcome), default);

        Assert.Equal(expected, Assert.Single(events.Recorded).Type);
    }

    [Fact]
    public async Task Calls_without_an_owning_object_record_no_event()
    {
        var events = new RecordingEvents();

        await new KubernetesEventAuditSink(events).RecordAsync(Record(AuditOutcome.Success) with { Actor = AwsActor.System("startup") }, default);

        Assert.Empty(events.Recorded);
    }

    [Theory]
    [InlineData("organizations:CreateAccount", "AwsCreateAccount")]
    [InlineData("iam:PutRolePolicy", "AwsPutRolePolicy")]
    [InlineData("s3:PutBucketVersioning", "AwsPutBucketVersioning")]
    public void Reasons_name_the_operation(string action, string reason) => Assert.Equal(reason, KubernetesEventAuditSink.Reason(action));

    private static AuditRecord Record(string outcome, AuditDetails? details = null) => new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Action = "organizations:CreateAccount",
        Resource = "car-123",
        Details = details ?? AuditDetails.Empty,
        Actor = new AwsActor { Controller = "clientaccount", Namespace = "tenants", Kind = "ClientAccount", Name = "acme", Uid = "uid-1" },
        SourceIp = "10.0.0.9",
        Region = "eu-central-1",
        Outcome = outcome,
        ErrorCode = outcome == AuditOutcome.Success ? null : "ConstraintViolationException",
        RequestId = "req-9",
        Attempts = 1,
    };

    private sealed class RecordingEvents : IEventRecorder
    {
        public List<(IKubernetesObject<V1ObjectMeta> Target, EventType Type, string Reason, string Message)> Recorded { get; } = [];

        public void Record(IKubernetesObject<V1ObjectMeta> involvedObject, EventType type, string reason, string message) =>
            Recorded.Add((involvedObject, type, reason, message));
    }
}
