package canon

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDifferences(t *testing.T) {
	d, ok := Differences(Version)
	assert.True(t, ok, "Differences(Version)")
	assert.Empty(t, d, "the current version differs from itself in nothing")
	for v := CompatibleSince; v < Version; v++ {
		d, ok := Differences(v)
		assert.True(t, ok, "Differences(%d)", v)
		assert.NotEmpty(t, d, "version %d must say what it spelled differently", v)
		assert.NotEmpty(t, changes[v+1], "changes[%d]", v+1)
	}
	d, _ = Differences(1)
	for _, want := range []string{"non-ASCII digits", "full-width", "non-NFC", "RFC 5321", "IDNA"} {
		assert.Contains(t, d, want, "Differences(1)")
	}
	for _, v := range []int{CompatibleSince - 1, Version + 1, -1} {
		_, ok := Differences(v)
		assert.False(t, ok, "Differences(%d)", v)
	}
}
