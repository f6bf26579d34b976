package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Counts are the distinct-count sketches of a dump's kinds and of the
// pairs of identifiers its records hold (the pair filter's values): what
// sizes its filters when no Capacity fixes them. Shards of one dump built apart without a capacity
// merge into the signature one build makes only when every shard's
// filters were sized by the Counts of the whole dump: count them in a
// first pass ([BuildOptions].CountOnly, [Builder.Counts]), merge the
// shards' Counts, and give the result to every shard's build
// ([BuildOptions].Sizes).
//
// Counts are not safe for concurrent writes.
type Counts struct {
	kinds [canon.KindCount]*registers
	pairs *registers
}

// NewCounts returns empty Counts.
func NewCounts() *Counts { return &Counts{pairs: new(registers)} }

// Merge adds o's counts to c: c then counts what either was given.
func (c *Counts) Merge(o *Counts) {
	for k, r := range o.kinds {
		if r == nil {
			continue
		}
		if c.kinds[k] == nil {
			c.kinds[k] = new(registers)
		}
		c.kinds[k].merge(r)
	}
	c.pairs.merge(o.pairs)
}

// Distinct returns the estimate of kind k's distinct values (0 when it
// holds none, or c is nil), the number a one-machine build sizes k's
// filter for.
func (c *Counts) Distinct(k canon.Kind) uint64 {
	if c == nil || !k.Valid() || c.kinds[k] == nil {
		return 0
	}
	return estimate(c.kinds[k])
}

// Pairs returns the estimate of distinct identifier pairs (0 if c is nil).
func (c *Counts) Pairs() uint64 {
	if c == nil {
		return 0
	}
	return estimate(c.pairs)
}

// estimate is the estimate of a sketch holding r's registers: the one
// Builder.Finish computes from the same registers.
func estimate(r *registers) uint64 {
	d := newDistinct()
	r.fold(d)
	return d.Estimate()
}

// countsVersion is the first byte of Counts' encoding; it also fixes the
// sketches' hash (the signature format's) and precision (14).
const countsVersion = 1

// countsLen is the length of an encoding holding n kinds.
func countsLen(n int) int { return 1 + 2 + (n+1)*len(registers{}) }

// ErrCountsEncoding is wrapped by the errors of Counts.UnmarshalBinary.
var ErrCountsEncoding = errors.New("fingerprint: bad counts encoding")

// MarshalBinary encodes the counts: a version byte, a little-endian
// bitmap of the kinds counted, then the pairs' registers and each kind's,
// 2^14 bytes each.
func (c *Counts) MarshalBinary() ([]byte, error) {
	var mask uint16
	n := 0
	for k, r := range c.kinds {
		if r != nil {
			mask |= 1 << k
			n++
		}
	}
	out := make([]byte, 0, countsLen(n))
	out = append(out, countsVersion)
	out = binary.LittleEndian.AppendUint16(out, mask)
	out = append(out, c.pairs[:]...)
	for _, r := range c.kinds {
		if r != nil {
			out = append(out, r[:]...)
		}
	}
	return out, nil
}

// UnmarshalBinary decodes counts MarshalBinary encoded, checking the whole
// encoding before it sets the receiver.
func (c *Counts) UnmarshalBinary(data []byte) error {
	if len(data) < 3 {
		return fmt.Errorf("%w: %d bytes", ErrCountsEncoding, len(data))
	}
	if data[0] != countsVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrCountsEncoding, data[0], countsVersion)
	}
	mask := binary.LittleEndian.Uint16(data[1:])
	n := 0
	for k := range canon.KindCount {
		if mask&(1<<k) != 0 {
			n++
		}
	}
	if len(data) != countsLen(n) {
		return fmt.Errorf("%w: %d bytes for %d kinds, want %d", ErrCountsEncoding, len(data), n, countsLen(n))
	}
	// A rank is at most the 50 bits below the register's index, plus one.
	for i, v := range data[3:] {
		if v > 64-hllPrecision+1 {
			return fmt.Errorf("%w: register %d holds rank %d", ErrCountsEncoding, i%len(registers{}), v)
		}
	}
	out := Counts{pairs: new(registers)}
	rest := data[3+copy(out.pairs[:], data[3:]):]
	for k := range canon.KindCount {
		if mask&(1<<k) != 0 {
			out.kinds[k] = new(registers)
			rest = rest[copy(out.kinds[k][:], rest):]
		}
	}
	*c = out
	return nil
}
