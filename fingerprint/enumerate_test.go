package fingerprint

import (
	"slices"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nextCandidate steps the trailing digits of a canonical value like
// "+380671234567" on by one, as an odometer: the cheapest way to walk a
// phone or ID space, so the benchmark below times the hash and the probe.
func nextCandidate(v []byte, digits int) {
	for i := len(v) - 1; i >= len(v)-digits; i-- {
		if v[i] != '9' {
			v[i]++
			return
		}
		v[i] = '0'
	}
}

func TestNextCandidate(t *testing.T) {
	v := []byte("+380670000999")
	nextCandidate(v, 7)
	assert.Equal(t, "+380670001000", string(v), "carry over three nines")
	v = []byte("+380679999999")
	nextCandidate(v, 7)
	assert.Equal(t, "+380670000000", string(v), "wrap at the end of the block")
}

// BenchmarkEnumerate is the attack that SECURITY.md quotes: someone holding
// a signature walks a space of candidate phone numbers and tests each
// against it. The filter holds one million numbers at 0.1% (the default),
// so it is about 2 MiB; the MinHash is the FracMinHash of those numbers at
// the default scale. "unkeyed" is the hash anyone can compute; "keyed" is
// what the same walk costs someone who also holds the key. The metric
// candidates/s is one core's rate.
func BenchmarkEnumerate(b *testing.B) {
	const stored = 1_000_000
	unkeyed, err := NewHasher(nil)
	require.NoError(b, err)
	keyed, err := NewHasher(testKey(7))
	require.NoError(b, err)
	for _, h := range []*Hasher{unkeyed, keyed} {
		f, err := NewFilter(stored, DefaultFPR)
		require.NoError(b, err)
		threshold := MinHashThreshold(DefaultMinHashScale)
		var minhash []uint64
		v := []byte("+380670000000")
		for range stored {
			x := h.Sum64(canon.Phone, v)
			f.Add(x)
			if x <= threshold {
				minhash = append(minhash, x)
			}
			nextCandidate(v, 7)
		}
		slices.Sort(minhash)
		// Walk on from the first stored number: the first million
		// candidates are all hits, the rest are misses, as in a real walk
		// over an operator's block.
		b.Run(h.Mode().String()+"/filter", func(b *testing.B) {
			c := []byte("+380670000000")
			hits := 0
			for b.Loop() {
				if f.Has(h.Sum64(canon.Phone, c)) {
					hits++
				}
				nextCandidate(c, 7)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "candidates/s")
			assert.Positive(b, hits, "the walk starts at a stored number")
		})
		b.Run(h.Mode().String()+"/minhash", func(b *testing.B) {
			c := []byte("+380670000000")
			found := 0
			for b.Loop() {
				if x := h.Sum64(canon.Phone, c); x <= threshold {
					if _, ok := slices.BinarySearch(minhash, x); ok {
						found++
					}
				}
				nextCandidate(c, 7)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "candidates/s")
			if b.N >= stored {
				assert.Positive(b, found, "a walk over the stored block recovers MinHash entries")
			}
		})
	}
}
