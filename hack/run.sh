#!/usr/bin/env bash
# `make run`: the sandbox (Kubernetes-compatible API server + moto) with the operator in-process, the example
# tenant applied, a wait until its objects are Ready (printing what it waits for), `kubectl get openkbs -A`,
# then it keeps running until Ctrl-C, which stops the sandbox cleanly (moto included).
#
# Usage: hack/run.sh [path/to/openkbs.dll] [state-dir]
# Environment: OPENKBS_READY_TIMEOUT (seconds to wait for Ready, default 900), OPENKBS_RUN_ONCE=1 (exit after the
# printed `kubectl get` instead of waiting for Ctrl-C; for CI smoke runs).
set -euo pipefail

cd "$(dirname "$0")/.."
DLL="${1:-src/OpenKbs.Operator/bin/Debug/net10.0/openkbs.dll}"
STATE="${2:-.sandbox}"
READY_TIMEOUT="${OPENKBS_READY_TIMEOUT:-900}"
EXAMPLES="docs/examples"

for tool in dotnet kubectl; do
  command -v "$tool" >/dev/null || { echo "run: '$tool' is not on PATH" >&2; exit 2; }
done
[ -f "$DLL" ] || { echo "run: $DLL not found (run 'make build' first)" >&2; exit 2; }

mkdir -p "$STATE"
rm -f "$STATE/ready"
LOG="$STATE/sandbox.log"
echo "run: starting the sandbox with the operator (log: $LOG)"
dotnet "$DLL" sandbox --state-dir "$STATE" --with-operator >"$LOG" 2>&1 &
SANDBOX_PID=$!

stop_sandbox() {
  trap - EXIT INT TERM
  if kill -0 "$SANDBOX_PID" 2>/dev/null; then
    echo
    echo "run: stopping the sandbox"
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
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

  # Everything in the openkbs category (ClientAccount, Project, AuditRun, AccountTransfer) must become Ready.
  mapfile -t OBJECTS < <("${KUBECTL[@]}" get openkbs -A -o jsonpath='{range .items[*]}{.metadata.namespace}{" "}{.kind}{"/"}{.metadata.name}{"\n"}{end}')
  echo "run: waiting up to ${READY_TIMEOUT}s for condition Ready on ${#OBJECTS[@]} object(s)"
  deadline=$((SECONDS + READY_TIMEOUT))
  while :; do
    pending=()
    for entry in "${OBJECTS[@]}"; do
      [ -n "$entry" ] || continue
      ns="${entry%% *}"
      obj="${entry#* }"
      state=$("${KUBECTL[@]}" get "$obj" -n "$ns" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Ready")].reason}|{.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null || echo "||not found")
      status="${state%%|*}"
      if [ "$status" != "True" ]; then
        rest="${state#*|}"
        reason="${rest%%|*}"
        message="${rest#*|}"
        pending+=("$ns/$obj (Ready=${status:-unknown}${reason:+, $reason}${message:+: $message})")
      fi
    done
    if [ "${#pending[@]}" -eq 0 ]; then
      echo "run: all objects are Ready"
      break
    fi
    if ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
      echo "run: the sandbox stopped:" >&2
      tail -n 40 "$LOG" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run: gave up waiting after ${READY_TIMEOUT}s; still not Ready:"
      printf '  %s\n' "${pending[@]}"
      break
    fi
    echo "run: [$(date +%H:%M:%S)] waiting for:"
    printf '  %s\n' "${pending[@]}"
    sleep 5
  done
else
  echo "run: no manifests in $EXAMPLES/ yet; nothing to apply"
fi

echo
echo "run: kubectl get openkbs -A"
"${KUBECTL[@]}" get openkbs -A
echo
echo "run: the sandbox keeps running. Use it with:"
STATE_ABS="$(cd "$STATE" && pwd)"
echo "  export KUBECONFIG=$STATE_ABS/kubeconfig; source $STATE_ABS/aws.env"
if [ "${OPENKBS_RUN_ONCE:-}" = "1" ]; then
  exit 0
fi
echo "run: press Ctrl-C to stop."
wait "$SANDBOX_PID"
