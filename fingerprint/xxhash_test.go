package fingerprint

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cespare/xxhash/v2"
	"github.com/stretchr/testify/assert"
)

// TestXXHash64SeedKnownAnswers: the one-shot seeded XXH64 against published
// XXH64 values, and against cespare/xxhash's seeded Digest for every length
// 0 to 300 (each code path of the algorithm) under random seeds.
func TestXXHash64SeedKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		seed uint64
		want uint64
	}{
		{"", 0, 0xef46db3751d8e999},
		{"a", 0, 0xd24ec4f1a98c6e5b},
		{"abc", 0, 0x44bc2cf5ad770999},
		{"Nobody inspects the spammish repetition", 0, 0xfbcea83c8a378bf1},
	} {
		assert.Equalf(t, tc.want, xxhash64Seed([]byte(tc.in), tc.seed), "XXH64(%q, %d)", tc.in, tc.seed)
	}
	r := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 300)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	for n := 0; n <= len(buf); n++ {
		seed := r.Uint64()
		var d xxhash.Digest
		d.ResetWithSeed(seed)
		d.Write(buf[:n])
		assert.Equalf(t, d.Sum64(), xxhash64Seed(buf[:n], seed), "length %d, seed %#x", n, seed)
	}
}

func TestXXHash64SeedZeroAlloc(t *testing.T) {
	b := []byte("+380671234567")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = xxhash64Seed(b, 42) }), "allocations")
}

func BenchmarkXXHash64Seed(b *testing.B) {
	for _, n := range []int{8, 13, 32, 64, 256} {
		buf := make([]byte, n)
		b.Run(fmt.Sprintf("oneshot/%d", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				_ = xxhash64Seed(buf, 42)
			}
		})
		b.Run(fmt.Sprintf("digest/%d", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				var d xxhash.Digest
				d.ResetWithSeed(42)
				d.Write(buf)
				_ = d.Sum64()
			}
		})
	}
}

// TestXXHash64Words: the two-word XXH64 behind PairHash against
// cespare/xxhash's Sum64 of the same 16 bytes, on random and edge words.
func TestXXHash64Words(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	words := []uint64{0, 1, ^uint64(0), 1 << 63, prime1, prime5}
	for range 2000 {
		words = append(words, r.Uint64())
	}
	var buf [16]byte
	for i, a := range words {
		b := words[(i*7+3)%len(words)]
		binary.LittleEndian.PutUint64(buf[:8], a)
		binary.LittleEndian.PutUint64(buf[8:], b)
		if !assert.Equalf(t, xxhash.Sum64(buf[:]), xxhash64Words(a, b), "words %#x, %#x", a, b) {
			return
		}
		lo, hi := min(a, b), max(a, b)
		binary.LittleEndian.PutUint64(buf[:8], lo)
		binary.LittleEndian.PutUint64(buf[8:], hi)
		assert.Equalf(t, xxhash.Sum64(buf[:]), PairHash(a, b), "PairHash(%#x, %#x): XXH64 of the smaller word, then the larger", a, b)
	}
}
