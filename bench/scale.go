package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"mailbot/bench/fill"
	"mailbot/store"
)

// ScaleResult is the cost of a store of one size. Command times are the
// median of three runs of the mailbot binary, including its start.
type ScaleResult struct {
	Tickets        int     `json:"tickets"`
	FillSecs       float64 `json:"fill_secs"`
	DBBytes        int64   `json:"db_bytes"`
	BytesPerTicket float64 `json:"bytes_per_ticket"`
	// StartSocketSecs runs from exec of `mailbot run` to its API socket,
	// StartReadySecs to "IMAP session ready" of both mailboxes.
	StartSocketSecs float64 `json:"start_socket_secs"`
	StartReadySecs  float64 `json:"start_ready_secs"`
	// Through the running service's API: `tickets list` (the newest 50
	// open tickets, which must not grow faster than log n), `tickets
	// list --all` (the newest 50 of any status), `tickets list --all
	// --limit 0` (every ticket, linear by nature) and `tickets show`.
	// NOTE: the filled stores below 100,000 tickets have no open ticket
	// (see bench/fill), so there the default list prints none;
	// ListNewestSecs is the page of 50 at every size.
	ListSecs       float64 `json:"list_secs"`
	ListNewestSecs float64 `json:"list_newest_secs"`
	ListAllSecs    float64 `json:"list_all_secs"`
	ShowSecs       float64 `json:"show_secs"`
	// The same with the service stopped, from the file opened read-only.
	ListFileSecs       float64 `json:"list_file_secs"`
	ListNewestFileSecs float64 `json:"list_newest_file_secs"`
	ListAllFileSecs    float64 `json:"list_all_file_secs"`
	ShowFileSecs       float64 `json:"show_file_secs"`
	// PeakRSS is mailbot run's VmHWM after it served the default list
	// and show calls, AnonRSS its RssAnon then: PeakRSS less the pages of
	// the store file mapped by bbolt, which the kernel can drop at any
	// time. PeakRSSAfterListAll and AnonRSSAfterListAll are the same
	// after it also served the full list.
	PeakRSS             int64 `json:"peak_rss_bytes"`
	AnonRSS             int64 `json:"anon_rss_bytes"`
	PeakRSSAfterListAll int64 `json:"peak_rss_after_list_all_bytes"`
	AnonRSSAfterListAll int64 `json:"anon_rss_after_list_all_bytes"`
	IdleRSS             int64 `json:"idle_peak_rss_bytes"`
	ListBytes           int   `json:"list_output_bytes"`
	ListAllBytes        int   `json:"list_all_output_bytes"`
}

func (s ScaleResult) String() string {
	return fmt.Sprintf("%d tickets: %.0f B/ticket, start %.3fs (ready %.3fs), list %.3fs (file %.3fs), "+
		"list --all %.3fs (file %.3fs), list --all --limit 0 %.3fs (file %.3fs), show %.3fs (file %.3fs), "+
		"peak RSS idle %.1f MB, after list %.1f MB (anon %.1f MB), after list --all --limit 0 %.1f MB (anon %.1f MB)",
		s.Tickets, s.BytesPerTicket, s.StartSocketSecs, s.StartReadySecs, s.ListSecs, s.ListFileSecs,
		s.ListNewestSecs, s.ListNewestFileSecs, s.ListAllSecs, s.ListAllFileSecs, s.ShowSecs, s.ShowFileSecs, float64(s.IdleRSS)/1e6,
		float64(s.PeakRSS)/1e6, float64(s.AnonRSS)/1e6, float64(s.PeakRSSAfterListAll)/1e6, float64(s.AnonRSSAfterListAll)/1e6)
}

func (b *bench) scale(sizes []int) ([]ScaleResult, error) {
	f, err := fill.New()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(b.work, "scale")
	dbPath := filepath.Join(dir, "mailbot.db")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	slices.Sort(sizes)
	have := 0
	var out []ScaleResult
	for _, size := range sizes {
		res := ScaleResult{Tickets: size}
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			return out, err
		}
		start := time.Now()
		err = f.Grow(db, have, size)
		res.FillSecs = time.Since(start).Seconds()
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return out, err
		}
		have = size
		info, err := os.Stat(dbPath)
		if err != nil {
			return out, err
		}
		res.DBBytes, res.BytesPerTicket = info.Size(), float64(info.Size())/float64(size)

		tag := fmt.Sprintf("sc%d-%d", size, time.Now().UnixMilli()%1e8)
		cfg, err := b.writeConfig(dir, robotConfig{support: "support-" + tag + "@stadt.example",
			digi: "digi-" + tag + "@stadt.example", it: "it-" + tag + "@stadt.example", db: dbPath,
			batch: b.batch, pollInterval: time.Minute})
		if err != nil {
			return out, err
		}
		// NOTE: the fill leaves the file in the page cache, so this is a
		// warm start.
		r, err := b.startRobot(cfg, dbPath)
		if err != nil {
			return out, err
		}
		socket, ready, err := r.waitReady(2, 60*time.Second)
		if err != nil {
			r.stop()
			return out, err
		}
		res.StartSocketSecs, res.StartReadySecs = socket.Seconds(), ready.Seconds()
		res.IdleRSS = r.peakRSS()
		number := fmt.Sprintf("%d-%05d", fill.Year, size/2+1)
		var listOut, listAllOut []byte
		res.ListSecs, listOut, err = b.timeCommand("--config", cfg, "tickets", "list")
		if err == nil {
			res.ListNewestSecs, _, err = b.timeCommand("--config", cfg, "tickets", "list", "--all")
		}
		if err == nil {
			res.ShowSecs, _, err = b.timeCommand("--config", cfg, "tickets", "show", number)
		}
		// VmHWM only grows, so the figures after the default list are
		// read before the full list runs.
		res.PeakRSS, res.AnonRSS = r.peakRSS(), r.anonRSS()
		if err == nil {
			res.ListAllSecs, listAllOut, err = b.timeCommand("--config", cfg, "tickets", "list", "--all", "--limit", "0")
		}
		res.PeakRSSAfterListAll, res.AnonRSSAfterListAll = r.peakRSS(), r.anonRSS()
		if serr := r.stop(); err == nil {
			err = serr
		}
		if err != nil {
			return out, err
		}
		res.ListBytes, res.ListAllBytes = len(listOut), len(listAllOut)
		res.ListFileSecs, _, err = b.timeCommand("--db", dbPath, "tickets", "list")
		if err == nil {
			res.ListNewestFileSecs, _, err = b.timeCommand("--db", dbPath, "tickets", "list", "--all")
		}
		if err == nil {
			res.ListAllFileSecs, _, err = b.timeCommand("--db", dbPath, "tickets", "list", "--all", "--limit", "0")
		}
		if err == nil {
			res.ShowFileSecs, _, err = b.timeCommand("--db", dbPath, "tickets", "show", number)
		}
		if err != nil {
			return out, err
		}
		log.Printf("scale: %s", res)
		out = append(out, res)
	}
	return out, nil
}

// timeCommand runs the mailbot binary three times with args and returns
// the median wall time and the output of the last run.
func (b *bench) timeCommand(args ...string) (float64, []byte, error) {
	var times []float64
	var out []byte
	for range 3 {
		start := time.Now()
		var err error
		out, err = exec.Command(b.bin, args...).Output()
		if err != nil {
			return 0, nil, fmt.Errorf("mailbot %v: %w", args, err)
		}
		times = append(times, time.Since(start).Seconds())
	}
	slices.Sort(times)
	return times[1], out, nil
}
