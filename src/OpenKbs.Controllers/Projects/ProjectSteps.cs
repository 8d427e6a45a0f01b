using OpenKbs.Controllers.Projects.Components.Access;
using OpenKbs.Controllers.Projects.Components.ApiKeys;
using OpenKbs.Controllers.Projects.Components.Artifact;
using OpenKbs.Controllers.Projects.Components.Audit;
using OpenKbs.Controllers.Projects.Components.Cdn;
using OpenKbs.Controllers.Projects.Components.Database;
using OpenKbs.Controllers.Projects.Components.ExecutionRole;
using OpenKbs.Controllers.Projects.Components.Functions;
using OpenKbs.Controllers.Projects.Components.Schedules;
using OpenKbs.Controllers.Projects.Components.Storage;
using OpenKbs.Controllers.Projects.Components.Usage;


namespace OpenKbs.Controllers.Projects;

/// <summary>
/// THE order of the Project recipe (docs/project.md, "Steps"). Each step may read the typed facts earlier steps returned
/// (<see cref="Shared.Recipes.Facts"/>); deletion finalizes in reverse order.
/// <list type="number">
/// <item>storage: KMS key + bucket (versioning, SSE-KMS, public access block, TLS-only policy, lifecycle, tags): StorageReady</item>
/// <item>artifact: verify the SHA-256 while streaming from the platform bucket, copy into the project bucket: ArtifactVerified</item>
/// <item>database: Aurora PostgreSQL Serverless v2: DatabaseReady; may add sealed settings and role statements</item>
/// <item>execution role: least-privilege role for the functions (no condition of its own)</item>
/// <item>API-key staging: new keys of a new deployment staged (encrypted) in the Secret; the accepted set for the functions</item>
/// <item>access: signing key, access function + Function URL (IAM auth), @openkbs/auth layer (no condition; docs/access.md)</item>
/// <item>audit: spec.audit: creates the version's AuditRun (createRuns) and says whether the artifact may be deployed: Audited</item>
/// <item>functions: Lambda functions from the verified artifact: FunctionsReady</item>
/// <item>API keys: hand the staged keys over, then revoke old ones: KeysRotated</item>
/// <item>CDN: CloudFront with origin access control: CdnReady</item>
/// <item>schedules: EventBridge Scheduler: SchedulesReady</item>
/// <item>usage: CloudWatch consumption on a slow interval (no condition)</item>
/// </list>
/// </summary>
internal sealed class ProjectSteps(
    StorageStep storage,
    ArtifactStep artifact,
    DatabaseStep database,
    ExecutionRoleStep executionRole,
    ApiKeyStagingStep keyStaging,
    AccessStep access,
    AuditStep audit,
    FunctionsStep functions,
    ApiKeysStep apiKeys,
    CdnStep cdn,
    SchedulesStep schedules,
    UsageStep usage)
{
    /// <summary>The steps in recipe order.</summary>
    public IReadOnlyList<IProjectStep> Ordered { get; } = [storage, artifact, database, executionRole, keyStaging, access, audit, functions, apiKeys, cdn, schedules, usage];
}
