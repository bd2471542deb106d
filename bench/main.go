// Command bench measures mailbot end to end on a private Dovecot and
// Postfix on 127.0.0.1, started with scripts/mailservers.sh: throughput
// against the raw IMAP and SMTP limits of the same servers in the same
// run, latency with IDLE, and the cost of a large store. Run it through
// scripts/bench.sh (make bench); it needs root, as the servers do.
//
// Environment:
//
//	BENCH_N              mails per throughput run (default 2000)
//	BENCH_RUNS           throughput runs as configured: IT role, digest for batches of new tickets (default 3)
//	BENCH_NOTICE_RUNS    throughput runs with an IT notice per ticket, tickets.digest_min 0 (default 1)
//	BENCH_ACK_RUNS       throughput runs without IT role, acknowledgements only (default 3)
//	BENCH_LATENCY_SECS   length of the latency run, one mail a second (default 60)
//	BENCH_SCALE_SIZES    store sizes for the scale run (default 1000,10000,100000)
//	BENCH_FETCH_BATCH    imap.fetch_batch of mailbot and of the raw fetch (default 100)
//	BENCH_SMTP_PARALLEL  connections of the extra raw SMTP run (default 4, 1 skips it)
//	BENCH_OUT            file for the JSON results (default bench-results.json)
//	BENCH_SKIP           comma-separated parts to skip: throughput, latency, scale
//	BENCH_PROFILE        if set, run mailbot in process with a CPU profile to this file
//	                     in the throughput runs, and report no throughput figures
//	BENCH_KEEP           if set, keep the work directory with logs and stores
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Results is everything one bench run measured.
type Results struct {
	Started    time.Time          `json:"started"`
	Machine    string             `json:"machine"`
	N          int                `json:"n"`
	FetchBatch int                `json:"fetch_batch"`
	Throughput []ThroughputResult `json:"throughput,omitempty"`
	Latency    *LatencyResult     `json:"latency,omitempty"`
	Scale      []ScaleResult      `json:"scale,omitempty"`
}

func main() {
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	n := envInt("BENCH_N", 2000)
	runs := envInt("BENCH_RUNS", 3)
	ackRuns := envInt("BENCH_ACK_RUNS", 3)
	noticeRuns := envInt("BENCH_NOTICE_RUNS", 1)
	latencySecs := envInt("BENCH_LATENCY_SECS", 60)
	batch := envInt("BENCH_FETCH_BATCH", 100)
	sizes, err := envInts("BENCH_SCALE_SIZES", []int{1000, 10000, 100000})
	if err != nil {
		return err
	}
	skip := strings.Split(os.Getenv("BENCH_SKIP"), ",")
	out := os.Getenv("BENCH_OUT")
	if out == "" {
		out = "bench-results.json"
	}

	root, err := moduleRoot()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "mailbot-bench-")
	if err != nil {
		return err
	}
	// Postfix and Dovecot run as their own users and must reach srv/ below.
	if err := os.Chmod(work, 0o755); err != nil {
		return err
	}
	bin := filepath.Join(work, "mailbot")
	if err := buildMailbot(root, bin); err != nil {
		return err
	}
	srv, err := startServers(root, filepath.Join(work, "srv"))
	if err != nil {
		return err
	}
	var stopOnce sync.Once
	stop := func() {
		stopOnce.Do(func() {
			if err := srv.stop(); err != nil {
				log.Print(err)
			}
		})
	}
	defer stop()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		log.Print("interrupted, stopping the mail servers")
		stop()
		os.Exit(1)
	}()

	res := &Results{Started: time.Now().UTC(), Machine: machine(), N: n, FetchBatch: batch}
	b := &bench{srv: srv, bin: bin, work: work, batch: batch, parallel: envInt("BENCH_SMTP_PARALLEL", 4),
		profile: os.Getenv("BENCH_PROFILE")}
	if !slices.Contains(skip, "throughput") {
		var modes []string
		for _, m := range []struct {
			mode string
			runs int
		}{{modeDigest, runs}, {modeNotices, noticeRuns}, {modeAcks, ackRuns}} {
			for range m.runs {
				modes = append(modes, m.mode)
			}
		}
		byMode := map[string][]ThroughputResult{}
		for r, mode := range modes {
			tr, err := b.throughput(r, n, mode)
			if err != nil {
				return fmt.Errorf("throughput run %d: %w", r+1, err)
			}
			res.Throughput = append(res.Throughput, tr)
			log.Printf("throughput run %d: %s", r+1, tr)
			byMode[mode] = append(byMode[mode], tr)
		}
		summarizeThroughput("as configured, IT digest for batches", byMode[modeDigest])
		summarizeThroughput("with an IT notice per ticket", byMode[modeNotices])
		summarizeThroughput("acknowledgements only", byMode[modeAcks])
	}
	if !slices.Contains(skip, "latency") && latencySecs > 0 {
		lr, err := b.latency(latencySecs)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		res.Latency = &lr
		log.Printf("latency: %s", lr)
	}
	if !slices.Contains(skip, "scale") {
		sr, err := b.scale(sizes)
		if err != nil {
			return fmt.Errorf("scale: %w", err)
		}
		res.Scale = sr
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	log.Printf("results written to %s", out)
	stop()
	if os.Getenv("BENCH_KEEP") != "" {
		log.Printf("work directory kept: %s", work)
		return nil
	}
	return os.RemoveAll(work)
}

// bench holds what every part of the run shares.
type bench struct {
	srv      *servers
	bin      string
	work     string
	batch    int
	parallel int    // connections of the parallel raw SMTP run; 1 skips it
	profile  string // CPU profile of an in-process mailbot instead of the binary
}

func envInt(name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		log.Fatalf("invalid %s=%q: want a whole number of 0 or more", name, v)
	}
	return n
}

func envInts(name string, def []int) ([]int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	var out []int
	for f := range strings.SplitSeq(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("invalid %s=%q: want positive numbers separated by commas", name, v)
		}
		out = append(out, n)
	}
	return out, nil
}

// machine describes the CPU and memory, from /proc.
func machine() string {
	model := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(data)); len(f) > 1 {
			if kb, err := strconv.Atoi(f[1]); err == nil {
				mem = fmt.Sprintf(", %.1f GiB memory", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%s, %d cores%s, %s", model, runtime.NumCPU(), mem, runtime.Version())
}
