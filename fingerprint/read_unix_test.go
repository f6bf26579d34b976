//go:build unix

package fingerprint

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Signature and key files that are devices, FIFOs or links to them are
// refused before they are read (a FIFO before it is opened: that would
// block), and a large file that is no signature after its first bytes.
func TestReadFileRefusesWhatIsNotASignatureFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "catalog.lps")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	link := filepath.Join(dir, "zero.lps")
	require.NoError(t, os.Symlink("/dev/zero", link))
	for _, p := range []string{"/dev/zero", fifo, link, dir} {
		_, err := ReadFile(p)
		assert.ErrorIsf(t, err, ErrNotRegular, "signature %s", p)
		_, err = ReadKeyFile(p)
		assert.ErrorIsf(t, err, ErrNotRegular, "key %s", p)
	}
	zeros := filepath.Join(dir, "zeros.lps")
	require.NoError(t, os.WriteFile(zeros, make([]byte, 4<<20), 0o600))
	_, err := ReadFile(zeros)
	assert.ErrorIs(t, err, ErrCorrupt, "4 MiB of zeros: bad magic")
	big := filepath.Join(dir, "big.key")
	require.NoError(t, os.WriteFile(big, make([]byte, 1<<20), 0o600))
	_, err = ReadKeyFile(big)
	assert.Error(t, err, "a key file of a MiB")
}
