// Package atomicfile writes files whole or not at all: to a temporary file
// in the same directory, synced, then renamed over the target (or linked
// to it when nothing may be replaced), so that a reader, or a crash, sees
// the old contents or the whole new ones, never a part.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Write writes path with the bytes write gives its writer, with
// permissions perm. Unless replace, it fails with an error wrapping
// fs.ErrExist when path exists, checked as the file is placed. When write
// fails, nothing is left behind and path is untouched.
//
// A path naming a character device or a FIFO (/dev/null, /dev/stdout, a
// pipe) is written in place, whatever replace says: it cannot be replaced,
// and renaming a file over it would put a regular file where the device
// was.
func Write(path string, perm fs.FileMode, replace bool, write func(io.Writer) error) (err error) {
	if IsStream(path) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(f)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStaleTemps(dir)
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = place(tmp, path, replace); err != nil {
		return err
	}
	// Make the rename durable; not every system can sync a directory.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// IsStream reports whether path names a character device or a FIFO, which
// Write writes in place.
func IsStream(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0
}

// staleAfter is the age past which a temporary file of an interrupted
// write is removed by the next write into its directory.
const staleAfter = 24 * time.Hour

// removeStaleTemps removes the temporary files (".NAME.tmp-N") that writes
// killed before they could clean up left in dir over a day ago. Errors are
// ignored: the write goes on either way.
func removeStaleTemps(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	for _, name := range names {
		if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(name)
		}
	}
}

// place puts the written temporary file at path: renamed over it, or, when
// it must not replace anything, linked to it.
func place(tmp, path string, replace bool) error {
	if replace {
		return os.Rename(tmp, path)
	}
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		return os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return err
	}
	// No hard links here (some file systems): check, then rename.
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("%s: %w", path, fs.ErrExist)
	}
	return os.Rename(tmp, path)
}
