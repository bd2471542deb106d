#!/usr/bin/env bash
# Runs every fuzz target of the module for a short while each, so CI
# explores a little beyond the seed corpora that `go test` already runs.
# FUZZTIME sets the time per target (default 5s). New inputs that fail are
# written to the package's testdata/fuzz/<target>/ by go test; commit them
# as regression seeds once the bug is fixed.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-5s}

found=0
for pkg in $($GO list ./...); do
	dir=$($GO list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		found=1
		echo "fuzz: $pkg $target for $FUZZTIME"
		log=$(mktemp)
		if ! $GO test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1 | tee "$log"; then
			# go test -fuzz can end with "context deadline exceeded" when
			# the time runs out while a worker is busy, without any failing
			# input. Only a written failing input is a finding.
			if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
				echo "fuzz: $pkg $target stopped at its deadline without a failing input; not a finding"
			else
				rm -f "$log"
				exit 1
			fi
		fi
		rm -f "$log"
	done
done
if [ "$found" = 0 ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi
