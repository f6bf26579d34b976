package regular

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(ok, []byte("0123456789"), 0o600))
	b, err := ReadFile(ok, 10)
	require.NoError(t, err)
	assert.Equal(t, "0123456789", string(b))
	_, err = ReadFile(ok, 9)
	assert.ErrorIs(t, err, ErrTooLarge, "a file over the limit")
	_, err = ReadFile(dir, 10)
	assert.ErrorIs(t, err, ErrNotRegular, "a directory")
	_, err = ReadFile(filepath.Join(dir, "missing"), 10)
	assert.ErrorIs(t, err, os.ErrNotExist, "a missing file")
}
