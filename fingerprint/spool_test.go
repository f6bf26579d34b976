package fingerprint

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpoolReplayFillsAndFrees: hashes spooled in runs on disk and in
// memory, some buckets far over the spool's write size, replay into the
// same filters as adding them directly, whatever the worker count, and the
// replay gives back every stretch's memory.
func TestSpoolReplayFillsAndFrees(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 21))
	var hs [spoolTargets][]uint64
	for t := range spoolTargets {
		for range 3000 + 500*t {
			hs[t] = append(hs[t], r.Uint64())
		}
	}
	// A kind of few values: every hash in one bucket, 5 pieces of spoolIO.
	for range 5 * spoolIO / 8 {
		hs[canon.Name] = append(hs[canon.Name], 0xab<<56|r.Uint64()>>8)
	}
	// Repeats of a value at or below the MinHash threshold.
	for range 3000 {
		hs[canon.Email] = append(hs[canon.Email], 12345)
	}
	// A filter of under 4×spoolStretches blocks is replayed apart.
	hs[canon.Password] = hs[canon.Password][:20]

	// A MinHash of one hash in four reaches into several stretches.
	thr := MinHashThreshold(4)
	var wantMin [spoolTargets][]uint64
	for k := range hs {
		if k == pairTarget {
			continue
		}
		for _, h := range hs[k] {
			if h <= thr {
				wantMin[k] = append(wantMin[k], h)
			}
		}
		slices.Sort(wantMin[k])
		wantMin[k] = slices.Compact(wantMin[k])
	}
	fill := func(spoolMemory, workers int) (*[spoolTargets]*Filter, []*spool) {
		t.Helper()
		var targets [spoolTargets]*Filter
		for k := range hs {
			f, err := NewFilter(uint64(len(hs[k])), DefaultFPR)
			require.NoError(t, err)
			targets[k] = f
		}
		spools := []*spool{newSpool(t.TempDir(), spoolMemory), newSpool(t.TempDir(), spoolMemory)}
		for k := range hs {
			for i, h := range hs[k] {
				require.NoError(t, spools[i%2].add(k, h), "add")
			}
		}
		minHash, err := replay(spools, &targets, workers, thr)
		require.NoError(t, err, "replay")
		for k := range hs {
			assert.Equalf(t, wantMin[k], minHash[k], "spool memory %d, %d workers: target %d MinHash", spoolMemory, workers, k)
		}
		return &targets, spools
	}
	want, _ := fill(1<<30, 1)
	require.Less(t, want[canon.Password].blocks, uint64(4*spoolStretches), "password: a small filter")
	require.GreaterOrEqual(t, want[canon.Phone].blocks, uint64(4*spoolStretches), "phone: a large filter")
	for k := range hs {
		direct, err := NewFilter(uint64(len(hs[k])), DefaultFPR)
		require.NoError(t, err)
		for _, h := range hs[k] {
			direct.Add(h)
		}
		assert.Truef(t, slices.Equal(direct.words64(), want[k].words64()), "target %d: replayed in memory = added directly", k)
	}
	for _, tc := range []struct{ memory, workers int }{{1, 1}, {1, 2}, {1, 5}, {1 << 30, 3}} {
		got, spools := fill(tc.memory, tc.workers)
		what := fmt.Sprintf("spool memory %d, %d workers", tc.memory, tc.workers)
		if tc.memory == 1 {
			require.NotNilf(t, spools[0].file, "%s: the spool went to disk", what)
			assert.NotZerof(t, spools[0].size, "%s: and holds hashes in memory besides", what)
		}
		for k := range hs {
			assert.Truef(t, slices.Equal(want[k].words64(), got[k].words64()), "%s: target %d filter", what, k)
		}
		for _, s := range spools {
			for i := range spoolStretches {
				assert.Emptyf(t, s.frees[i], "%s: stretch %d's slabs given back", what, i)
				assert.Emptyf(t, s.spare[i], "%s: stretch %d's spare chunks dropped", what, i)
			}
			for k := range s.mem {
				for b := range s.mem[k] {
					require.Emptyf(t, s.mem[k][b], "%s: target %d bucket %d emptied", what, k, b)
				}
			}
			s.close()
		}
	}
}

// BenchmarkSpoolAdd adds hashes of seven targets, as a five-column record
// and its pairs spread them, into spools of 80 MiB (a new one every 8M
// hashes, 64 MiB of them and part-filled chunks, so that the spool never
// spills): the cost includes touching the spool's fresh memory.
func BenchmarkSpoolAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	hs := make([]uint64, 1<<20)
	for i := range hs {
		hs[i] = r.Uint64()
	}
	targets := []int{int(canon.Name), int(canon.Phone), int(canon.Email), int(canon.BirthDate), int(canon.NationalID), int(canon.NameBirthDate), pairTarget}
	s := newSpool(b.TempDir(), 80<<20)
	i := 0
	for b.Loop() {
		if i == 8<<20 {
			b.StopTimer()
			s.close()
			s, i = newSpool(b.TempDir(), 80<<20), 0
			b.StartTimer()
		}
		if err := s.add(targets[i%len(targets)], hs[i&(len(hs)-1)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	s.close()
}

// BenchmarkSpoolReplay replays 4M hashes held in memory by two spools (as
// two forks leave them) into a kind filter and a pair filter of 2M values
// each, with two workers; ns/hash is the replay's time per hash.
func BenchmarkSpoolReplay(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 2 << 20
	hs := make([]uint64, 2*n)
	for i := range hs {
		hs[i] = r.Uint64()
	}
	var targets [spoolTargets]*Filter
	for _, t := range []int{int(canon.Phone), pairTarget} {
		f, err := NewFilter(n, DefaultFPR)
		require.NoError(b, err)
		targets[t] = f
	}
	var replayed time.Duration
	for range b.N {
		spools := []*spool{newSpool(b.TempDir(), 1<<30), newSpool(b.TempDir(), 1<<30)}
		for i, h := range hs {
			t := int(canon.Phone)
			if i%2 == 1 {
				t = pairTarget
			}
			if err := spools[i%2].add(t, h); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if _, err := replay(spools, &targets, 2, MinHashThreshold(DefaultMinHashScale)); err != nil {
			b.Fatal(err)
		}
		replayed += time.Since(start)
		for _, s := range spools {
			s.close()
		}
	}
	b.ReportMetric(float64(replayed.Nanoseconds())/float64(b.N)/float64(len(hs)), "ns/hash")
}
