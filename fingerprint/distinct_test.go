package fingerprint

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegistersFoldLikeInsertHash: registers filled inline and folded
// into a sketch, merged or not, give the sketch that inserting every hash
// with hyperloglog's InsertHash gives, on random hashes and on the edges
// of the rank (a hash whose low 50 bits are zero has the largest rank).
func TestRegistersFoldLikeInsertHash(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	edges := []uint64{0, ^uint64(0), 1, 1 << 49, 1 << 50, 3 << 62, 0x3fff << 50, 0x2aaa<<50 | 1}
	for rank := range uint(51) {
		edges = append(edges, uint64(r.IntN(1<<hllPrecision))<<50|1<<rank)
	}
	for _, n := range []int{0, 1, 100, 5000, 200000} {
		hs := append([]uint64(nil), edges...)
		for range n {
			hs = append(hs, r.Uint64()>>r.UintN(64)) // ranks of every size
		}
		want := newDistinct()
		var all, half1, half2 registers
		for i, h := range hs {
			want.insert(h)
			all.insert(h)
			if i%2 == 0 {
				half1.insert(h)
			} else {
				half2.insert(h)
			}
		}
		got := newDistinct()
		all.fold(got)
		half1.merge(&half2)
		merged := newDistinct()
		half1.fold(merged)
		wb, err := want.sk.MarshalBinary()
		require.NoError(t, err)
		gb, err := got.sk.MarshalBinary()
		require.NoError(t, err)
		mb, err := merged.sk.MarshalBinary()
		require.NoError(t, err)
		assert.Equalf(t, wb, gb, "%d random hashes and the edges: folded registers", n)
		assert.Equalf(t, wb, mb, "%d random hashes and the edges: merged halves", n)
		assert.Equalf(t, want.Estimate(), got.Estimate(), "%d random hashes: estimate", n)
	}
}

// BenchmarkDistinct compares a sketch's InsertHash with the registers a
// Builder fills inline, for seven sketches in turn, as a record's values
// reach them.
func BenchmarkDistinct(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	hs := make([]uint64, 1<<16)
	for i := range hs {
		hs[i] = r.Uint64()
	}
	b.Run("InsertHash", func(b *testing.B) {
		var ds [7]*Distinct
		for i := range ds {
			ds[i] = newDistinct()
		}
		i := 0
		for b.Loop() {
			ds[i%7].insert(hs[i&(len(hs)-1)])
			i++
		}
	})
	b.Run("registers", func(b *testing.B) {
		var rs [7]registers
		i := 0
		for b.Loop() {
			rs[i%7].insert(hs[i&(len(hs)-1)])
			i++
		}
	})
}
