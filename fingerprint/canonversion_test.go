package fingerprint

import (
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Signatures of normaliser versions canon can still compare score and
// compare; others are refused; shards merge only under one version.
func TestCanonVersionRule(t *testing.T) {
	require.Equal(t, 2, canon.Version, "the cases below are written for version 2")
	for _, c := range []struct {
		a, b int
		ok   bool
	}{
		{canon.Version, canon.Version, true},
		{1, canon.Version, true},
		{canon.Version, 1, true},
		{1, 1, true},
		{0, canon.Version, false},
		{canon.Version + 1, canon.Version, false},
		{canon.Version, canon.Version + 1, false},
		{canon.Version + 1, canon.Version + 1, true}, // two files of one newer version agree with each other
	} {
		err := Compatible(&Metadata{Name: "a", CanonVersion: c.a}, &Metadata{Name: "b", CanonVersion: c.b})
		if c.ok {
			assert.NoError(t, err, "Compatible(version %d, version %d)", c.a, c.b)
		} else {
			assert.ErrorIs(t, err, ErrIncompatible, "Compatible(version %d, version %d)", c.a, c.b)
		}
	}

	h, err := NewHasher(nil)
	require.NoError(t, err)
	recs := synthRecords(50, 7)
	for _, c := range []struct {
		version int
		ok      bool
	}{{canon.Version, true}, {1, true}, {0, false}, {canon.Version + 1, false}} {
		s := build(t, recs, BuildOptions{Meta: Metadata{Name: "src"}})
		s.Meta.CanonVersion = c.version
		err := s.CompatibleHasher(h)
		if c.ok {
			assert.NoError(t, err, "CompatibleHasher of a version %d signature", c.version)
		} else {
			assert.ErrorIs(t, err, ErrIncompatible, "CompatibleHasher of a version %d signature", c.version)
			assert.Contains(t, err.Error(), "normaliser version", "the error says why")
		}
	}

	a := build(t, recs[:25], BuildOptions{Meta: Metadata{Name: "shard-a"}, Capacity: 1000})
	b := build(t, recs[25:], BuildOptions{Meta: Metadata{Name: "shard-b"}, Capacity: 1000})
	a.Meta.CanonVersion = 1
	_, err = Merge(a, b)
	require.ErrorIs(t, err, ErrIncompatible, "merging shards of normaliser versions 1 and %d", canon.Version)
	assert.Contains(t, err.Error(), "shard-a")
	assert.Contains(t, err.Error(), "re-index", "the error says what to do")
	b.Meta.CanonVersion = 1
	m, err := Merge(a, b)
	require.NoError(t, err, "merging two shards of version 1")
	assert.Equal(t, 1, m.Meta.CanonVersion, "the merged signature keeps their version")
}
