package fingerprint

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilterFoldIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	hashes := make([]uint64, 500)
	for i := range hashes {
		hashes[i] = r.Uint64()
	}
	build := func(f *Filter, err error) *Filter {
		require.NoError(t, err)
		for _, h := range hashes {
			f.Add(h)
		}
		return f
	}
	for _, tc := range []struct {
		what       string
		big, small *Filter
	}{
		{"classic 2^16 to 2^13 bits", build(newClassicFilter(1<<16, 10)), build(newClassicFilter(1<<13, 10))},
		{"blocked 96 to 12 blocks", build(newBlockedFilter(96)), build(newBlockedFilter(12))},
		{"blocked 96 to 32 blocks", build(newBlockedFilter(96)), build(newBlockedFilter(32))},
	} {
		folded, err := tc.big.Fold(tc.small.Bits())
		require.NoErrorf(t, err, "%s: fold", tc.what)
		assert.Equalf(t, tc.small.words64(), folded.words64(), "%s: folding equals building at the smaller size", tc.what)
		_, err = tc.small.Fold(tc.big.Bits())
		assert.ErrorIsf(t, err, ErrFilterParams, "%s: folding up", tc.what)
	}
	blocked := build(newBlockedFilter(96))
	_, err := blocked.Fold(40 * blockBits)
	assert.ErrorIs(t, err, ErrFilterParams, "40 blocks do not divide 96")
	_, err = blocked.Union(build(newClassicFilter(1<<16, 8)))
	assert.ErrorIs(t, err, ErrFilterParams, "a blocked and a classic filter do not unite")
}

func TestFilterParams(t *testing.T) {
	for _, tc := range []struct {
		m       uint64
		k       uint32
		blocked bool
	}{{1000, 10, false}, {1 << 9, 10, false}, {1 << 41, 10, false}, {1 << 12, 0, false}, {1 << 12, 33, false},
		{1000, 8, true}, {512, 8, true}, {1 << 41, 8, true}, {1536, 7, true}} {
		_, err := filterFromWords(make([]uint64, min(tc.m, 1<<12)/64), tc.m, tc.k, tc.blocked) // checked before the words
		assert.ErrorIsf(t, err, ErrFilterParams, "m=%d k=%d blocked=%v", tc.m, tc.k, tc.blocked)
	}
	_, err := NewFilter(100, 0.5)
	assert.ErrorIs(t, err, ErrFilterParams, "fpr 0.5")
	assert.Equal(t, uint32(10), classicK(0.001), "k for 0.1%")
	assert.Equal(t, uint64(1<<21), classicBits(100000, 0.001), "bits for 100k values at 0.1%")
	f, err := NewFilter(100000, 0.001)
	require.NoError(t, err)
	assert.True(t, f.Blocked(), "NewFilter makes blocked filters")
	assert.Equal(t, uint32(8), f.K())
	// 16 bits a value hold 0.1% (0.091%); the fewest blocks that do.
	assert.InDelta(t, 15.8, float64(f.Bits())/100000, 0.2, "bits per value at 0.1%")
	assert.LessOrEqual(t, BlockedFPR(float64(f.Bits())/100000), 0.001)
	assert.Greater(t, BlockedFPR(float64(f.Bits()-blockBits)/100000), 0.001, "one block fewer would not hold 0.1%")
	small, err := NewFilter(0, 0.001)
	require.NoError(t, err)
	assert.Equal(t, uint64(MinFilterBits), small.Bits(), "at least two blocks")
}

// TestBlockedFPRKnownValues pins the blocked layout's false-positive rate
// at a few sizes, computed independently by summing the Poisson mixture
// in Python: bits per value 8, 16 and 24.
func TestBlockedFPRKnownValues(t *testing.T) {
	for _, tc := range []struct{ bpv, want float64 }{{8, 0.02931}, {16, 0.0009089}, {24, 0.00009086}} {
		assert.InEpsilonf(t, tc.want, BlockedFPR(tc.bpv), 0.01, "BlockedFPR(%g)", tc.bpv)
	}
}

func TestFilterFalsePositiveRateMatchesFill(t *testing.T) {
	for _, tc := range []struct {
		what string
		f    func(n int) (*Filter, error)
	}{
		{"classic", func(n int) (*Filter, error) { return newClassicFilter(classicBits(uint64(n), 0.01), classicK(0.01)) }},
		{"blocked", func(n int) (*Filter, error) { return NewFilter(uint64(n), 0.01) }},
	} {
		r := rand.New(rand.NewPCG(8, 8))
		n := 20000
		f, err := tc.f(n)
		require.NoError(t, err, tc.what)
		for range n {
			f.Add(r.Uint64())
		}
		fp, probes := 0, 400000
		for range probes {
			if f.Has(r.Uint64()) {
				fp++
			}
		}
		measured := float64(fp) / float64(probes)
		assert.InDeltaf(t, f.FalsePositiveRate(), measured, 0.0015, "%s: fill-based fpr vs measured", tc.what)
		assert.Lessf(t, measured, 0.0105, "%s: measured fpr at the 1%% target", tc.what)
	}
}

// A filter read from a file knows its false-positive rate from the start;
// an Add makes it compute it afresh.
func TestFilterFalsePositiveRateOfADecodedFilter(t *testing.T) {
	recs := synthRecords(3000, 21)
	b, err := build(t, recs, BuildOptions{}).MarshalBinary()
	require.NoError(t, err)
	var s Signature
	require.NoError(t, s.UnmarshalBinary(b))
	f := s.Field(canon.Phone).Filter
	require.Positive(t, f.fpr, "computed as it was decoded")
	assert.Equal(t, f.falsePositiveRate(), f.FalsePositiveRate())
	for i := range uint64(3000) {
		f.Add(mix64(i + 1<<50))
	}
	assert.Equal(t, f.falsePositiveRate(), f.FalsePositiveRate(), "an Add drops the decoded rate")
}

// BenchmarkFilter times Add and Has of both layouts over filter sizes from
// one that fits the caches to one that does not, with a fresh well-spread
// hash each time (mix64 of a counter, about a nanosecond).
func BenchmarkFilter(b *testing.B) {
	for _, mib := range []uint64{1, 16, 64} {
		bits := mib << 23
		layouts := []struct {
			name string
			f    func() (*Filter, error)
		}{
			{"blocked", func() (*Filter, error) { return newBlockedFilter(bits / blockBits) }},
			{"classic", func() (*Filter, error) { return newClassicFilter(bits, 10) }},
		}
		for _, l := range layouts {
			f, err := l.f()
			require.NoError(b, err)
			b.Run(fmt.Sprintf("%s/%dMiB/Add", l.name, mib), func(b *testing.B) {
				i := uint64(0)
				for b.Loop() {
					f.Add(mix64(i))
					i++
				}
			})
			b.Run(fmt.Sprintf("%s/%dMiB/Has", l.name, mib), func(b *testing.B) {
				i, n := uint64(1<<40), 0
				for b.Loop() {
					if f.Has(mix64(i)) {
						n++
					}
					i++
				}
				_ = n
			})
		}
	}
}
