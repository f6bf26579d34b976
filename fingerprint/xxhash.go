package fingerprint

import (
	"encoding/binary"
	"math/bits"
)

// The primes of XXH64.
const (
	prime1 uint64 = 11400714785074694791
	prime2 uint64 = 14029467366897019727
	prime3 uint64 = 1609587929392839161
	prime4 uint64 = 9650029242287828579
	prime5 uint64 = 2870177450012600261
)

func round(acc, in uint64) uint64 { return bits.RotateLeft64(acc+in*prime2, 31) * prime1 }

// xxhash64Seed returns XXH64 of b under seed, as
// github.com/cespare/xxhash/v2's Digest does after ResetWithSeed, in one
// call: that package has no seeded one-shot function, and the Digest path
// costs three times as much on the short values hashed here. The algorithm
// is XXH64 of the xxHash specification (Collet, xxhash_spec.md).
func xxhash64Seed(b []byte, seed uint64) uint64 {
	merge := func(acc, v uint64) uint64 { return (acc^round(0, v))*prime1 + prime4 }
	n := len(b)
	var h uint64
	if n >= 32 {
		v1, v2, v3, v4 := seed+prime1+prime2, seed+prime2, seed, seed-prime1
		for ; len(b) >= 32; b = b[32:] {
			v1 = round(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = round(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = round(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = round(v4, binary.LittleEndian.Uint64(b[24:]))
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) + bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = merge(merge(merge(merge(h, v1), v2), v3), v4)
	} else {
		h = seed + prime5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= round(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	return avalanche(h)
}

func avalanche(h uint64) uint64 {
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

// xxhash64Words returns XXH64, seed 0, of the 16 bytes of a and b in
// little-endian order, as xxhash.Sum64 of those bytes does: the short-input
// path of the algorithm, two 8-byte lanes, without the buffer.
func xxhash64Words(a, b uint64) uint64 {
	h := prime5 + 16
	h ^= round(0, a)
	h = bits.RotateLeft64(h, 27)*prime1 + prime4
	h ^= round(0, b)
	h = bits.RotateLeft64(h, 27)*prime1 + prime4
	return avalanche(h)
}
