using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace OpenKbs.AuditTrail;

/// <summary>
/// The store's schema, applied by the store itself at start (with the owner's connection): numbered migrations recorded in
/// <c>openkbs_audit.schema_version</c>, each applied once in its own transaction under an advisory lock, so replicas
/// starting together do not race. Append-only is enforced by the database: triggers refuse UPDATE, DELETE and TRUNCATE (for
/// every role, the owner included); the only deletion path is <c>openkbs_audit.purge_expired()</c>, which removes records
/// older than the retention and notes what it removed in <c>purge_log</c>. Migration 2 adds <c>usage</c>, the daily consumption
/// figures per project (<see cref="PostgresUsageLedger"/>): not part of the chain; a day's value may be replaced by a later
/// reading until it is <see cref="UsageSettleDays"/> days old, never re-attributed; rows are deleted only by the same purge,
/// by whole months once a month's last day is older than the retention (noted in <c>usage_purge_log</c>). Migration 3 adds the
/// NIS2 Art. 23 incident records (<c>incident</c>, one row per opened incident, and <c>incident_change</c>, at most one
/// acknowledgement and one closing per incident) and <c>report_seal</c> (the SHA-256 of every NIS2 report written), all
/// append-only for every role and never purged (<see cref="PostgresIncidentStore"/>). Migration 4 adds the notification outbox
/// (<see cref="IncidentOutbox"/>: <c>incident_notification</c>, written with the incident or change it announces, and
/// <c>incident_delivery</c>, its delivery or giving up), append-only and never purged. Migration 5 hash-chains the incident rows
/// (<see cref="IncidentChain"/>: <c>chain_seq</c>, <c>prev_hash</c>, <c>hash</c> on <c>incident</c> and <c>incident_change</c>).
/// Migration 6 adds <c>incident_attempt</c>: one row per failed webhook attempt of a notification (its number, the problem, when the
/// next is due), append-only, so the retry count and backoff of <see cref="IncidentWebhook"/> survive a restart. Migration 7 lets
/// <c>incident_change</c> hold <c>CauseCleared</c> (the operator saw the cause gone; at most one per incident, a link of the incident
/// chain like the others) and the outbox its notification <c>cause-cleared</c>.
/// </summary>
internal static partial class AuditSchema
{
    /// <summary>The advisory lock key every chain append (and the purge) holds: one writer at a time, across processes.</summary>
    public const long ChainLockKey = 0x6F6B_6273_6175_6474; // "okbsaudt"

    private const long MigrationLockKey = ChainLockKey + 1;

    /// <summary>The advisory lock key an incident opening holds: the check for an open incident of the same cause and the insert are one step.</summary>
    public const long IncidentLockKey = ChainLockKey + 2;

    /// <summary>
    /// The class of the writers' liveness locks: each journal holds <c>pg_advisory_lock(WriterLockClass, writer)</c> on a
    /// connection of its own for as long as it lives (the two-key lock space does not overlap the one-key space above).
    /// </summary>
    public const int WriterLockClass = 0x6F6B_6177; // "okaw"

    /// <summary>
    /// Days after which a usage figure is settled: CloudWatch has long published its final value, and the database refuses to
    /// change it (the ledger's upsert leaves it alone).
    /// </summary>
    public const int UsageSettleDays = 35;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE openkbs_audit.record (
            seq bigint PRIMARY KEY CHECK (seq > 0),
            time timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            action text NOT NULL,
            resource text,
            controller text NOT NULL,
            namespace text NOT NULL,
            kind text NOT NULL,
            name text NOT NULL,
            uid text,
            spec_manager text,
            spec_changed_at timestamptz,
            operator_identity text NOT NULL,
            details jsonb NOT NULL,
            source_ip text NOT NULL,
            account_id text,
            region text NOT NULL,
            outcome text NOT NULL,
            error_code text,
            request_id text,
            attempts integer NOT NULL,
            refers_to bigint,
            writer integer NOT NULL,
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL UNIQUE);
        CREATE INDEX record_namespace_time ON openkbs_audit.record (namespace, time);
        CREATE INDEX record_refers_to ON openkbs_audit.record (refers_to) WHERE refers_to IS NOT NULL;
        CREATE INDEX record_pending ON openkbs_audit.record (seq) WHERE outcome = 'Pending';

        CREATE TABLE openkbs_audit.retention (id integer PRIMARY KEY CHECK (id = 1), days integer NOT NULL CHECK (days >= 1));
        CREATE TABLE openkbs_audit.purge_log (
            purged_through bigint NOT NULL, purged_count bigint NOT NULL, purged_at timestamptz NOT NULL DEFAULT clock_timestamp());

        CREATE FUNCTION openkbs_audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'record' AND current_setting('openkbs_audit.purging', true) = 'on'
               AND OLD.recorded_at < clock_timestamp() - make_interval(days => (SELECT days FROM openkbs_audit.retention WHERE id = 1)) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'the OpenKBS audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE FUNCTION openkbs_audit.refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the OpenKBS audit trail is append-only: TRUNCATE on % refused', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER record_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.record
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON openkbs_audit.record
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        CREATE TRIGGER purge_log_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.purge_log
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER purge_log_no_truncate BEFORE TRUNCATE ON openkbs_audit.purge_log
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();

        CREATE FUNCTION openkbs_audit.purge_expired() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = openkbs_audit, pg_temp AS $$
        DECLARE
            through bigint;
            removed bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(8028619008413885556);
            SELECT max(seq) INTO through FROM openkbs_audit.record
                WHERE recorded_at < clock_timestamp() - make_interval(days => (SELECT days FROM openkbs_audit.retention WHERE id = 1));
            IF through IS NULL THEN
                RETURN 0;
            END IF;
            PERFORM set_config('openkbs_audit.purging', 'on', true);
            DELETE FROM openkbs_audit.record WHERE seq <= through;
            GET DIAGNOSTICS removed = ROW_COUNT;
            PERFORM set_config('openkbs_audit.purging', 'off', true);
            INSERT INTO openkbs_audit.purge_log (purged_through, purged_count) VALUES (through, removed);
            RETURN removed;
        END $$;
        REVOKE ALL ON FUNCTION openkbs_audit.purge_expired() FROM PUBLIC;
        """,
        """
        CREATE TABLE openkbs_audit.usage (
            namespace text NOT NULL,
            project text NOT NULL,
            period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
            day date NOT NULL,
            kind text NOT NULL,
            resource text NOT NULL,
            metric text NOT NULL,
            value double precision NOT NULL,
            unit text NOT NULL,
            account_id text,
            collected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (namespace, project, day, kind, resource, metric));
        CREATE INDEX usage_namespace_day ON openkbs_audit.usage (namespace, day);
        CREATE TABLE openkbs_audit.usage_purge_log (
            purged_before date NOT NULL, purged_count bigint NOT NULL, purged_at timestamptz NOT NULL DEFAULT clock_timestamp());

        CREATE FUNCTION openkbs_audit.guard_usage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF current_setting('openkbs_audit.purging', true) = 'on' AND OLD.day < date_trunc('month', (clock_timestamp() AT TIME ZONE 'UTC')
                       - make_interval(days => (SELECT days FROM openkbs_audit.retention WHERE id = 1)))::date THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'the OpenKBS usage figures are kept for the retention: DELETE on usage refused'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF (NEW.namespace, NEW.project, NEW.period, NEW.day, NEW.kind, NEW.resource, NEW.metric)
                   IS DISTINCT FROM (OLD.namespace, OLD.project, OLD.period, OLD.day, OLD.kind, OLD.resource, OLD.metric) THEN
                RAISE EXCEPTION 'the OpenKBS usage figures: only a day''s value may be replaced, not what it belongs to'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF OLD.day < (clock_timestamp() AT TIME ZONE 'UTC')::date - SETTLE_DAYS THEN
                RAISE EXCEPTION 'the OpenKBS usage figure of % is settled (older than SETTLE_DAYS days): UPDATE refused', OLD.day
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER usage_guard BEFORE UPDATE OR DELETE ON openkbs_audit.usage
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.guard_usage();
        CREATE TRIGGER usage_no_truncate BEFORE TRUNCATE ON openkbs_audit.usage
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        CREATE TRIGGER usage_purge_log_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.usage_purge_log
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER usage_purge_log_no_truncate BEFORE TRUNCATE ON openkbs_audit.usage_purge_log
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();

        CREATE OR REPLACE FUNCTION openkbs_audit.purge_expired() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = openkbs_audit, pg_temp AS $$
        DECLARE
            through bigint;
            removed bigint := 0;
            before date;
            usage_removed bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(8028619008413885556);
            PERFORM set_config('openkbs_audit.purging', 'on', true);
            SELECT max(seq) INTO through FROM openkbs_audit.record
                WHERE recorded_at < clock_timestamp() - make_interval(days => (SELECT days FROM openkbs_audit.retention WHERE id = 1));
            IF through IS NOT NULL THEN
                DELETE FROM openkbs_audit.record WHERE seq <= through;
                GET DIAGNOSTICS removed = ROW_COUNT;
                INSERT INTO openkbs_audit.purge_log (purged_through, purged_count) VALUES (through, removed);
            END IF;
            -- Usage goes by whole months: a month is removed once its last day is older than the retention.
            before := date_trunc('month', (clock_timestamp() AT TIME ZONE 'UTC')
                - make_interval(days => (SELECT days FROM openkbs_audit.retention WHERE id = 1)))::date;
            DELETE FROM openkbs_audit.usage WHERE day < before;
            GET DIAGNOSTICS usage_removed = ROW_COUNT;
            IF usage_removed > 0 THEN
                INSERT INTO openkbs_audit.usage_purge_log (purged_before, purged_count) VALUES (before, usage_removed);
            END IF;
            PERFORM set_config('openkbs_audit.purging', 'off', true);
            RETURN removed + usage_removed;
        END $$;
        """.Replace("SETTLE_DAYS", UsageSettleDays.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
        """
        CREATE TABLE openkbs_audit.incident (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            namespace text NOT NULL,
            cause text NOT NULL,
            subject text NOT NULL,
            resource text,
            summary text NOT NULL,
            details jsonb NOT NULL,
            detected_at timestamptz NOT NULL,
            opened_by text NOT NULL,
            operator_identity text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX incident_namespace ON openkbs_audit.incident (namespace, cause, subject);
        CREATE TABLE openkbs_audit.incident_change (
            incident bigint NOT NULL REFERENCES openkbs_audit.incident (id),
            action text NOT NULL CHECK (action IN ('Acknowledged', 'Closed')),
            actor text NOT NULL,
            note text,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (incident, action));
        CREATE TABLE openkbs_audit.report_seal (
            sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            namespace text NOT NULL,
            report text NOT NULL,
            format text NOT NULL,
            generated_at timestamptz NOT NULL,
            recorded_by text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (sha256, format));
        CREATE TRIGGER incident_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.incident
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER incident_no_truncate BEFORE TRUNCATE ON openkbs_audit.incident
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        CREATE TRIGGER incident_change_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.incident_change
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER incident_change_no_truncate BEFORE TRUNCATE ON openkbs_audit.incident_change
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        CREATE TRIGGER report_seal_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.report_seal
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER report_seal_no_truncate BEFORE TRUNCATE ON openkbs_audit.report_seal
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        """,
        """
        CREATE TABLE openkbs_audit.incident_notification (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            incident bigint NOT NULL REFERENCES openkbs_audit.incident (id),
            kind text NOT NULL CHECK (kind IN ('opened', 'acknowledged', 'closed') OR kind LIKE 'deadline:%'),
            payload text NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            UNIQUE (incident, kind));
        CREATE TABLE openkbs_audit.incident_delivery (
            notification bigint PRIMARY KEY REFERENCES openkbs_audit.incident_notification (id),
            outcome text NOT NULL CHECK (outcome IN ('Delivered', 'GivenUp')),
            attempts integer NOT NULL,
            problem text,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE TRIGGER incident_notification_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.incident_notification
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER incident_notification_no_truncate BEFORE TRUNCATE ON openkbs_audit.incident_notification
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        CREATE TRIGGER incident_delivery_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.incident_delivery
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER incident_delivery_no_truncate BEFORE TRUNCATE ON openkbs_audit.incident_delivery
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        """,
        """
        ALTER TABLE openkbs_audit.incident ADD COLUMN chain_seq bigint UNIQUE CHECK (chain_seq > 0), ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea UNIQUE;
        ALTER TABLE openkbs_audit.incident_change ADD COLUMN chain_seq bigint UNIQUE CHECK (chain_seq > 0), ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea UNIQUE;
        """,
        """
        CREATE TABLE openkbs_audit.incident_attempt (
            notification bigint NOT NULL REFERENCES openkbs_audit.incident_notification (id),
            attempt integer NOT NULL CHECK (attempt > 0),
            problem text NOT NULL,
            next_at timestamptz NOT NULL,
            recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (notification, attempt));
        CREATE TRIGGER incident_attempt_append_only BEFORE UPDATE OR DELETE ON openkbs_audit.incident_attempt
            FOR EACH ROW EXECUTE FUNCTION openkbs_audit.refuse_change();
        CREATE TRIGGER incident_attempt_no_truncate BEFORE TRUNCATE ON openkbs_audit.incident_attempt
            FOR EACH STATEMENT EXECUTE FUNCTION openkbs_audit.refuse_truncate();
        """,
        """
        ALTER TABLE openkbs_audit.incident_change DROP CONSTRAINT incident_change_action_check,
            ADD CONSTRAINT incident_change_action_check CHECK (action IN ('Acknowledged', 'Closed', 'CauseCleared'));
        ALTER TABLE openkbs_audit.incident_notification DROP CONSTRAINT incident_notification_kind_check,
            ADD CONSTRAINT incident_notification_kind_check CHECK (kind IN ('opened', 'acknowledged', 'closed', 'cause-cleared') OR kind LIKE 'deadline:%');
        """,
    ];

    /// <summary>The newest schema version this code knows.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// Applies the missing migrations, sets the retention (never below what is configured) and grants the operator's role
    /// <paramref name="operatorRole"/> USAGE, SELECT and INSERT only, UPDATE on <c>usage</c> (and <paramref name="maintenanceRole"/> the purge).
    /// </summary>
    public static async Task MigrateAsync(
        NpgsqlConnection connection, int retentionDays, string? operatorRole, string? maintenanceRole, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(connection, "CREATE SCHEMA IF NOT EXISTS openkbs_audit", cancellationToken);
        await ExecuteAsync(
            connection,
            "CREATE TABLE IF NOT EXISTS openkbs_audit.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM openkbs_audit.schema_version", connection))
        {
            var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The audit store's schema is at version {current}, newer than this operator knows ({LatestVersion}); upgrade the operator.");
            }

            for (var version = current + 1; version <= LatestVersion; version++)
            {
                await ExecuteAsync(connection, Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, $"INSERT INTO openkbs_audit.schema_version (version) VALUES ({version})", cancellationToken);
            }
        }

        await using (var retention = new NpgsqlCommand(
            "INSERT INTO openkbs_audit.retention (id, days) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET days = excluded.days", connection))
        {
            retention.Parameters.Add(new NpgsqlParameter<int> { TypedValue = retentionDays });
            await retention.ExecuteNonQueryAsync(cancellationToken);
        }

        if (operatorRole is not null)
        {
            var role = Quote(operatorRole);
            await ExecuteAsync(
                connection,
                $"""
                GRANT USAGE ON SCHEMA openkbs_audit TO {role};
                GRANT SELECT, INSERT ON openkbs_audit.record TO {role};
                GRANT SELECT ON openkbs_audit.schema_version, openkbs_audit.retention, openkbs_audit.purge_log, openkbs_audit.usage_purge_log TO {role};
                GRANT SELECT, INSERT, UPDATE ON openkbs_audit.usage TO {role};
                GRANT SELECT, INSERT ON openkbs_audit.incident, openkbs_audit.incident_change, openkbs_audit.report_seal TO {role};
                GRANT SELECT, INSERT ON openkbs_audit.incident_notification, openkbs_audit.incident_delivery, openkbs_audit.incident_attempt TO {role};
                GRANT USAGE ON SEQUENCE openkbs_audit.incident_id_seq TO {role};
                """,
                cancellationToken);
        }

        if (maintenanceRole is not null)
        {
            await ExecuteAsync(connection, $"GRANT EXECUTE ON FUNCTION openkbs_audit.purge_expired() TO {Quote(maintenanceRole)}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The schema version the store is at (0 when not created), read with the operator's own connection.</summary>
    public static async Task<int> VersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('openkbs_audit.schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM openkbs_audit.schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static bool IsPlainIdentifier(string name) => PlainIdentifier().IsMatch(name);

    private static string Quote(string role) =>
        IsPlainIdentifier(role) ? $"\"{role}\"" : throw new ArgumentException($"'{role}' is not a plain role name", nameof(role));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex PlainIdentifier();
}
