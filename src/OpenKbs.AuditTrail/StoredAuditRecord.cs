using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using OpenKbs.Aws.Audit;

namespace OpenKbs.AuditTrail;

/// <summary>
/// One row of the durable journal: an <see cref="AuditRecord"/> plus its place in the chain (sequence, the record it resolves,
/// the previous record's hash and its own). <see cref="ComputeHash"/> is SHA-256 over <see cref="Canonical"/>, a JSON array of
/// every field in a fixed order (details sorted by name, times in UTC with microseconds, hashes in hex) ending with the
/// previous hash: changing, removing or reordering any record breaks the chain from there on.
/// </summary>
public sealed record StoredAuditRecord
{
    /// <summary>The hash the first record chains to.</summary>
    public static readonly byte[] GenesisHash = new byte[32];

    private const string Format = "openkbs-audit/v1";

    public required long Sequence { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Action { get; init; }

    public string? Resource { get; init; }

    public required string Controller { get; init; }

    public required string Namespace { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }

    public string? Uid { get; init; }

    public string? SpecManager { get; init; }

    public DateTimeOffset? SpecChangedAt { get; init; }

    public required string OperatorIdentity { get; init; }

    public required IReadOnlyDictionary<string, string> Details { get; init; }

    public required string SourceIp { get; init; }

    public string? AccountId { get; init; }

    public required string Region { get; init; }

    public required string Outcome { get; init; }

    public string? ErrorCode { get; init; }

    public string? RequestId { get; init; }

    public int Attempts { get; init; }

    /// <summary>The pending record this one resolves (outcome records); null for intents and refusals.</summary>
    public long? RefersTo { get; init; }

    public required byte[] PreviousHash { get; init; }

    public byte[] Hash { get; init; } = [];

    /// <summary>The row for <paramref name="record"/> at <paramref name="sequence"/>, chained to <paramref name="previousHash"/>, hash computed.</summary>
    public static StoredAuditRecord From(AuditRecord record, long sequence, long? refersTo, byte[] previousHash, string operatorIdentity)
    {
        ArgumentNullException.ThrowIfNull(record);
        var row = new StoredAuditRecord
        {
            Sequence = sequence,
            Time = Microseconds(record.Time),
            Action = record.Action,
            Resource = record.Resource,
            Controller = record.Actor.Controller,
            Namespace = record.Actor.Namespace,
            Kind = record.Actor.Kind,
            Name = record.Actor.Name,
            Uid = record.Actor.Uid,
            SpecManager = record.Actor.SpecManager,
            SpecChangedAt = record.Actor.SpecChangedAt is { } changed ? Microseconds(changed) : null,
            OperatorIdentity = operatorIdentity,
            Details = new SortedDictionary<string, string>(record.Details.ToDictionary(), StringComparer.Ordinal),
            SourceIp = record.SourceIp,
            AccountId = record.AccountId,
            Region = record.Region,
            Outcome = record.Outcome,
            ErrorCode = record.ErrorCode,
            RequestId = record.RequestId,
            Attempts = record.Attempts,
            RefersTo = refersTo,
            PreviousHash = previousHash,
        };
        return row with { Hash = row.ComputeHash() };
    }

    /// <summary>The canonical encoding the hash covers.</summary>
    public byte[] Canonical()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(Format);
            json.WriteNumberValue(Sequence);
            json.WriteStringValue(Text(Time));
            json.WriteStringValue(Action);
            WriteOptional(json, Resource);
            json.WriteStringValue(Controller);
            json.WriteStringValue(Namespace);
            json.WriteStringValue(Kind);
            json.WriteStringValue(Name);
            WriteOptional(json, Uid);
            WriteOptional(json, SpecManager);
            WriteOptional(json, SpecChangedAt is { } changed ? Text(changed) : null);
            json.WriteStringValue(OperatorIdentity);
            json.WriteStartObject();
            foreach (var (key, value) in Details.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStringValue(SourceIp);
            WriteOptional(json, AccountId);
            json.WriteStringValue(Region);
            json.WriteStringValue(Outcome);
            WriteOptional(json, ErrorCode);
            WriteOptional(json, RequestId);
            json.WriteNumberValue(Attempts);
            if (RefersTo is { } refersTo)
            {
                json.WriteNumberValue(refersTo);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteStringValue(Convert.ToHexStringLower(PreviousHash));
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    public byte[] ComputeHash() => SHA256.HashData(Canonical());

    /// <summary>PostgreSQL keeps microseconds; the hash covers what is stored.</summary>
    internal static DateTimeOffset Microseconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }
}
