using System.Text.Json;
using k8s;
using Npgsql;
using OpenKbs.Api.V1Alpha1;
using OpenKbs.AuditTrail;
using OpenKbs.Aws.Audit;

namespace OpenKbs.Operator.Nis2;

/// <summary>What the audit store says about a namespace: the whole chain's verification and the namespace's records.</summary>
internal sealed record AuditTrailEvidence
{
    /// <summary>No store was given (no connection string): nothing about the trail can be said.</summary>
    public static AuditTrailEvidence NotConfigured { get; } = new() { Configured = false };

    public bool Configured { get; init; } = true;

    /// <summary>Why the store could not be read, when it could not.</summary>
    public string? Error { get; init; }

    public AuditChainReport? Chain { get; init; }

    public long Records { get; init; }

    public long Failures { get; init; }

    /// <summary>Mutations recorded as sent whose outcome is still unknown (a crash between recording and sending).</summary>
    public long Unknown { get; init; }

    public DateTimeOffset? First { get; init; }

    public DateTimeOffset? Last { get; init; }

    public int? RetentionDays { get; init; }

    /// <summary>The namespace's NIS2 Art. 23 incident records (open and closed), oldest first.</summary>
    public IReadOnlyList<Incident> Incidents { get; init; } = [];
}

/// <summary>
/// Everything the NIS2 report is built from, read at one moment: the namespace's ClientAccounts, Projects, AuditRuns and
/// AccountTransfers as the operator last recorded them in their status, what AWS says about their resources at that moment
/// (<see cref="Live"/>), and the audit store's chain verification and the namespace's records.
/// </summary>
internal sealed record Nis2Evidence(
    string Namespace,
    IReadOnlyList<ClientAccount> Accounts,
    IReadOnlyList<Project> Projects,
    IReadOnlyList<AuditRun> AuditRuns,
    IReadOnlyList<AccountTransfer> Transfers,
    AuditTrailEvidence AuditTrail)
{
    /// <summary>What AWS said at report time (<see cref="Nis2Live.ReadAsync"/>); by default not read, so every AWS item is "not verified live".</summary>
    public Nis2Live Live { get; init; } = Nis2Live.NotReadAt("AWS was not read");

    /// <summary>Reads the namespace's objects from the API server and, when a connection string is given, the audit store.</summary>
    public static Task<Nis2Evidence> CollectAsync(IKubernetes kubernetes, string @namespace, string? connectionString, CancellationToken cancellationToken) =>
        CollectAsync(kubernetes, @namespace, connectionString, null, cancellationToken);

    /// <summary>As above; the audit chain compared with its checkpoints in <paramref name="anchors"/> (null: reported as not anchored).</summary>
    public static async Task<Nis2Evidence> CollectAsync(
        IKubernetes kubernetes, string @namespace, string? connectionString, IChainAnchorSink? anchors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        return new Nis2Evidence(
            @namespace,
            await ListAsync<ClientAccount>(kubernetes, @namespace, ClientAccount.KubePlural, cancellationToken),
            await ListAsync<Project>(kubernetes, @namespace, Project.KubePlural, cancellationToken),
            await ListAsync<AuditRun>(kubernetes, @namespace, AuditRun.KubePlural, cancellationToken),
            await ListAsync<AccountTransfer>(kubernetes, @namespace, AccountTransfer.KubePlural, cancellationToken),
            string.IsNullOrWhiteSpace(connectionString) ? AuditTrailEvidence.NotConfigured : await ReadTrailAsync(connectionString, @namespace, anchors, cancellationToken));
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(IKubernetes kubernetes, string @namespace, string plural, CancellationToken cancellationToken)
    {
        var list = await kubernetes.CustomObjects.ListNamespacedCustomObjectAsync(
            Api.ApiGroup.Name, Api.ApiGroup.Version, @namespace, plural, cancellationToken: cancellationToken);
        var json = list is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(list);
        var items = KubernetesJson.Deserialize<ItemList<T>>(json).Items ?? [];
        return [.. items];
    }

    private static async Task<AuditTrailEvidence> ReadTrailAsync(string connectionString, string @namespace, IChainAnchorSink? anchors, CancellationToken cancellationToken)
    {
        try
        {
            var chain = await AuditChainVerifier.VerifyAsync(connectionString, cancellationToken);
            try
            {
                await ChainAnchoring.EnsureUsableAsync(anchors, cancellationToken);
                chain = await ChainAnchoring.CheckAsync(connectionString, chain, anchors, cancellationToken);
            }
            catch (Aws.Core.AwsServiceException ex)
            {
                chain = chain with { Anchoring = $"checkpoints unreadable ({ex.ErrorCode}): the chain was not compared with them" };
            }
            catch (AnchorUnusableException ex)
            {
                chain = chain with { Anchoring = $"not anchored: {ex.Message}" };
            }

            await using var source = NpgsqlDataSource.Create(connectionString);
            await using var counts = source.CreateCommand(
                "SELECT count(*), count(*) FILTER (WHERE outcome = 'Failure'), count(*) FILTER (WHERE outcome = 'Unknown'), min(time), max(time) "
                + "FROM openkbs_audit.record WHERE namespace = $1");
            counts.Parameters.Add(new NpgsqlParameter { Value = @namespace });
            await using var reader = await counts.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var evidence = new AuditTrailEvidence
            {
                Chain = chain,
                Records = reader.GetInt64(0),
                Failures = reader.GetInt64(1),
                Unknown = reader.GetInt64(2),
                First = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                Last = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            };
            await reader.CloseAsync();
            await using var retention = source.CreateCommand("SELECT days FROM openkbs_audit.retention WHERE id = 1");
            return evidence with
            {
                RetentionDays = await retention.ExecuteScalarAsync(cancellationToken) is int days ? days : null,
                Incidents = await PostgresIncidentStore.ListAsync(source, @namespace, includeClosed: true, cancellationToken),
            };
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            return new AuditTrailEvidence { Error = ex.Message };
        }
    }

    /// <summary>The items of a list response.</summary>
    private sealed class ItemList<T>
    {
        public IList<T>? Items { get; set; }
    }
}
