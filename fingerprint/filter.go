package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/bits-and-blooms/bloom/v3"
)

// Filter is a Bloom filter over 64-bit value hashes. Its size in bits is a
// power of two, so a filter can be folded exactly to any smaller power of two
// (OR-ing its halves gives the filter that building at the smaller size would
// have given), which lets shards of different sizes merge. A Filter is not
// safe for concurrent writes; concurrent Has calls are safe.
type Filter struct {
	bf *bloom.BloomFilter
}

// Limits on filter parameters, checked before any allocation.
const (
	MinFilterBits = 1 << 10
	MaxFilterBits = 1 << 40
	MaxFilterK    = 32
)

// ErrFilterParams is returned for filter parameters outside the limits.
var ErrFilterParams = errors.New("fingerprint: bad filter parameters")

// FilterBits returns the number of bits (a power of two, at least
// MinFilterBits) a filter needs to hold n values at false-positive rate fpr.
func FilterBits(n uint64, fpr float64) uint64 {
	if n < 1 {
		n = 1
	}
	m := math.Ceil(-float64(n) * math.Log(fpr) / (math.Ln2 * math.Ln2))
	if m > MaxFilterBits {
		return MaxFilterBits
	}
	b := uint64(MinFilterBits)
	for float64(b) < m {
		b <<= 1
	}
	return b
}

// FilterK returns the number of hash functions for false-positive rate fpr.
func FilterK(fpr float64) uint32 {
	k := uint32(math.Round(-math.Log2(fpr)))
	return min(max(k, 1), MaxFilterK)
}

// NewFilter returns an empty filter of m bits (a power of two) and k hash
// functions.
func NewFilter(m uint64, k uint32) (*Filter, error) {
	if err := checkFilterParams(m, k); err != nil {
		return nil, err
	}
	return &Filter{bf: bloom.FromWithM(make([]uint64, m/64), uint(m), uint(k))}, nil
}

// filterFromWords wraps words (m/64 of them) without copying.
func filterFromWords(words []uint64, m uint64, k uint32) (*Filter, error) {
	if err := checkFilterParams(m, k); err != nil {
		return nil, err
	}
	if uint64(len(words)) != m/64 {
		return nil, fmt.Errorf("%w: %d words for %d bits", ErrFilterParams, len(words), m)
	}
	return &Filter{bf: bloom.FromWithM(words, uint(m), uint(k))}, nil
}

func checkFilterParams(m uint64, k uint32) error {
	if m < MinFilterBits || m > MaxFilterBits || bits.OnesCount64(m) != 1 {
		return fmt.Errorf("%w: size %d bits is not a power of two in [2^10, 2^40]", ErrFilterParams, m)
	}
	if k < 1 || k > MaxFilterK {
		return fmt.Errorf("%w: %d hash functions, want 1 to %d", ErrFilterParams, k, MaxFilterK)
	}
	return nil
}

// Add inserts a value hash.
func (f *Filter) Add(h uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], h)
	f.bf.Add(b[:])
}

// Has reports whether a value hash may be in the filter.
func (f *Filter) Has(h uint64) bool {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], h)
	return f.bf.Test(b[:])
}

// Bits returns the filter's size in bits.
func (f *Filter) Bits() uint64 { return uint64(f.bf.Cap()) }

// K returns the number of hash functions.
func (f *Filter) K() uint32 { return uint32(f.bf.K()) }

// words returns the filter's bit array, shared with the filter.
func (f *Filter) words() []uint64 { return f.bf.BitSet().Words() }

// Fill returns the share of bits set.
func (f *Filter) Fill() float64 {
	return float64(f.bf.BitSet().Count()) / float64(f.Bits())
}

// FalsePositiveRate returns the chance that a value never added tests
// positive, computed from the filter's actual fill: fill^k.
func (f *Filter) FalsePositiveRate() float64 {
	return math.Pow(f.Fill(), float64(f.K()))
}

// Fold returns a copy of f folded to m bits, m a power of two no larger than
// f's size.
func (f *Filter) Fold(m uint64) (*Filter, error) {
	if m > f.Bits() {
		return nil, fmt.Errorf("%w: cannot fold %d bits up to %d", ErrFilterParams, f.Bits(), m)
	}
	g, err := NewFilter(m, f.K())
	if err != nil {
		return nil, err
	}
	dst, src := g.words(), f.words()
	for i, w := range src {
		dst[uint64(i)%(m/64)] |= w
	}
	return g, nil
}

// Union merges g into f, folding the larger of the two to the size of the
// smaller; both must have the same number of hash functions.
func (f *Filter) Union(g *Filter) (*Filter, error) {
	if f.K() != g.K() {
		return nil, fmt.Errorf("%w: %d and %d hash functions", ErrFilterParams, f.K(), g.K())
	}
	m := min(f.Bits(), g.Bits())
	a, err := f.Fold(m)
	if err != nil {
		return nil, err
	}
	b := g
	if g.Bits() != m {
		if b, err = g.Fold(m); err != nil {
			return nil, err
		}
	}
	dst := a.words()
	for i, w := range b.words() {
		dst[i] |= w
	}
	return a, nil
}
