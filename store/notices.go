package store

import (
	"fmt"
	"time"
)

// NoticeWindow counts the notices of one kind to the admin role in the
// current window, for the cap that turns a flood of them into a summary.
// It lives in the volume bucket under "notice" 0x00 kind.
type NoticeWindow struct {
	Start time.Time `json:"start"`
	Sent  int       `json:"sent"` // notices sent one by one in the window
	Held  int       `json:"held"` // notices left for the summary
}

// NoticeWindow returns the window of notices of kind; zero when none was
// sent yet.
func (t *Tx) NoticeWindow(kind string) (NoticeWindow, error) {
	var w NoticeWindow
	_, err := t.getVolumeJSON(volumeKey("notice", kind), &w)
	return w, err
}

// PutNoticeWindow stores the window of notices of kind.
func (t *Tx) PutNoticeWindow(kind string, w NoticeWindow) error {
	b, err := t.bucket(bucketVolume)
	if err != nil {
		return err
	}
	if err := putJSON(b, volumeKey("notice", kind), w); err != nil {
		return fmt.Errorf("store notice window %s: %w", kind, err)
	}
	return nil
}
