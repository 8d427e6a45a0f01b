using OpenKbs.Audit.Artifacts;
using OpenKbs.Audit.Findings;

namespace OpenKbs.Audit.Infrastructure;

/// <summary>
/// The <c>infrastructure</c> check: the rules of <see cref="InfrastructureRules"/> on a snapshot of the project's live AWS
/// configuration. It never reads AWS itself (the AuditRun controller's collector reads it, read-only, through the client
/// account's 900 s session; the command line takes a snapshot file), so the check stays as pure as the others: no network, no
/// credentials. A snapshot with gaps (something the collector could not read) or an unreadable policy makes the check
/// incomplete: the findings so far are kept and the run fails closed unless the policy allows incomplete runs.
/// </summary>
public sealed class InfrastructureAnalyzer(InfrastructureSnapshot snapshot) : IAnalyzer, IAnalyzerProvenance
{
    public const string AnalyzerName = "infrastructure";

    public string Name => AnalyzerName;

    public InfrastructureSnapshot Snapshot { get; } = snapshot ?? throw new ArgumentNullException(nameof(snapshot));

    /// <summary>Which configuration was read: account, region, the snapshot's SHA-256 and what it held.</summary>
    public string Provenance =>
        $"live configuration of account {Snapshot.AccountId} in {Snapshot.Region}{(Snapshot.Subject is null ? string.Empty : $" ({Snapshot.Subject})")}: "
        + $"{Snapshot.Roles.Count} role(s), {Snapshot.Buckets.Count} bucket(s), {Snapshot.Functions.Count} function(s), {Snapshot.Distributions.Count} distribution(s), "
        + $"{Snapshot.Databases.Count} database(s), {Snapshot.Keys.Count} key(s), region guard {(Snapshot.RegionGuard is null ? "not read" : "read")}; snapshot sha256 {Snapshot.Sha256()}";

    public Task<IReadOnlyList<Finding>> AnalyzeAsync(ArtifactContents artifact, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var problems = new List<string>(Snapshot.Gaps);
        var findings = InfrastructureRules.Evaluate(Snapshot, problems);
        if (problems.Count > 0)
        {
            throw new AnalyzerIncompleteException($"the live configuration was not read completely: {string.Join("; ", problems)}", findings);
        }

        return Task.FromResult(findings);
    }
}
