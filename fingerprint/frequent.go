package fingerprint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Frequent counts, per hashed value of one strong kind, the records of a
// dump that hold it: a Count-Min sketch of two rows of saturating 16-bit
// counters. A record counts once however many of its columns hold the
// value. Records never answers fewer than the true count (short of
// saturation, at FrequentMax): a placeholder written where the dump had
// no value (0000000000, noemail@mail.ru), or a switchboard many people
// share, shows as held by many records, which no personal identifier is,
// so that a score does not count a match on it as a match of the record.
//
// Like the filters, it depends neither on the order of the records nor on
// how they were shared among builds: shards built with one capacity merge
// by adding, and a sketch folds exactly to a narrower one. Its width comes
// from the kind's distinct count d (or the capacity): a value is frequent
// when one in a thousand of d (and at least 10) records hold it, and the
// sketch has 8 counters for each of those records, up to 8,192, so that
// the other values sharing a counter with one add up, on average, to an
// eighth of a frequent value's count (see Background for a dump of more
// values).
//
// A Frequent is safe for concurrent reads; adding (in a Builder) is not.
type Frequent struct {
	bits uint8                   // log2 of the width
	c    [frequentDepth][]uint16 // per row, its counters
}

// FrequentMax is the most records a Frequent counts for a value: a counter
// that reaches it stays there.
const FrequentMax = math.MaxUint16

// The dimensions of a Frequent: a value's counter in row r is
// (hash × frequentSalts[r]) >> (64 − bits).
const (
	frequentDepth   = 2
	frequentMinBits = 6  // 64 counters a row
	frequentMaxBits = 13 // 8,192 counters a row: 32 KiB a kind
)

// frequentSalts spread a hash over each row: odd multipliers, fixed by the
// format (a section of another version may choose others).
var frequentSalts = [frequentDepth]uint64{0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f}

// newFrequent returns an empty sketch 2^bits counters wide.
func newFrequent(bits uint8) *Frequent {
	f := &Frequent{bits: bits}
	for r := range f.c {
		f.c[r] = make([]uint16, 1<<bits)
	}
	return f
}

// frequentBits is the width, as log2, of the sketch of a kind of d distinct
// values (see Frequent), from 64 to 8,192 counters.
func frequentBits(d uint64) uint8 {
	need := max(10, (d+999)/1000)
	w := (8*d + need - 1) / need
	b := uint8(bits.Len64(max(w, 1) - 1))
	return min(max(b, frequentMinBits), frequentMaxBits)
}

// Width returns the number of counters in a row.
func (f *Frequent) Width() int { return 1 << f.bits }

// Background returns what the records of other values add to a counter
// of a sketch that counted records holding values: on average a
// width-th. A count is telling only well above it: as the count of a
// frequent value, ask for 8 times it at least.
func (f *Frequent) Background(records uint64) float64 { return float64(records) / float64(f.Width()) }

func (f *Frequent) slot(r int, h uint64) uint64 { return (h * frequentSalts[r]) >> (64 - f.bits) }

// add counts one more record holding the value of hash h.
func (f *Frequent) add(h uint64) {
	for r := range f.c {
		if c := &f.c[r][f.slot(r, h)]; *c < FrequentMax {
			*c++
		}
	}
}

// Records returns how many records of the dump hold the value of hash h:
// never fewer than the truth, or FrequentMax.
func (f *Frequent) Records(h uint64) uint64 {
	n := uint16(FrequentMax)
	for r := range f.c {
		n = min(n, f.c[r][f.slot(r, h)])
	}
	return uint64(n)
}

// fold returns f narrowed to 2^bits counters a row (at most f's): the
// sketch of the same records at that width, since a value's counter at the
// narrower width is its counter's top bits.
func (f *Frequent) fold(bits uint8) *Frequent {
	out := newFrequent(bits)
	shift := f.bits - bits
	for r := range f.c {
		for i, v := range f.c[r] {
			c := &out.c[r][i>>shift]
			*c = uint16(min(uint32(*c)+uint32(v), FrequentMax))
		}
	}
	return out
}

// unionFrequent adds two dumps' sketches, at the narrower width; nil when
// either is nil (a dump counted without one says nothing of its values).
func unionFrequent(a, b *Frequent) *Frequent {
	if a == nil || b == nil {
		return nil
	}
	if a.bits < b.bits {
		a, b = b, a
	}
	out := a.fold(b.bits)
	for r := range out.c {
		for i, v := range b.c[r] {
			out.c[r][i] = uint16(min(uint32(out.c[r][i])+uint32(v), FrequentMax))
		}
	}
	return out
}

// errFrequent is wrapped by the checks of a frequent section's payload.
var errFrequent = errors.New("frequent values")

// frequentPayload is the size of the payload of a frequent section of
// 2^bits counters a row.
func frequentPayload(bits uint8) uint64 { return 8 + frequentDepth*2<<bits }

// appendFrequent appends f's payload: the width and the depth (uint32
// each), then the counters row after row (uint16 each).
func appendFrequent(dst []byte, f *Frequent) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(f.Width()))
	dst = binary.LittleEndian.AppendUint32(dst, frequentDepth)
	for r := range f.c {
		for _, v := range f.c[r] {
			dst = binary.LittleEndian.AppendUint16(dst, v)
		}
	}
	return dst
}

// decodeFrequent checks and decodes a frequent section's payload.
func decodeFrequent(pay []byte) (*Frequent, error) {
	le := binary.LittleEndian
	if len(pay) < 8 {
		return nil, fmt.Errorf("%w: %d bytes, too short", errFrequent, len(pay))
	}
	w, depth := le.Uint32(pay), le.Uint32(pay[4:])
	b := uint8(bits.Len32(w) - 1)
	switch {
	case w == 0 || w&(w-1) != 0 || b < frequentMinBits || b > frequentMaxBits:
		return nil, fmt.Errorf("%w: width %d, want a power of two from %d to %d", errFrequent, w, 1<<frequentMinBits, 1<<frequentMaxBits)
	case depth != frequentDepth:
		return nil, fmt.Errorf("%w: depth %d, want %d", errFrequent, depth, frequentDepth)
	case uint64(len(pay)) != frequentPayload(b):
		return nil, fmt.Errorf("%w: %d bytes, a sketch %d wide has %d", errFrequent, len(pay), w, frequentPayload(b))
	}
	f := newFrequent(b)
	pay = pay[8:]
	for r := range f.c {
		for i := range f.c[r] {
			f.c[r][i] = le.Uint16(pay)
			pay = pay[2:]
		}
	}
	return f, nil
}

// check tests what every sketch of a kind whose values were hashed so many
// times holds: each record adds one to every row, so, short of
// saturation, the rows add up alike, to no more than the values hashed.
func (f *Frequent) check(hashed uint64) error {
	var sums [frequentDepth]uint64
	saturated := false
	for r := range f.c {
		for _, v := range f.c[r] {
			sums[r] += uint64(v)
			saturated = saturated || v == FrequentMax
		}
	}
	switch {
	case sums[0] > hashed || sums[1] > hashed:
		return fmt.Errorf("%w: rows of %d and %d records, of %d values hashed", errFrequent, sums[0], sums[1], hashed)
	case !saturated && sums[0] != sums[1]:
		return fmt.Errorf("%w: rows of %d and %d records", errFrequent, sums[0], sums[1])
	}
	return nil
}
