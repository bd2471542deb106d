package mailbot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"mailbot/config"
	"mailbot/store"
)

// Reconnect backoff bounds.
const (
	reconnectMin = time.Second
	reconnectMax = 2 * time.Minute
)

// watch keeps one mailbox in sync until ctx is done, reconnecting with
// exponential backoff after every connection error.
func (r *Robot) watch(ctx context.Context, mb *config.Mailbox) {
	log := r.log.With("mailbox", mb.Name)
	backoff := reconnectMin
	for ctx.Err() == nil {
		started := time.Now()
		err := r.session(ctx, mb, log)
		r.setBusy(mb.Name, false)
		r.metrics.sessionUp(mb.Name, false, ctx.Err() != nil)
		if ctx.Err() != nil {
			return
		}
		if time.Since(started) > reconnectMax {
			backoff = reconnectMin
		}
		log.Warn("IMAP connection error, reconnecting", "err", err, "retry_in", backoff)
		if !sleep(ctx, backoff) {
			return
		}
		backoff = min(backoff*2, reconnectMax)
	}
}

// session is one IMAP connection: select, sync, wait for news, repeat.
func (r *Robot) session(ctx context.Context, mb *config.Mailbox, log *slog.Logger) error {
	ic, err := dialIMAP(r.cfg.IMAP, mb, log)
	if err != nil {
		return err
	}
	defer ic.close()
	for _, f := range []string{mb.ProcessedFolder, mb.QuarantineFolder} {
		if err := ic.ensureFolder(f); err != nil {
			return err
		}
	}
	var sel *imap.SelectData
	err = ic.do("select "+mb.Folder, func() error {
		var err error
		sel, err = ic.c.Select(mb.Folder, nil).Wait()
		return err
	})
	if err != nil {
		return err
	}
	if err := r.checkUIDValidity(mb.Name, sel.UIDValidity, log); err != nil {
		return err
	}
	log.Info("IMAP session ready", "folder", mb.Folder, "uidvalidity", sel.UIDValidity,
		"messages", sel.NumMessages, "idle", r.cfg.IMAP.Idle && ic.c.Caps().Has(imap.CapIdle))
	r.metrics.sessionUp(mb.Name, true, false)
	for {
		r.setBusy(mb.Name, true)
		err := r.sync(ctx, ic, mb, sel.UIDValidity, log)
		r.setBusy(mb.Name, false)
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		if err := r.waitForMail(ctx, ic); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// checkUIDValidity stores the mailbox's UIDVALIDITY. A changed value means
// the server renumbered the folder; every mail then looks new by UID and the
// content-hash index keeps the handled ones from making a second ticket.
func (r *Robot) checkUIDValidity(name string, uv uint32, log *slog.Logger) error {
	return r.db.Update(func(tx *store.Tx) error {
		st, err := tx.Mailbox(name)
		if err != nil {
			return err
		}
		if st.UIDValidity == uv {
			return nil
		}
		if st.UIDValidity != 0 {
			n, err := tx.DeleteUIDsBefore(name, uv)
			if err != nil {
				return err
			}
			log.Warn("UIDVALIDITY changed, rescanning folder", "old", st.UIDValidity, "new", uv, "stale_records", n)
		}
		return tx.PutMailbox(name, store.MailboxState{UIDValidity: uv, Changed: r.Now()})
	})
}

// waitForMail blocks until the server reports new mail (IDLE), the poll
// interval passes or ctx is done.
func (r *Robot) waitForMail(ctx context.Context, ic *imapConn) error {
	interval := r.cfg.IMAP.PollInterval
	if !r.cfg.IMAP.Idle || !ic.c.Caps().Has(imap.CapIdle) {
		select {
		case <-ctx.Done():
		case <-ic.newMail:
		case <-time.After(interval):
		}
		return nil
	}
	var idle *imapclient.IdleCommand
	if err := ic.do("idle", func() error { var err error; idle, err = ic.c.Idle(); return err }); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case <-ic.newMail:
	case <-time.After(interval):
	case <-ic.c.Closed():
	}
	return ic.do("idle done", func() error {
		if err := idle.Close(); err != nil {
			return err
		}
		return idle.Wait()
	})
}

// sync handles every message of the watched folder that has no UID record
// and finishes the server-side moves of those that have one.
func (r *Robot) sync(ctx context.Context, ic *imapConn, mb *config.Mailbox, uv uint32, log *slog.Logger) error {
	// Drain the signal first: news arriving from now on triggers another sync.
	select {
	case <-ic.newMail:
	default:
	}
	if err := r.checkSelected(ic, mb.Folder, uv); err != nil {
		return err
	}
	var uids []imap.UID
	err := ic.do("uid search", func() error {
		data, err := ic.c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}, nil).Wait()
		if err != nil {
			return err
		}
		uids = data.AllUIDs()
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(uids)

	pending := map[string][]imap.UID{}
	var fresh []imap.UID
	err = r.db.View(func(tx *store.Tx) error {
		for _, uid := range uids {
			rec, err := tx.UID(mb.Name, uv, uint32(uid))
			if err != nil {
				return err
			}
			switch {
			case rec == nil:
				fresh = append(fresh, uid)
			case rec.Folder != "":
				pending[rec.Folder] = append(pending[rec.Folder], uid)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read UID records: %w", err)
	}
	if len(pending) > 0 {
		log.Info("finishing moves of mails handled before", "count", len(uids)-len(fresh))
		if err := r.moveAll(ic, mb, uv, pending); err != nil {
			return err
		}
	}
	for len(fresh) > 0 && ctx.Err() == nil {
		n := min(len(fresh), r.cfg.IMAP.FetchBatch)
		if err := r.syncBatch(ctx, ic, mb, uv, fresh[:n], log); err != nil {
			return err
		}
		fresh = fresh[n:]
	}
	return nil
}

// syncBatch fetches and handles one batch of UIDs. Sizes come first, so an
// oversized mail is quarantined without downloading it.
func (r *Robot) syncBatch(ctx context.Context, ic *imapConn, mb *config.Mailbox, uv uint32, batch []imap.UID, log *slog.Logger) error {
	sizes := map[imap.UID]int64{}
	err := ic.do("uid fetch sizes", func() error {
		msgs, err := ic.c.Fetch(imap.UIDSetNum(batch...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
		for _, m := range msgs {
			sizes[m.UID] = m.RFC822Size
		}
		return err
	})
	if err != nil {
		return err
	}
	var small, big []imap.UID
	done := map[string][]imap.UID{}
	for _, uid := range batch {
		size, ok := sizes[uid]
		switch {
		case !ok:
			// Expunged by someone else since the search, or a reply go-imap
			// could not attribute: either way, look again next sync.
			log.Warn("server returned no size for UID, retrying next sync", "uid", uid)
		case size > r.cfg.Limits.MaxMessageBytes:
			big = append(big, uid)
		default:
			small = append(small, uid)
		}
	}
	if len(big) > 0 {
		// Only the header of an oversized mail is fetched, for the log
		// line and the quarantine list.
		headers, err := fetchHeaders(ic, big)
		if err != nil {
			return err
		}
		for _, uid := range big {
			h, err := r.Handle(Incoming{Mailbox: mb, UIDValidity: uv, UID: uint32(uid), Size: sizes[uid], Oversize: true,
				Header: headers[uid]})
			if err != nil {
				return err
			}
			done[h.Record.Folder] = append(done[h.Record.Folder], uid)
		}
	}
	if len(small) > 0 {
		got, err := r.fetchBodies(ctx, ic, mb, uv, small, done)
		if err != nil {
			return err
		}
		if got < len(small) {
			// Never treat a short FETCH answer as "no more mail": the
			// missing UIDs have no record and are fetched again.
			return fmt.Errorf("UID FETCH returned %d of %d requested messages", got, len(small))
		}
	}
	delete(done, "")
	return r.moveAll(ic, mb, uv, done)
}

// batchBytes bounds the raw mail held for one shared commit: a batch is
// committed at the end of its FETCH reply or before a mail that would
// take it past this size. A single larger mail makes a batch of its own.
const batchBytes = 8 << 20

// fetchBodies streams BODY.PEEK[] of uids and hands the mails to
// HandleBatch, one commit for the whole FETCH reply or for each batchBytes
// of it. It returns how many mails were handled.
func (r *Robot) fetchBodies(ctx context.Context, ic *imapConn, mb *config.Mailbox, uv uint32, uids []imap.UID, done map[string][]imap.UID) (int, error) {
	section := &imap.FetchItemBodySection{Peek: true}
	opts := &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}
	handled := 0
	var handleErr error
	var batch []Incoming
	var held int
	flush := func() {
		if len(batch) == 0 || handleErr != nil {
			return
		}
		hs, err := r.HandleBatch(batch)
		for _, h := range hs {
			handled++
			done[h.Record.Folder] = append(done[h.Record.Folder], imap.UID(h.UID))
		}
		handleErr = err
		batch, held = batch[:0], 0
	}
	err := ic.do("uid fetch bodies", func() error {
		fc := ic.c.Fetch(imap.UIDSetNum(uids...), opts)
		for {
			msg := fc.Next()
			if msg == nil {
				break
			}
			if handleErr != nil || ctx.Err() != nil {
				continue // drain the rest; the close below waits for it
			}
			var uid imap.UID
			var raw []byte
			var readErr error
			for {
				item := msg.Next()
				if item == nil {
					break
				}
				switch it := item.(type) {
				case imapclient.FetchItemDataUID:
					uid = it.UID
				case imapclient.FetchItemDataBodySection:
					raw, readErr = io.ReadAll(io.LimitReader(it.Literal, r.cfg.Limits.MaxMessageBytes+1))
				}
			}
			if uid == 0 || readErr != nil || raw == nil {
				r.log.Warn("incomplete FETCH reply, retrying next sync", "mailbox", mb.Name, "uid", uid, "err", readErr)
				continue
			}
			// A mail that would take the batch past batchBytes starts the
			// next one, so a large mail is held with little else.
			if held+len(raw) > batchBytes {
				flush()
			}
			batch = append(batch, Incoming{Mailbox: mb, UIDValidity: uv, UID: uint32(uid), Raw: raw, Size: int64(len(raw))})
			held += len(raw)
		}
		// Mails read before a shutdown are handled too; they are whole.
		flush()
		return fc.Close()
	})
	if handleErr != nil {
		return handled, handleErr
	}
	return handled, err
}

// moveAll moves handled mails to their target folders and then forgets
// their UID records; a mail that is moved but whose record survives a crash
// is gone from the folder and so never looked at again.
func (r *Robot) moveAll(ic *imapConn, mb *config.Mailbox, uv uint32, byFolder map[string][]imap.UID) error {
	for folder, uids := range byFolder {
		if folder == "" || len(uids) == 0 {
			continue
		}
		res, err := ic.move(uids, folder)
		if err != nil {
			return err
		}
		if err := failpoint(FailAfterMove); err != nil {
			return err
		}
		err = r.db.Update(func(tx *store.Tx) error {
			if folder == mb.QuarantineFolder {
				if err := noteQuarantineMove(tx, mb, uv, res); err != nil {
					return err
				}
			}
			for _, uid := range uids {
				if err := tx.DeleteUID(mb.Name, uv, uint32(uid)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("forget moved UIDs: %w", err)
		}
	}
	return nil
}
