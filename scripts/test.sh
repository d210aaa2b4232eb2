#!/usr/bin/env bash
# `npm test`: everything that checks berth, in order.
#   as root:        host setup, npm ci (when needed), build, lint, typecheck, unit and integration tests
#   as a normal user: no host changes; build, lint, typecheck, unit tests, and the integration tests
#                   only when scripts/setup-host.sh --check-self says the host is ready
# Every step runs even after an earlier one failed (except when there is nothing to run with), so
# one report shows all problems. Exits non-zero if anything failed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo" || exit 1

results=()     # "step: ok|FAILED|skipped (why)"
failed=0
# Not named berth-test-*: that prefix marks test stores, which the leak check looks for.
report_dir=$(mktemp -d "${TMPDIR:-/tmp}/berth-npm-test-report.XXXXXX")
trap 'rm -rf "$report_dir"' EXIT

banner() { printf '\n=== %s ===\n' "$*"; }
record() { results+=("$1: $2"); }

# Run a step, recording its outcome.
step() {
  local name=$1
  shift
  banner "$name: $*"
  if "$@"; then
    record "$name" ok
    return 0
  fi
  record "$name" FAILED
  failed=1
  return 1
}

finish() {
  banner summary
  local r counts
  for r in "${results[@]}"; do printf '  %s\n' "$r"; done
  if [ "$failed" != 0 ]; then echo "npm test: FAILED"; else echo "npm test: all steps passed"; fi
  # Test counts from vitest's JSON reports, as the plain closing line CI reads.
  counts=$(node -e '
    const fs = require("fs");
    let p = 0, f = 0, s = 0;
    for (const file of process.argv.slice(1)) {
      if (!fs.existsSync(file)) continue;
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + r.numTodoTests;
      // A file that failed to load counts as a failure even though it ran no test.
      f += (r.testResults || []).filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
    }
    console.log(`tests: ${p} passed, ${f} failed, ${s} skipped`);
  ' "$report_dir/unit.json" "$report_dir/integration.json") || counts="tests: 0 passed, 1 failed"
  echo "$counts"
  [ "$failed" = 0 ] || exit 1
  exit 0
}

vitest_project() {
  local project=$1
  npx vitest run --project "$project" --reporter=default --reporter=json \
    --outputFile.json="$report_dir/$project.json"
}

needs_npm_ci() {
  [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]
}

is_root=0
[ "$(id -u)" = 0 ] && is_root=1
integration_ok=1
integration_why=

if [ "$is_root" = 1 ]; then
  if ! step setup-host bash scripts/setup-host.sh; then
    integration_ok=0
    integration_why="host setup failed"
  fi
else
  banner "host check (not root: changing nothing)"
  if bash scripts/setup-host.sh --check-self; then
    record host-check ok
  else
    integration_ok=0
    integration_why="the host is not ready (see the list above; 'sudo scripts/setup-host.sh' fixes it)"
    record host-check "not ready: integration tests will be skipped"
  fi
fi

# npm ci refuses a lock file that is out of step with package.json; then install without
# rewriting either (--no-save), say so, and go on: the tests matter more than the lock file here.
install_deps() {
  npm ci --no-audit --no-fund && return 0
  echo "test.sh: WARNING: npm ci failed; trying npm install --no-save (is package-lock.json in sync?)" >&2
  npm install --no-save --no-audit --no-fund
}

if needs_npm_ci; then
  step npm-ci install_deps || finish
else
  record npm-ci "skipped (node_modules is up to date)"
fi

# A failed build already fails the run; the integration tests still run, to show what else broke.
step build npm run build
step lint npm run lint
step typecheck npm run typecheck
step unit-tests vitest_project unit

if [ "$integration_ok" = 1 ]; then
  step integration-tests vitest_project integration
else
  banner "integration tests: SKIPPED"
  echo "integration tests skipped: $integration_why"
  record integration-tests "SKIPPED ($integration_why)"
  # As root, not running them is a failure: root can always set the host up.
  if [ "$is_root" = 1 ]; then failed=1; fi
fi

finish
