#!/usr/bin/env bash
# The durable audit store for `make run`: a local PostgreSQL 15 cluster in a state directory (kept between runs, like the
# audit trail it holds), loopback only, trust authentication. Run as root, the cluster belongs to the postgres user.
#
# Usage: hack/audit-store.sh start DIR   -> starts it (initdb on first use) and prints the operator's settings as `export` lines
#        hack/audit-store.sh stop DIR
# Environment: OPENKBS_PG_BIN (default /usr/lib/postgresql/15/bin), OPENKBS_AUDIT_PORT (default 55432).
set -euo pipefail

ACTION="${1:?usage: audit-store.sh start|stop DIR}"
DIR="$(mkdir -p "${2:?usage: audit-store.sh start|stop DIR}" && cd "$2" && pwd)"
BIN="${OPENKBS_PG_BIN:-/usr/lib/postgresql/15/bin}"
PORT="${OPENKBS_AUDIT_PORT:-55432}"

# Run as root, the cluster belongs to the postgres user, who must be able to reach DIR. A checkout below a directory only
# its owner may enter (e.g. one made by mktemp -d) would make initdb fail: the cluster then lives in /var/tmp instead.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
  ALT="/var/tmp/openkbs-audit-$(printf %s "$DIR" | sha256sum | cut -c1-12)"
  [ "$ACTION" = start ] && echo "audit-store: the postgres user cannot reach $DIR (a parent directory is closed to others); the cluster lives in $ALT" >&2
  mkdir -p "$ALT"
  DIR="$ALT"
fi

pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/$1" "${@:2}"; else "$BIN/$1" "${@:2}"; fi
}

case "$ACTION" in
  start)
    [ -x "$BIN/initdb" ] || { echo "audit-store: PostgreSQL binaries not found in $BIN" >&2; exit 2; }
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      pg initdb -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-instructions >"$DIR/initdb.log"
    fi
    pg pg_ctl -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" start >/dev/null
    psql=(-h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
    pg psql "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'openkbs_audit'" | grep -q 1 \
      || pg psql "${psql[@]}" -d postgres -c "CREATE DATABASE openkbs_audit" >/dev/null
    pg psql "${psql[@]}" -d postgres -c "DO \$\$ BEGIN CREATE ROLE openkbs_operator LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
    # The operator's role may only INSERT and SELECT (granted by the operator's own migration, run as the owner).
    echo "export OPENKBS_AuditStore__ConnectionString='Host=127.0.0.1;Port=$PORT;Username=openkbs_operator;Database=openkbs_audit'"
    echo "export OPENKBS_AuditStore__MigrationConnectionString='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=openkbs_audit'"
    ;;
  stop)
    [ -f "$DIR/data/postmaster.pid" ] && pg pg_ctl -D "$DIR/data" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: audit-store.sh start|stop DIR" >&2; exit 2 ;;
esac
