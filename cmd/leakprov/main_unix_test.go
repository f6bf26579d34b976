//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A FIFO (what `<(zcat dump.gz)` passes) or a device as a dump or sample
// is refused with a clear error, at once: piping into "-" is the way to
// read a stream.
func TestInputsMustBeRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "dump.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	cat := filepath.Join(repo, "testdata", "catalog")
	for _, in := range []string{fifo, "/dev/zero"} {
		for _, args := range [][]string{
			{"index", "--name", "x", "-o", filepath.Join(dir, "x.lps"), in},
			{"score", "--catalog", cat, in},
			{"profile", in},
		} {
			done := make(chan [2]any, 1)
			go func() {
				code, _, stderr := leakprov(t, args...)
				done <- [2]any{code, stderr}
			}()
			select {
			case r := <-done:
				assert.Equalf(t, 2, r[0], "%v: exit status", args)
				assert.Containsf(t, r[1], "not a regular file", "%v: the error says why", args)
			case <-time.After(20 * time.Second):
				t.Fatalf("%v: still running after 20 s: the input was waited on", args)
			}
		}
	}
}
