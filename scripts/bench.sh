#!/usr/bin/env bash
# Run mailbot's end-to-end benchmarks on a private Dovecot and Postfix on
# 127.0.0.1 (see bench/main.go), then the Go micro-benchmarks.
#
#   scripts/bench.sh            full run, about 15 minutes on 2 cores
#   BENCH_N=200 BENCH_RUNS=1 BENCH_LATENCY_SECS=10 BENCH_SCALE_SIZES=1000,10000 scripts/bench.sh
#
# Results go to bench-results.json (BENCH_OUT) and bench-go.txt. Set
# BENCH_GO=0 to skip the Go benchmarks. Requires root, as the servers do.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $(id -u) -eq 0 ]] || { echo "bench: must run as root: Postfix's master process needs root" >&2; exit 1; }

go run ./bench

if [[ ${BENCH_GO:-1} != 0 ]]; then
	echo "bench: Go benchmarks (go test -bench), output in bench-go.txt" >&2
	go test -run '^$' -bench . -benchmem -count "${BENCH_COUNT:-3}" \
		./parse/ ./rules/ ./mailbot/ ./store/ | tee bench-go.txt
fi
