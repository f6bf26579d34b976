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
// opened (opening it would wait for a writer forever).
func TestFileRefusesFIFOsAndDevices(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "dump.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, p := range []string{fifo, "/dev/null", t.TempDir()} {
		_, err := Build(context.Background(), Options{Name: "x"}, File(p))
		assert.ErrorIsf(t, err, fingerprint.ErrNotRegular, "input %s", p)
	}
}
