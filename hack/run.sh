#!/usr/bin/env bash
# `make run`: the sandbox (Kubernetes-compatible API server + moto behind its AWS proxy) with the operator, the example
# tenant applied, a wait until its ClientAccounts and then (behind a shorter timeout) its other objects are Ready
# (printing what it waits for; objects with a Terminal* reason are reported, not waited for), `kubectl get openkbs -A`,
# each example client's NIS2 verdicts (`openkbs nis2 report`, whole report in STATE/nis2-<namespace>.md),
# then it keeps running until Ctrl-C, which stops the sandbox cleanly (moto included).
#
# Usage: hack/run.sh [path/to/openkbs.dll] [state-dir]
# Environment: OPENKBS_READY_TIMEOUT (seconds to wait for the ClientAccounts to be Ready, default 900),
# OPENKBS_OTHERS_TIMEOUT (seconds to wait then for Projects and the rest, default 180), OPENKBS_RUN_ONCE=1 (exit after the
# printed `kubectl get` instead of waiting for Ctrl-C; for CI smoke runs), OPENKBS_AWS_CHAOS (the sandbox's --aws-chaos
# spec for its AWS proxy, e.g. throttle=0.2; by default no faults, see docs/aws-chaos.md)),
# OPENKBS_AUDIT_STORE=off (no durable audit store; by default hack/audit-store.sh starts PostgreSQL in $STATE/postgres
# and the operator records every AWS change there; `openkbs audit verify` then reads it), OPENKBS_ANCHOR_BUCKET (with the
# store: the Object Lock bucket the sandbox creates in the management account, eu-central-1, and the operator anchors the
# audit chains' heads to, default openkbs-audit-anchors; the NIS2 report and `openkbs audit verify` compare the chain with it).
set -euo pipefail

cd "$(dirname "$0")/.."
DLL="${1:-src/OpenKbs.Operator/bin/Debug/net10.0/openkbs.dll}"
STATE="${2:-.sandbox}"
READY_TIMEOUT="${OPENKBS_READY_TIMEOUT:-900}"
OTHERS_TIMEOUT="${OPENKBS_OTHERS_TIMEOUT:-180}"
EXAMPLES="docs/examples"

for tool in dotnet kubectl; do
  command -v "$tool" >/dev/null || { echo "run: '$tool' is not on PATH" >&2; exit 2; }
done
[ -f "$DLL" ] || { echo "run: $DLL not found (run 'make build' first)" >&2; exit 2; }

mkdir -p "$STATE"
rm -f "$STATE/ready"
LOG="$STATE/sandbox.log"
if [ "${OPENKBS_AUDIT_STORE:-on}" != off ]; then
  # Fail closed: never say the audit store is on when it did not start.
  if ! STORE_SETTINGS="$(hack/audit-store.sh start "$STATE/postgres")"; then
    echo "run: the audit store (PostgreSQL) did not start; see the lines above and $STATE/postgres/*.log, or run without it: OPENKBS_AUDIT_STORE=off make run" >&2
    exit 2
  fi
  eval "$STORE_SETTINGS"
  echo "run: audit store on PostgreSQL ($STATE/postgres; openkbs audit verify reads \$OPENKBS_AuditStore__ConnectionString)"
  # The chains' heads anchored outside the database: the sandbox creates the bucket with Object Lock and configures the operator
  # with it (AuditStore:AnchorBucket, AnchorRegion); the operator checks it at start and verifies and anchors every minute here.
  ANCHOR_BUCKET="${OPENKBS_ANCHOR_BUCKET:-openkbs-audit-anchors}"
  export OPENKBS_AuditStore__VerifyInterval="${OPENKBS_AuditStore__VerifyInterval:-00:01:00}"
fi
ANCHOR_ARGS=()
[ -z "${ANCHOR_BUCKET:-}" ] || ANCHOR_ARGS=(--anchor-bucket "$ANCHOR_BUCKET")
echo "run: starting the sandbox with the operator (log: $LOG)"
CHAOS=()
[ -z "${OPENKBS_AWS_CHAOS:-}" ] || CHAOS=(--aws-chaos "$OPENKBS_AWS_CHAOS")
dotnet "$DLL" sandbox --state-dir "$STATE" --with-operator "${CHAOS[@]}" "${ANCHOR_ARGS[@]}" >"$LOG" 2>&1 &
SANDBOX_PID=$!

stop_sandbox() {
  trap - EXIT INT TERM
  if kill -0 "$SANDBOX_PID" 2>/dev/null; then
    echo
    echo "run: stopping the sandbox"
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  [ "${OPENKBS_AUDIT_STORE:-on}" = off ] || hack/audit-store.sh stop "$STATE/postgres"
}
trap stop_sandbox EXIT
trap 'exit 130' INT TERM

deadline=$((SECONDS + 180))
until [ -f "$STATE/ready" ]; do
  if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
    echo "run: the sandbox exited before it was ready:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "run: the sandbox was not ready within 180 s:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  sleep 0.5
done
echo "run: sandbox ready ($(tr '\n' ' ' <"$STATE/ready"))"

KUBECTL=(kubectl --kubeconfig "$STATE/kubeconfig")
if compgen -G "$EXAMPLES/*.yaml" >/dev/null || compgen -G "$EXAMPLES/*.yml" >/dev/null; then
  echo "run: kubectl apply -f $EXAMPLES/"
  "${KUBECTL[@]}" apply -f "$EXAMPLES/"

  # Everything in the openkbs category (ClientAccount, Project, AuditRun, AccountTransfer) should become Ready.
  # ClientAccounts first (the account comes before anything deployed into it), then the rest behind a shorter
  # timeout. An object whose Ready reason is Terminal* will not get there by waiting: it is reported, not waited for.
  mapfile -t OBJECTS < <("${KUBECTL[@]}" get openkbs -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.kind}{"/"}{.metadata.name}{"\n"}{end}')
  ACCOUNTS=()
  OTHERS=()
  for entry in "${OBJECTS[@]}"; do
    [ -n "$entry" ] || continue
    case "${entry#* }" in
      ClientAccount/*) ACCOUNTS+=("$entry") ;;
      *) OTHERS+=("$entry") ;;
    esac
  done

  # wait_ready LABEL TIMEOUT ENTRY...: polls every 5 s until every entry is Ready=True or terminal, or TIMEOUT
  # seconds pass; prints what it waits for. Returns 0 when all are Ready, 1 otherwise (never fails the script).
  wait_ready() {
    local label="$1" timeout="$2"
    shift 2
    local entries=("$@") deadline entry ns obj state status rest reason message line
    deadline=$((SECONDS + timeout))
    [ "${#entries[@]}" -gt 0 ] || return 0
    echo "run: waiting up to ${timeout}s for condition Ready on ${#entries[@]} ${label}"
    while :; do
      pending=()
      terminal=()
      for entry in "${entries[@]}"; do
        ns="${entry%% *}"
        obj="${entry#* }"
        state=$("${KUBECTL[@]}" get "$obj" -n "$ns" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Ready")].reason}|{.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null || echo "||not found")
        status="${state%%|*}"
        [ "$status" = "True" ] && continue
        rest="${state#*|}"
        reason="${rest%%|*}"
        message="${rest#*|}"
        line="$ns/$obj (Ready=${status:-unknown}${reason:+, $reason}${message:+: $message})"
        case "$reason" in
          Terminal*) terminal+=("$line") ;;
          *) pending+=("$line") ;;
        esac
      done
      if [ "${#pending[@]}" -eq 0 ]; then
        if [ "${#terminal[@]}" -eq 0 ]; then
          echo "run: all ${label} are Ready"
          return 0
        fi
        echo "run: not waiting for ${label} with a terminal condition (waiting will not help: fix the cause the message names):"
        printf '  %s\n' "${terminal[@]}"
        return 1
      fi
      if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
        echo "run: the sandbox stopped:" >&2
        tail -n 40 "$LOG" >&2
        exit 1
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "run: stopped waiting for ${label} after ${timeout}s; not Ready yet (the operator keeps working on them):"
        printf '  %s\n' "${pending[@]}" "${terminal[@]}"
        return 1
      fi
      echo "run: [$(date +%H:%M:%S)] waiting for:"
      printf '  %s\n' "${pending[@]}" "${terminal[@]}"
      sleep 5
    done
  }

  accounts_ready=0
  wait_ready "ClientAccount(s)" "$READY_TIMEOUT" "${ACCOUNTS[@]}" && accounts_ready=1
  if [ "${#OTHERS[@]}" -gt 0 ]; then
    if [ "$accounts_ready" -eq 1 ]; then
      wait_ready "other object(s) (Projects, ...)" "$OTHERS_TIMEOUT" "${OTHERS[@]}" || {
        echo "run: the ClientAccount(s) are Ready; the objects above are not (yet). The sandbox keeps running and the"
        echo "     operator keeps reconciling them: watch with 'kubectl get openkbs -A -w', details with 'kubectl describe'."
      }
    else
      echo "run: not waiting for ${#OTHERS[@]} other object(s): their ClientAccount is not Ready"
    fi
  fi
else
  echo "run: no manifests in $EXAMPLES/ yet; nothing to apply"
fi

echo
echo "run: kubectl get openkbs -A"
"${KUBECTL[@]}" get openkbs -A
echo
# The NIS2 Art. 21 evidence of each example client (docs/nis2.md): cluster, audit store and AWS read live at this moment.
if [ "${OPENKBS_AUDIT_STORE:-on}" != off ]; then
  # The audit trail's hash chain, and (with the anchor bucket) the chain against its newest checkpoints outside the database.
  echo "run: openkbs audit verify ${ANCHOR_ARGS[*]}"
  (set -a; . "$STATE/aws.env"; set +a; dotnet "$DLL" audit verify "${ANCHOR_ARGS[@]}" 2>&1) | sed 's/^/  /' || true
  echo
fi
for ns in $("${KUBECTL[@]}" get clientaccounts -A -o jsonpath='{.items[*].metadata.namespace}'); do
  if (set -a; . "$STATE/aws.env"; set +a; dotnet "$DLL" nis2 report --namespace "$ns" --kubeconfig "$STATE/kubeconfig" "${ANCHOR_ARGS[@]}" -o "$STATE/nis2-$ns.md") >"$STATE/nis2-$ns.log" 2>&1; then
    echo "run: openkbs nis2 report --namespace $ns (whole report: $STATE/nis2-$ns.md)"
    sed -n '/^| Measure/,/^$/p' "$STATE/nis2-$ns.md"
  else
    echo "run: openkbs nis2 report --namespace $ns failed (see $STATE/nis2-$ns.log)"
  fi
done
echo "run: the sandbox keeps running. Use it with:"
STATE_ABS="$(cd "$STATE" && pwd)"
echo "  export KUBECONFIG=$STATE_ABS/kubeconfig; source $STATE_ABS/aws.env"
if [ "${OPENKBS_RUN_ONCE:-}" = "1" ]; then
  exit 0
fi
echo "run: press Ctrl-C to stop."
wait "$SANDBOX_PID"
