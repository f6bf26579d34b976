// Package regular opens the files leakprov reads (keys, schemas,
// signatures, dumps and samples) only when they are regular files, and
// reads the ones it reads whole within a size limit checked before
// reading: a device such as /dev/zero would read forever, and opening a
// FIFO blocks until someone writes to it.
package regular

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Errors, checkable with errors.Is.
var (
	// ErrNotRegular: the path is a device, FIFO, socket or directory.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is larger than the reader's limit.
	ErrTooLarge = errors.New("file too large")
)

// Open opens path, following symlinks, if it is a regular file; it checks
// before opening, so that a FIFO is refused rather than waited on, and
// again after, in case the name was replaced meanwhile.
func Open(path string) (*os.File, os.FileInfo, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, typeName(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, typeName(fi.Mode()))
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// typeName says what a file that is not regular is.
func typeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "mode " + m.Type().String()
}

// ReadFile reads the regular file at path whole, refusing one larger than
// limit bytes before reading it.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %w: %d bytes, at most %d", path, ErrTooLarge, fi.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: %w: grew past %d bytes while read", path, ErrTooLarge, limit)
	}
	return b, nil
}
