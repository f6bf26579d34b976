package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"github.com/bits-and-blooms/bloom/v3"
)

// Filter is a Bloom filter over 64-bit value hashes, in one of two layouts.
// The hashes must be spread uniformly over all 64 bits, as a [Hasher]'s and
// [PairHash]'s are:
//
//   - blocked (what Builders make, format version 2): the filter is an array
//     of 512-bit blocks, one 64-byte cache line each, of eight 64-bit words.
//     A hash h picks its block from its top 32 bits by multiply-shift,
//     ((h>>32) × blocks) >> 32, and one bit in each of the block's eight
//     words from its low 32 bits, (uint32(h) × salt_i) >> 26, with the eight
//     odd salts of the Parquet split-block Bloom filter. An Add or a Has
//     touches one cache line and does no division and no re-hashing. Like
//     Parquet's filter, but with 64-bit words: at 16 bits per value it has a
//     false-positive rate of 0.091%, where Parquet's 32-bit words give 0.13%.
//   - classic (format version 1, read and merged, never built): github.com/
//     bits-and-blooms/bloom/v3 over a power-of-two number of bits with k
//     hash functions.
//
// A filter folds exactly to a size that divides its own (OR-ing the blocks,
// or the halves, that fall together gives the filter that building at the
// smaller size would have given), which lets shards of different sizes
// merge. A Filter is not safe for concurrent writes; concurrent Has calls
// are safe.
type Filter struct {
	bf     *bloom.BloomFilter // classic layout
	words  []uint64           // blocked layout: 8 words a block
	blocks uint64
	// backing holds the file mapping the words are in, if they are (see
	// ReadFile).
	backing *mappedFile
	// fpr is FalsePositiveRate of a filter read from a file, computed once
	// as it is decoded; 0 for others, and after an Add.
	fpr float64
}

// Limits on filter parameters, checked before any allocation.
const (
	MinFilterBits = 1 << 10
	MaxFilterBits = 1 << 40
	MaxFilterK    = 32
)

// blockBits is the size of a block of the blocked layout; blockWords its
// words; blockK the bits a value sets in it (one a word).
const (
	blockBits  = 512
	blockWords = blockBits / 64
	blockK     = blockWords
)

// blockSalts are the odd multipliers that spread a hash's low 32 bits over
// the words of its block: the salts of the Parquet split-block Bloom filter
// (parquet-format BloomFilter.md).
var blockSalts = [blockWords]uint32{0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d,
	0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31}

// ErrFilterParams is returned for filter parameters outside the limits.
var ErrFilterParams = errors.New("fingerprint: bad filter parameters")

// NewFilter returns an empty blocked filter sized to hold n values at
// false-positive rate fpr (see BlockedFPR), with at least two blocks.
func NewFilter(n uint64, fpr float64) (*Filter, error) {
	if !(fpr > 0 && fpr < 0.5) {
		return nil, fmt.Errorf("%w: false-positive rate %g outside (0, 0.5)", ErrFilterParams, fpr)
	}
	return newBlockedFilter(blocksFor(n, fpr))
}

func newBlockedFilter(blocks uint64) (*Filter, error) {
	if err := checkFilterParams(blocks*blockBits, blockK, true); err != nil {
		return nil, err
	}
	return &Filter{words: make([]uint64, blocks*blockWords), blocks: blocks}, nil
}

// newClassicFilter returns an empty classic filter of m bits (a power of
// two) and k hash functions.
func newClassicFilter(m uint64, k uint32) (*Filter, error) {
	if err := checkFilterParams(m, k, false); err != nil {
		return nil, err
	}
	return &Filter{bf: bloom.FromWithM(make([]uint64, m/64), uint(m), uint(k))}, nil
}

// filterFromWords wraps words (m/64 of them) without copying.
func filterFromWords(words []uint64, m uint64, k uint32, blocked bool) (*Filter, error) {
	if err := checkFilterParams(m, k, blocked); err != nil {
		return nil, err
	}
	if uint64(len(words)) != m/64 {
		return nil, fmt.Errorf("%w: %d words for %d bits", ErrFilterParams, len(words), m)
	}
	if blocked {
		return &Filter{words: words, blocks: m / blockBits}, nil
	}
	return &Filter{bf: bloom.FromWithM(words, uint(m), uint(k))}, nil
}

func checkFilterParams(m uint64, k uint32, blocked bool) error {
	switch {
	case m < MinFilterBits || m > MaxFilterBits:
		return fmt.Errorf("%w: size %d bits outside [2^10, 2^40]", ErrFilterParams, m)
	case blocked && m%blockBits != 0:
		return fmt.Errorf("%w: size %d bits is not a whole number of %d-bit blocks", ErrFilterParams, m, blockBits)
	case blocked && k != blockK:
		return fmt.Errorf("%w: a blocked filter sets %d bits a value, not %d", ErrFilterParams, blockK, k)
	case !blocked && bits.OnesCount64(m) != 1:
		return fmt.Errorf("%w: size %d bits is not a power of two", ErrFilterParams, m)
	case k < 1 || k > MaxFilterK:
		return fmt.Errorf("%w: %d hash functions, want 1 to %d", ErrFilterParams, k, MaxFilterK)
	}
	return nil
}

// Blocked reports whether the filter has the blocked layout.
func (f *Filter) Blocked() bool { return f.bf == nil }

// Add inserts a value hash.
func (f *Filter) Add(h uint64) {
	f.fpr = 0
	f.add(h)
}

// add is Add for a filter being filled, whose rate was never computed: it
// writes nothing but the bits, so that goroutines filling disjoint blocks
// do not race.
func (f *Filter) add(h uint64) {
	if f.bf != nil {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], h)
		f.bf.Add(b[:])
		runtime.KeepAlive(f)
		return
	}
	f.setBits(h)
	runtime.KeepAlive(f) // its words may be in a mapping f keeps
}

// setBits sets h's bits in its block of a blocked filter.
func (f *Filter) setBits(h uint64) {
	w := f.block(h)
	lo := uint32(h)
	for i := range w {
		w[i] |= 1 << ((lo * blockSalts[i]) >> 26)
	}
}

// addAll adds hashes, as add does each: one call for a spool chunk's.
func (f *Filter) addAll(hs []uint64) {
	if f.bf != nil {
		for _, h := range hs {
			f.add(h)
		}
		return
	}
	for _, h := range hs {
		f.setBits(h)
	}
	runtime.KeepAlive(f)
}

// Has reports whether a value hash may be in the filter.
func (f *Filter) Has(h uint64) bool {
	if f.bf != nil {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], h)
		found := f.bf.Test(b[:])
		runtime.KeepAlive(f)
		return found
	}
	w := f.block(h)
	lo := uint32(h)
	found := true
	for i := range w {
		if w[i]&(1<<((lo*blockSalts[i])>>26)) == 0 {
			found = false
			break
		}
	}
	runtime.KeepAlive(f)
	return found
}

// block returns the words of h's block.
func (f *Filter) block(h uint64) *[blockWords]uint64 {
	b := (h >> 32) * f.blocks >> 32
	return (*[blockWords]uint64)(f.words[b*blockWords:])
}

// Bits returns the filter's size in bits.
func (f *Filter) Bits() uint64 {
	if f.bf != nil {
		return uint64(f.bf.Cap())
	}
	return f.blocks * blockBits
}

// K returns the number of bits a value sets: the classic layout's hash
// functions, or 8 for the blocked layout.
func (f *Filter) K() uint32 {
	if f.bf != nil {
		return uint32(f.bf.K())
	}
	return blockK
}

// words64 returns the filter's bit array, shared with the filter: the
// caller keeps f alive while it uses them (the words may be in a mapping
// that f alone keeps).
func (f *Filter) words64() []uint64 {
	if f.bf != nil {
		return f.bf.BitSet().Words()
	}
	return f.words
}

// Fill returns the share of bits set.
func (f *Filter) Fill() float64 {
	n := 0
	for _, w := range f.words64() {
		n += bits.OnesCount64(w)
	}
	runtime.KeepAlive(f)
	return float64(n) / float64(f.Bits())
}

// FalsePositiveRate returns the chance that a value never added tests
// positive, computed from the filter's actual bits: for the classic layout
// fill^k; for the blocked layout the mean over blocks of the product of its
// eight words' fills (a value tests positive when its bit is set in every
// word of its block), which counts how unevenly the values fell into
// blocks.
func (f *Filter) FalsePositiveRate() float64 {
	if f.fpr > 0 {
		return f.fpr
	}
	return f.falsePositiveRate()
}

func (f *Filter) falsePositiveRate() float64 {
	if f.bf != nil {
		return math.Pow(f.Fill(), float64(f.K()))
	}
	sum := 0.0
	for b := uint64(0); b < f.blocks; b++ {
		p := 1.0
		for _, w := range f.words[b*blockWords : (b+1)*blockWords] {
			p *= float64(bits.OnesCount64(w)) / 64
		}
		sum += p
	}
	runtime.KeepAlive(f)
	return sum / float64(f.blocks)
}

// Fold returns a copy of f folded to m bits: for the classic layout a power
// of two no larger than f's size, for the blocked layout a whole number of
// blocks that divides f's.
func (f *Filter) Fold(m uint64) (*Filter, error) {
	if m > f.Bits() {
		return nil, fmt.Errorf("%w: cannot fold %d bits up to %d", ErrFilterParams, f.Bits(), m)
	}
	if f.bf != nil {
		g, err := newClassicFilter(m, f.K())
		if err != nil {
			return nil, err
		}
		dst := g.words64()
		for i, w := range f.words64() {
			dst[uint64(i)%(m/64)] |= w
		}
		runtime.KeepAlive(f)
		return g, nil
	}
	if m%blockBits != 0 || f.blocks%(m/blockBits) != 0 {
		return nil, fmt.Errorf("%w: %d blocks do not fold into %d bits", ErrFilterParams, f.blocks, m)
	}
	g, err := newBlockedFilter(m / blockBits)
	if err != nil {
		return nil, err
	}
	// Block b of f falls into block b/r of g: multiply-shift by blocks/r
	// gives floor((h>>32)×blocks/2^32 / r).
	r := f.blocks / g.blocks
	for b := uint64(0); b < f.blocks; b++ {
		dst := g.words[b/r*blockWords:]
		for i, w := range f.words[b*blockWords : (b+1)*blockWords] {
			dst[i] |= w
		}
	}
	runtime.KeepAlive(f)
	return g, nil
}

// Union merges g into f, folding the larger of the two to the size of the
// smaller; both must have one layout and the same number of hash
// functions.
func (f *Filter) Union(g *Filter) (*Filter, error) {
	if f.Blocked() != g.Blocked() {
		return nil, fmt.Errorf("%w: a blocked and a classic filter", ErrFilterParams)
	}
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
	dst := a.words64()
	for i, w := range b.words64() {
		dst[i] |= w
	}
	runtime.KeepAlive(b)
	return a, nil
}

// BlockedFPR returns the expected false-positive rate of a blocked filter
// holding bitsPerValue bits for each value: values fall into blocks as a
// Poisson process of mean 512/bitsPerValue, and a value that is not in the
// filter tests positive when its bit is set in each of its block's eight
// words.
func BlockedFPR(bitsPerValue float64) float64 {
	lambda := blockBits / bitsPerValue
	if !(lambda > 0) {
		return 0
	}
	// Sum P(j values in a block) × P(all eight probed bits set | j values)
	// over the j that carry the Poisson mass, the terms in log space so that
	// a mean of thousands does not underflow.
	spread := 12*math.Sqrt(lambda) + 16
	lo, hi := max(0, math.Floor(lambda-spread)), math.Ceil(lambda+spread)
	sum := 0.0
	for j := lo; j <= hi; j++ {
		lg, _ := math.Lgamma(j + 1)
		p := math.Exp(j*math.Log(lambda) - lambda - lg)
		fill := -math.Expm1(j * math.Log1p(-1.0/64))
		sum += p * math.Pow(fill, blockK)
	}
	return min(sum, 1)
}

// blocksFor returns the number of blocks that holds n values at
// false-positive rate fpr: the fewest whose BlockedFPR is at most fpr, at
// least two (MinFilterBits).
func blocksFor(n uint64, fpr float64) uint64 {
	const minBlocks, maxBlocks = MinFilterBits / blockBits, MaxFilterBits / blockBits
	n = max(n, 1)
	lo, hi := uint64(minBlocks), uint64(minBlocks)
	for BlockedFPR(float64(hi*blockBits)/float64(n)) > fpr {
		if hi >= maxBlocks {
			return maxBlocks
		}
		lo, hi = hi, min(2*hi, maxBlocks)
	}
	for lo < hi { // the fewest blocks in (lo, hi] that hold the rate
		mid := lo + (hi-lo)/2
		if BlockedFPR(float64(mid*blockBits)/float64(n)) > fpr {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return hi
}

// classicBits returns the number of bits (a power of two, at least
// MinFilterBits) a classic filter needs to hold n values at false-positive
// rate fpr.
func classicBits(n uint64, fpr float64) uint64 {
	n = max(n, 1)
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

// classicK returns the number of hash functions of a classic filter for
// false-positive rate fpr.
func classicK(fpr float64) uint32 {
	k := uint32(math.Round(-math.Log2(fpr)))
	return min(max(k, 1), MaxFilterK)
}
