package provenance

import (
	"math"
	"math/bits"
)

// Hash samples for the fabrication checks that need per-value state
// (sequential, one-name). Each keeps the keys whose mixed hash has at
// least level trailing zero bits, raising the level (and dropping the
// keys below it) whenever it would hold more than fabSampleCap. The keys
// kept are thus those at or above the lowest level at which all the
// distinct keys seen fit in the cap, whatever order they came in and
// however they were shared out among samples that are then merged: a
// sample of the distinct keys of expected share 2^-level, the same for
// any split of the records, in bounded memory.

// fabSampleCap bounds the keys a hash sample keeps; its table has at most
// twice as many slots, 128 KiB (blocks) or 192 KiB (names) per sample and
// worker.
const fabSampleCap = 1 << 12

// hashSample is an open-addressing table (linear probing) of the admitted
// keys, stored mixed (mix64, never 0: 0 marks an empty slot), with a
// value each.
type hashSample[V any] struct {
	level uint8
	n     int
	keys  []uint64
	vals  []V
}

// mix64 is the splitmix64 finaliser: it spreads keys that differ in few
// bits (consecutive blocks) over all bits. It never returns 0.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	if x == 0 {
		return 1
	}
	return x
}

// admits reports whether the mixed key m is kept at level.
func admits(m uint64, level uint8) bool { return bits.TrailingZeros64(m) >= int(level) }

// entry returns the value of the mixed key m, inserted as the zero value
// (fresh) when absent, or nil when the sample's level does not admit m.
// After a fresh entry's value is set, settle must be called.
func (s *hashSample[V]) entry(m uint64) (v *V, fresh bool) {
	if !admits(m, s.level) {
		return nil, false
	}
	if 2*(s.n+1) > len(s.keys) && len(s.keys) < 2*fabSampleCap {
		s.resize(max(64, 2*len(s.keys)))
	}
	mask := uint64(len(s.keys) - 1)
	// The slot comes from the high bits; admission reads the low ones.
	for i := (m >> 32) & mask; ; i = (i + 1) & mask {
		switch s.keys[i] {
		case m:
			return &s.vals[i], false
		case 0:
			s.keys[i] = m
			s.n++
			var zero V
			s.vals[i] = zero
			return &s.vals[i], true
		}
	}
}

// settle raises the level until the sample holds at most fabSampleCap
// keys, dropping those no longer admitted.
func (s *hashSample[V]) settle() {
	if s.n <= fabSampleCap {
		return
	}
	for s.n > fabSampleCap {
		s.level++
		s.n = 0
		for _, m := range s.keys {
			if m != 0 && admits(m, s.level) {
				s.n++
			}
		}
	}
	s.resize(len(s.keys))
}

// resize moves the admitted entries into a table of size slots (a power
// of two above twice their number).
func (s *hashSample[V]) resize(size int) {
	keys, vals := s.keys, s.vals
	s.keys, s.vals, s.n = make([]uint64, size), make([]V, size), 0
	mask := uint64(size - 1)
	for j, m := range keys {
		if m == 0 || !admits(m, s.level) {
			continue
		}
		i := (m >> 32) & mask
		for s.keys[i] != 0 {
			i = (i + 1) & mask
		}
		s.keys[i], s.vals[i] = m, vals[j]
		s.n++
	}
}

// merge adds o's entries to s's, joining the values of a key both hold.
func (s *hashSample[V]) merge(o *hashSample[V], join func(a, b V) V) {
	if o.level > s.level {
		s.level = o.level
		s.resize(max(64, len(s.keys)))
	}
	for j, m := range o.keys {
		if m == 0 {
			continue
		}
		if v, fresh := s.entry(m); v != nil {
			if fresh {
				*v = o.vals[j]
			} else {
				*v = join(*v, o.vals[j])
			}
		}
	}
	s.settle()
}

// each calls f with every value kept.
func (s *hashSample[V]) each(f func(V)) {
	for i, m := range s.keys {
		if m != 0 {
			f(s.vals[i])
		}
	}
}

// sampling returns the expected share of the distinct keys kept,
// 2^-level, or 0 when every key is (level 0).
func (s *hashSample[V]) sampling() float64 {
	if s.level == 0 {
		return 0
	}
	return math.Ldexp(1, -int(s.level))
}

// blockSample keeps, per block of 64 consecutive ID bodies, the offsets
// of the bodies seen, as a bit set.
type blockSample struct{ hashSample[uint64] }

func (s *blockSample) add(block uint64, offset uint) {
	if v, fresh := s.entry(mix64(block)); v != nil {
		*v |= 1 << (offset & 63)
		if fresh {
			s.settle()
		}
	}
}

func (s *blockSample) merge(o *blockSample) {
	s.hashSample.merge(&o.hashSample, func(a, b uint64) uint64 { return a | b })
}

// counts returns the bodies kept and those of them whose next body (in
// the same block) is also kept.
func (s *blockSample) counts() (ids, next int) {
	s.each(func(v uint64) {
		ids += bits.OnesCount64(v)
		next += bits.OnesCount64(v & (v >> 1))
	})
	return ids, next
}

// nameState is what a nameSample keeps of one value: the least name hash
// of its records, their count (up to 255), and whether they carry more
// than one name.
type nameState struct {
	name  uint64
	rows  uint8
	mixed bool
}

// nameSample keeps values (by hash) with the names of the records that
// hold them.
type nameSample struct{ hashSample[nameState] }

func (s *nameSample) add(key, name uint64) {
	v, fresh := s.entry(mix64(key))
	switch {
	case v == nil:
	case fresh:
		*v = nameState{name: name, rows: 1}
		s.settle()
	default:
		if v.rows < math.MaxUint8 {
			v.rows++
		}
		if name != v.name {
			v.mixed, v.name = true, min(v.name, name)
		}
	}
}

func (s *nameSample) merge(o *nameSample) {
	s.hashSample.merge(&o.hashSample, func(a, b nameState) nameState {
		return nameState{name: min(a.name, b.name), rows: uint8(min(int(a.rows)+int(b.rows), math.MaxUint8)),
			mixed: a.mixed || b.mixed || a.name != b.name}
	})
}

// counts returns the values kept that more than one record holds, and
// those of them whose records carry more than one name.
func (s *nameSample) counts() (repeated, mixed int) {
	s.each(func(st nameState) {
		if st.rows > 1 {
			repeated++
			if st.mixed {
				mixed++
			}
		}
	})
	return repeated, mixed
}
