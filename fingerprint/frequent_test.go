package fingerprint

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Counts never fall below the truth, whatever the width; a fold is the
// sketch built at the narrower width; saturation holds at FrequentMax.
func TestFrequentCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	truth := map[uint64]uint64{}
	wide := newFrequent(frequentMaxBits)
	narrow := newFrequent(frequentMinBits + 2)
	for i := range 20000 {
		h := rng.Uint64()
		if i%4 == 0 {
			h = 42 // a placeholder in a quarter of the records
		}
		truth[h]++
		wide.add(h)
		narrow.add(h)
	}
	for h, n := range truth {
		require.GreaterOrEqual(t, wide.Records(h), n, "hash %#x: never fewer than its records", h)
	}
	assert.Equal(t, uint64(5000), wide.Records(42), "the placeholder, counted")
	assert.Equal(t, narrow, wide.fold(frequentMinBits+2), "a fold is the narrower sketch")
	assert.NoError(t, wide.check(20000))

	sat := newFrequent(frequentMinBits)
	for range FrequentMax + 10 {
		sat.add(7)
	}
	assert.Equal(t, uint64(FrequentMax), sat.Records(7), "a counter stays at FrequentMax")
	assert.Equal(t, uint64(FrequentMax), unionFrequent(sat, sat).Records(7), "and adds up to it")
}

func TestFrequentBits(t *testing.T) {
	for _, c := range []struct {
		d    uint64
		want uint8
	}{{0, frequentMinBits}, {60, 6}, {200, 8}, {9999, 13}, {2_000_000, 13}, {1 << 40, frequentMaxBits}} {
		assert.Equal(t, c.want, frequentBits(c.d), "%d distinct values", c.d)
	}
}

// A record holding a value in two columns counts once; shards built with
// one capacity add up to the sketch of one build.
func TestBuilderCountsRecordsHoldingAValue(t *testing.T) {
	h := lpsHasher(t, nil)
	cols := []canon.Column{{Name: "phone", Kind: canon.Phone}, {Name: "phone2", Kind: canon.Phone}, {Name: "email", Kind: canon.Email}}
	enc := NewEncoder(h, canon.UA, cols)
	build := func(from, to int) *Signature {
		b, err := NewBuilder(h, BuildOptions{Capacity: 5000, Meta: Metadata{Name: "dump"}})
		require.NoError(t, err)
		for i := from; i < to; i++ {
			phone := fmt.Sprintf("+38050%07d", i)
			if i%3 == 0 {
				phone = "+380500000000" // a placeholder
			}
			require.NoError(t, b.Add(enc.Encode(nil, []string{phone, phone, fmt.Sprintf("p%d@example.org", i)})))
		}
		s, err := b.Finish()
		require.NoError(t, err)
		return s
	}
	whole := build(0, 3000)
	ph := whole.Field(canon.Phone).Frequent
	require.NotNil(t, ph, "a phone sketch")
	assert.Equal(t, uint64(1000), ph.Records(h.Sum64(canon.Phone, []byte("+380500000000"))), "the placeholder's records, once each")
	assert.Less(t, ph.Records(h.Sum64(canon.Phone, []byte("+380500000001"))), uint64(10), "a phone of one record")
	assert.Nil(t, whole.Field(canon.Email).Frequent.check(3000), "an e-mail sketch")

	merged, err := Merge(build(0, 1000), build(1000, 3000))
	require.NoError(t, err)
	assert.Equal(t, ph, merged.Field(canon.Phone).Frequent, "shards merged: the sketch of one build")
}

func TestDecodeFrequentRefuses(t *testing.T) {
	f := newFrequent(frequentMinBits)
	f.add(1)
	good := appendFrequent(nil, f)
	_, err := decodeFrequent(good)
	require.NoError(t, err)
	le := binary.LittleEndian
	for name, bad := range map[string][]byte{
		"short":         good[:4],
		"cut":           good[:len(good)-1],
		"width 3":       le.AppendUint32(le.AppendUint32(nil, 3), 2),
		"width 32":      append(le.AppendUint32(le.AppendUint32(nil, 32), 2), make([]byte, 128)...),
		"width 2^15":    le.AppendUint32(le.AppendUint32(nil, 1<<15), 2),
		"depth 3":       append(le.AppendUint32(le.AppendUint32(nil, 64), 3), make([]byte, 3*128)...),
		"a byte more":   append(append([]byte{}, good...), 0),
		"header only":   good[:8],
		"width 0":       le.AppendUint32(le.AppendUint32(nil, 0), 2),
		"huge width":    le.AppendUint32(le.AppendUint32(nil, 1<<31), 2),
		"no depth read": le.AppendUint32(nil, 64),
	} {
		_, err := decodeFrequent(bad)
		assert.ErrorIs(t, err, errFrequent, name)
	}
	uneven := newFrequent(frequentMinBits)
	uneven.c[0][0] = 2
	assert.ErrorIs(t, uneven.check(10), errFrequent, "rows that do not add up alike")
	assert.ErrorIs(t, f.check(0), errFrequent, "more records than values hashed")
}

// A damaged frequent section is refused, as any other.
func TestLPSFrequentSectionChecked(t *testing.T) {
	g := lpsGoldens[4]
	gold := lpsReadGolden(t, g)
	at := lpsSectionOffset(t, gold, secFrequent, byte(canon.Phone)) + lpsSectionHead
	for name, edit := range map[string]func(b []byte){
		"depth":   func(b []byte) { binary.LittleEndian.PutUint32(b[at+4:], 3) },
		"counter": func(b []byte) { b[at+8]++ },
	} {
		b := append([]byte{}, gold...)
		edit(b)
		var s Signature
		assert.ErrorIs(t, s.UnmarshalBinary(lpsFixChecksums(b)), ErrCorrupt, name)
	}
}
