//go:build unix

package provenance

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadSchemaRefusesDevicesAndFIFOs(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "schema.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, p := range []string{"/dev/zero", fifo} {
		_, err := LoadSchema(p)
		assert.ErrorIsf(t, err, fingerprint.ErrNotRegular, "schema %s", p)
	}
}
