using OpenKbs.Api.Schema;

namespace OpenKbs.Api.V1Alpha1;

/// <summary>The desired client solution.</summary>
// "function" is a CEL reserved word: Kubernetes exposes the property to rules as __function__.
[CelRule(
    "!has(self.schedules) || self.schedules.all(s, has(self.functions) && self.functions.exists(f, f.name == s.__function__))",
    "every schedule's function must be the name of a function in spec.functions",
    FieldPath = ".schedules")]
[CelRule(
    "!has(self.functions) || size(self.functions) == 0 || has(self.source)",
    "source is required when the project has functions",
    FieldPath = ".source",
    Reason = CelReasons.FieldValueRequired)]
[CelRule(
    "!has(self.access) || !has(self.access.enabled) || !self.access.enabled || (has(self.apiKeys) && size(self.apiKeys) > 0)",
    "access.enabled: true needs at least one API key in spec.apiKeys",
    FieldPath = ".access.enabled")]
[CelRule(
    "!has(self.access) || !has(self.access.mqtt) || !self.access.mqtt.enabled || (has(self.access.enabled) ? self.access.enabled : (has(self.apiKeys) && size(self.apiKeys) > 0))",
    "access.mqtt.enabled needs access: set access.enabled or give at least one API key",
    FieldPath = ".access.mqtt.enabled")]
public sealed record ProjectSpec
{
    /// <summary>The ClientAccount, in this namespace, whose AWS account the project runs in. Immutable.</summary>
    [Immutable("clientAccountRef is immutable: a project cannot move to another client's account")]
    public required LocalObjectReference ClientAccountRef { get; init; }

    /// <summary>The version to deploy, e.g. <c>1.0.0</c>. A new version deploys the source's code and rotates the API keys.</summary>
    [MinLength(1)]
    [MaxLength(64)]
    [Pattern("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    public required string Version { get; init; }

    /// <summary>The deployment artifact of this version: a zip holding the functions' code. Required when there are functions.</summary>
    public ArtifactSource? Source { get; init; }

    /// <summary>The Lambda functions (at most 20), each with a unique name.</summary>
    [MaxItems(20)]
    [ListMapKeys("name")]
    [CelRule(
        "self.all(f, self.exists_one(g, g.name == f.name))",
        "function names must be unique")]
    public IList<FunctionSpec>? Functions { get; init; }

    /// <summary>The audit gate: with <c>required: true</c> only an artifact with a Passed AuditRun is deployed.</summary>
    public ProjectAuditSpec? Audit { get; init; }

    /// <summary>The project's S3 bucket (always present: versioned, encrypted, public access blocked, TLS only).</summary>
    public StorageSpec? Storage { get; init; }

    /// <summary>An Aurora PostgreSQL Serverless v2 database; none unless enabled.</summary>
    public DatabaseSpec? Database { get; init; }

    /// <summary>A CloudFront distribution in front of the project; none unless enabled.</summary>
    public CdnSpec? Cdn { get; init; }

    /// <summary>EventBridge Scheduler schedules that invoke the project's functions (at most 50).</summary>
    [MaxItems(50)]
    [ListMapKeys("name")]
    [CelRule(
        "self.all(s, self.exists_one(t, t.name == s.name))",
        "schedule names must be unique")]
    public IList<ScheduleSpec>? Schedules { get; init; }

    /// <summary>API keys for the project's clients (at most 10). Every deployment issues new keys, hands each
    /// plaintext over once in a Secret in this namespace and revokes the old ones.</summary>
    [MaxItems(10)]
    [ListMapKeys("name")]
    [CelRule(
        "self.all(k, self.exists_one(l, l.name == k.name))",
        "API key names must be unique")]
    public IList<ApiKeySpec>? ApiKeys { get; init; }

    /// <summary>Client access: API keys exchanged for short-lived RS256 tokens, public keys, optional MQTT (docs/access.md).
    /// On by default when there are API keys.</summary>
    public AccessSpec? Access { get; init; }

    /// <summary>What deleting this object does in AWS: Retain (default) leaves every resource in place, tagged as
    /// released; Delete removes functions, schedules and the distribution, deletes the database only after a final
    /// snapshot and keeps the bucket unless it is empty.</summary>
    [Default(ProjectDeletionPolicy.Retain)]
    public ProjectDeletionPolicy DeletionPolicy { get; init; } = ProjectDeletionPolicy.Retain;
}
