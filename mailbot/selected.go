package mailbot

import (
	"errors"
	"fmt"
)

// errFolderReplaced makes the session end, so that the watched folder is
// selected afresh.
var errFolderReplaced = errors.New("watched folder was deleted or recreated")

// checkSelected selects the watched folder again and fails when its
// UIDVALIDITY differs from uv or the folder is gone. Dovecot 2.3 keeps a
// session whose selected folder was deleted and recreated on the old
// folder: IDLE, UID SEARCH and even STATUS report the old state, so only a
// new SELECT sees the new folder.
func (r *Robot) checkSelected(ic *imapConn, folder string, uv uint32) error {
	var got uint32
	err := ic.do("select "+folder, func() error {
		data, err := ic.c.Select(folder, nil).Wait()
		if err != nil {
			return err
		}
		got = data.UIDValidity
		return nil
	})
	if err != nil {
		return fmt.Errorf("check folder %s: %w", folder, err)
	}
	if got != uv {
		return fmt.Errorf("folder %s has UIDVALIDITY %d, selected %d: %w", folder, got, uv, errFolderReplaced)
	}
	return nil
}
