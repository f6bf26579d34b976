//go:build unix

package index

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A FIFO or a device given as a file is refused, the FIFO without being
// opened (opening it would wait for a writer forever); in a directory it
// is passed over, and a directory of nothing else holds no table.
func TestFileRefusesFIFOsAndDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "dump.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, p := range []string{fifo, "/dev/null"} {
		_, err := Build(context.Background(), Options{Name: "x"}, File(p))
		assert.ErrorIsf(t, err, fingerprint.ErrNotRegular, "input %s", p)
	}
	var skipped []string
	_, err := Build(context.Background(), Options{Name: "x", Skipped: func(p string, _ error) { skipped = append(skipped, p) }}, File(dir))
	assert.ErrorIs(t, err, ErrNoRecords, "a directory holding only a FIFO")
	assert.Equal(t, []string{fifo}, skipped, "the FIFO is passed over")
}
