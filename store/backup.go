package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// WriteBackup writes a consistent copy of the whole database to w from one
// read transaction, so writers go on while it runs. It returns the number
// of bytes written.
func (db *DB) WriteBackup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("back up store %s: %w", db.path, err)
	}
	return n, nil
}

// WriteBackupFile writes a backup of db to path through a temporary file
// in the same directory, renamed into place only once it is complete and
// synced. The file gets mode 0600 like the store itself. It rejects a path
// that is one of the protected files (the live store, its API socket),
// because the rename would replace the file a running service still
// writes to.
func WriteBackupFile(path string, write func(io.Writer) (int64, error), protected ...string) (int64, error) {
	if err := CheckBackupTarget(path, protected...); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("create backup file next to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	n, err := write(tmp)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("write backup %s: %w", path, err)
	}
	if err := VerifyFile(tmp.Name()); err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("move backup into place at %s: %w", path, err)
	}
	return n, nil
}

// CheckBackupTarget returns an error when path is a directory or names
// one of the protected files: the same path after resolving symbolic
// links in it, or the same file by device and inode (a hard link).
func CheckBackupTarget(path string, protected ...string) error {
	fi, err := os.Stat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check backup target %s: %w", path, err)
	}
	if fi != nil && fi.IsDir() {
		return fmt.Errorf("backup target %s is a directory: give the name of the backup file", path)
	}
	resolved := resolvePath(path)
	for _, p := range protected {
		if p == "" {
			continue
		}
		same := resolved == resolvePath(p)
		if pfi, err := os.Stat(p); err == nil && fi != nil && os.SameFile(fi, pfi) {
			same = true
		}
		if same {
			return fmt.Errorf("backup target %s is the live file %s: give a path outside the store", path, p)
		}
	}
	return nil
}

// resolvePath returns path made absolute with symbolic links resolved.
// For a file that does not exist yet it resolves the directory and keeps
// the base name, since a link in the directory path decides where a
// rename lands.
func resolvePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	dir, base := filepath.Split(abs)
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(r, base)
	}
	return abs
}

// VerifyFile opens a store file read-only and checks bbolt's page
// structure and mailbot's buckets, for backups before they replace
// anything.
func VerifyFile(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
	if err != nil {
		return fmt.Errorf("open backup %s: %w", path, err)
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("backup %s is inconsistent: %w", path, errors.Join(errs...))
		}
		if tx.Bucket(bucketMeta) == nil || tx.Bucket(bucketTickets) == nil {
			return fmt.Errorf("backup %s lacks mailbot's buckets", path)
		}
		return nil
	})
}

// restrictMode takes group and world permissions off an existing store
// file: bbolt creates new files with mode 0600 but leaves an old file's
// mode alone, and the store holds requesters' mail text.
func restrictMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat store %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(path, fi.Mode().Perm()&0o700); err != nil {
		return fmt.Errorf("restrict mode of store %s to its owner: %w", path, err)
	}
	return nil
}
