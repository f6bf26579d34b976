//go:build unix

package regular

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFileRefusesDevicesAndFIFOs(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile("/dev/zero", 1<<20)
	assert.ErrorIs(t, err, ErrNotRegular, "a device, refused before reading")
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	_, err = ReadFile(fifo, 10) // would block forever if it were opened
	assert.ErrorIs(t, err, ErrNotRegular, "a FIFO, refused without opening it")
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink("/dev/zero", link))
	_, err = ReadFile(link, 10)
	assert.ErrorIs(t, err, ErrNotRegular, "a symlink to a device")
}
