package provenance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// TestDuplicatesAreCountedOnce: 300 people of a known dump listed four
// times each, and 1,200 new people. By rows 50% are recycled; by distinct
// records 20%, which is what the report must say, and say why.
func TestDuplicatesAreCountedOnce(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 51, 5000)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:2000], bankCols)), ""))
	var people []synth.Person
	for range 4 {
		people = append(people, world[:300]...)
	}
	people = append(people, world[3000:4200]...)
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	rep := score(t, cat, table(t, people, bankCols), Options{Hasher: h})

	assert.Equal(t, 2400, rep.Sample.Identified, "rows with an identifier")
	assert.Equal(t, 1500, rep.Sample.Distinct, "distinct records")
	assert.Equal(t, 900, rep.Sample.Duplicates, "repeated rows")
	assert.InDelta(t, 0.375, rep.Sample.DuplicateShare, 1e-4, "duplicate share")
	assert.InDelta(t, 0.20, rep.Explained.Estimate, 0.03, "explained: by distinct records, not rows (rows say 0.50)")
	assert.InDelta(t, 0.20, rep.Sources[0].Records.Estimate, 0.03, "records share of bank")
	assert.InDelta(t, 0.20, rep.Sources[0].Joint.Estimate, 0.03, "joint share of bank")
	assert.Equal(t, Mixed, rep.Verdict, "a fifth recycled is mixed")
	assert.True(t, rep.Explained.Low <= 0.2 && 0.2 <= rep.Explained.High, "the interval %v covers the distinct truth", rep.Explained)
	assert.Contains(t, fmt.Sprint(rep.Evidence), "900 of the 2,400 identified records (38%) repeat the identifiers of an earlier record", "the evidence says so")
}

// TestDuplicateIntervalsCover: 50 people of a known dump listed 20 times
// each among new people. Counted by rows, the interval covered the true
// (distinct) share 36% of the time; counted once each, it must cover it as
// the method promises.
func TestDuplicateIntervalsCover(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 53, 20000)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:10000], bankCols)), ""))
	rng := rand.New(rand.NewPCG(7, 8))
	const runs = 60
	covered := 0
	for run := range runs {
		var people []synth.Person
		known := rng.Perm(10000)[:50]
		for _, i := range known {
			for range 20 {
				people = append(people, world[i])
			}
		}
		fresh := 50 + rng.IntN(100)
		for _, i := range rng.Perm(10000)[:fresh] {
			people = append(people, world[10000+i])
		}
		truth := 50.0 / float64(50+fresh)
		rep := score(t, cat, table(t, people, bankCols), Options{Hasher: h})
		require.Equalf(t, 50+fresh, rep.Sample.Distinct, "run %d: distinct records", run)
		if rep.Explained.Low <= truth && truth <= rep.Explained.High {
			covered++
		}
	}
	assert.GreaterOrEqual(t, float64(covered)/runs, 0.90, "coverage of the 95%% interval over %d runs (by rows it was 36%%)", runs)
}

// TestRecordKeyIgnoresOrder: a record's identifiers in another order (the
// columns of another member) are the same record; another set is not.
func TestRecordKeyIgnoresOrder(t *testing.T) {
	ids := []fingerprint.Hashed{{Hash: 1}, {Hash: 2}, {Hash: 3}}
	rev := []fingerprint.Hashed{{Hash: 3}, {Hash: 1}, {Hash: 2}}
	assert.Equal(t, recordKey(ids), recordKey(rev), "same identifiers, other order")
	assert.NotEqual(t, recordKey(ids), recordKey(ids[:2]), "a subset is another record")
	assert.NotEqual(t, recordKey([]fingerprint.Hashed{{Hash: 1}, {Hash: 1}}), recordKey([]fingerprint.Hashed{{Hash: 2}}), "sums of mixed hashes, not of hashes")
	var s recordSet
	assert.True(t, s.first(ids), "first time")
	assert.False(t, s.first(rev), "second time, other order")
}
