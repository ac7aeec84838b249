#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine (as root, no stdin) and prints "N passed, N failed[, N skipped]" last.
# Installs what the tests need first; see scripts/setup.sh.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build Lineage.sln -c Release -warnaserror --nologo -v quiet
build_status=$?
if [ $build_status -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Lineage.sln -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=lineage" --logger "console;verbosity=normal" \
  --results-directory "$results" -- xUnit.MaxParallelThreads=2
test_status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed); to=$(get timeout); ab=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${to:-0} + ${ab:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done

if [ $files -eq 0 ] || { [ $test_status -ne 0 ] && [ $failed -eq 0 ]; }; then
  # The runner failed without reporting a failed test (crash, no results): count that as a failure.
  failed=$((failed + 1))
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ $failed -eq 0 ] && [ $test_status -eq 0 ]
