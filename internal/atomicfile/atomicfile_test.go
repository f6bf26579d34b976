package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.txt")
	text := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	require.NoError(t, Write(p, 0o600, false, text("one")))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "one", string(b))
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm(), "permissions")

	err = Write(p, 0o600, false, text("two"))
	assert.ErrorIs(t, err, fs.ErrExist, "without replace, an existing file stays")
	require.NoError(t, Write(p, 0o644, true, text("three")))
	b, _ = os.ReadFile(p)
	assert.Equal(t, "three", string(b), "with replace")

	boom := errors.New("boom")
	err = Write(p, 0o644, true, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	assert.ErrorIs(t, err, boom)
	b, _ = os.ReadFile(p)
	assert.Equal(t, "three", string(b), "a failed write leaves the old contents")
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, es, 1, "and no temporary file")
}

// A device is written in place, never replaced by a regular file.
func TestWriteDevice(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err != nil {
		t.Skip("no", os.DevNull)
	}
	require.True(t, IsStream(os.DevNull))
	require.NoError(t, Write(os.DevNull, 0o600, false, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }))
	fi, err := os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&fs.ModeCharDevice, "%s is still a device", os.DevNull)
}
