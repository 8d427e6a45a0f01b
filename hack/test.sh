#!/usr/bin/env bash
# `make test`: runs every test assembly of the solution and, when one fails, prints each failed test's name, message and
# first stack lines again at the very end, so the tail of a long CI log names what failed (the suites finish in any order).
set -uo pipefail
dotnet="${DOTNET:-dotnet}"
log="$(mktemp -t openkbs-test.XXXXXX)"
trap 'rm -f "$log"' EXIT
"$dotnet" test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo
  echo "================ make test failed (exit $status): the failures again ================"
  grep -E "^(Passed|Failed)!|aborted|Test Run Aborted|crashed|error (CS|MSB|NU)[0-9]+" "$log" | sort -u
  # Each failed test: its "  Failed Name [t]" line, its message and the first lines of its stack trace (at most 30 lines).
  awk '/^(Passed|Failed)!/ {n=0} /^  Failed [^ ]/ {n=30} n>0 {print; n--}' "$log" | head -400
fi
exit "$status"
