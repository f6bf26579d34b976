package fingerprint

import (
	"bytes"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countsOf counts recs in a Builder that only counts.
func countsOf(t *testing.T, recs [][]Hashed) *Counts {
	t.Helper()
	h, err := NewHasher(nil)
	require.NoError(t, err)
	b, err := NewBuilder(h, BuildOptions{CountOnly: true})
	require.NoError(t, err)
	for _, r := range recs {
		require.NoError(t, b.Add(r))
	}
	_, err = b.Finish()
	assert.Error(t, err, "a Builder that only counts makes no signature")
	return b.Counts()
}

func TestShardsSizedByTheWholeDumpsCountsMergeIntoOneBuild(t *testing.T) {
	recs := synthRecords(3000, 5)
	created := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	meta := Metadata{Name: "shards", Created: created}
	whole := build(t, recs, BuildOptions{Meta: meta})

	// The first pass: each shard's counts, merged.
	cuts := []int{0, 1000, 1001, 2400, 3000}
	sizes := NewCounts()
	for i := 1; i < len(cuts); i++ {
		sizes.Merge(countsOf(t, recs[cuts[i-1]:cuts[i]]))
	}
	for _, k := range []canon.Kind{canon.Phone, canon.Email, canon.NationalID, canon.BirthDate} {
		assert.Equal(t, whole.Field(k).DistinctCount(), sizes.Distinct(k), "%s: merged counts estimate as one build", k)
	}
	assert.Equal(t, whole.PairsDistinct.Estimate(), sizes.Pairs(), "pairs: merged counts estimate as one build")

	// The second pass, merged in another order.
	var merged *Signature
	for i := len(cuts) - 1; i > 0; i-- {
		part := build(t, recs[cuts[i-1]:cuts[i]], BuildOptions{Meta: meta, Sizes: sizes})
		if merged == nil {
			merged = part
			continue
		}
		var err error
		merged, err = Merge(merged, part)
		require.NoError(t, err, "merge shard %d", i)
	}
	assertSameSketches(t, whole, merged, "four shards sized by the whole dump's counts")
	wb, err := whole.MarshalBinary()
	require.NoError(t, err)
	mb, err := merged.MarshalBinary()
	require.NoError(t, err)
	assert.True(t, bytes.Equal(wb, mb), "the merged shards encode as the one build")

	// Sizes that miss a kind the shard holds are not the whole dump's.
	h, err := NewHasher(nil)
	require.NoError(t, err)
	b, err := NewBuilder(h, BuildOptions{Sizes: NewCounts()})
	require.NoError(t, err)
	require.NoError(t, b.Add(recs[0]))
	_, err = b.Finish()
	assert.ErrorContains(t, err, "not the whole dump's", "sizes counting nothing")
}

func TestCountsEncoding(t *testing.T) {
	c := countsOf(t, synthRecords(500, 6))
	b, err := c.MarshalBinary()
	require.NoError(t, err)
	assert.Len(t, b, countsLen(4), "phone, email, national_id, birth_date and the pairs")
	var back Counts
	require.NoError(t, back.UnmarshalBinary(b))
	again, err := back.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, b, again, "counts survive their encoding")
	assert.Equal(t, c.Distinct(canon.Email), back.Distinct(canon.Email), "email estimate")

	empty, err := NewCounts().MarshalBinary()
	require.NoError(t, err)
	assert.Len(t, empty, countsLen(0), "no kinds: the pairs' registers only")

	for name, bad := range map[string][]byte{
		"empty":           nil,
		"version":         append([]byte{2}, b[1:]...),
		"short":           b[:len(b)-1],
		"long":            append(bytes.Clone(b), 0),
		"one kind more":   append([]byte{b[0], b[1] | 1, b[2]}, b[3:]...),
		"rank past 51":    append(bytes.Clone(b[:len(b)-1]), 52),
		"all kinds, none": {countsVersion, 0xff, 0xff},
	} {
		got := *c
		err := got.UnmarshalBinary(bad)
		assert.ErrorIs(t, err, ErrCountsEncoding, name)
		assert.Equal(t, *c, got, "%s: the receiver is untouched", name)
	}
}

func FuzzCountsUnmarshal(f *testing.F) {
	h, _ := NewHasher(nil)
	b, _ := NewBuilder(h, BuildOptions{CountOnly: true})
	for _, r := range synthRecords(50, 7) {
		_ = b.Add(r)
	}
	seed, _ := b.Counts().MarshalBinary()
	f.Add(seed)
	empty, _ := NewCounts().MarshalBinary()
	f.Add(empty)
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Counts
		if c.UnmarshalBinary(data) != nil {
			return
		}
		out, err := c.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, data, out, "a decoded encoding encodes back to itself")
	})
}
