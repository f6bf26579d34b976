package provenance

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// TestShareIntervalsCover: the 95% intervals of explained, records and
// exclusive cover the leak's true share (the share of known people in the
// population the sample is drawn from) as often as they promise. Samples of
// 200 distinct records, a share p from one source (bank) and the rest new,
// with and without 30% more rows repeating records of the sample. The runs
// are seeded, so the test gives the same answer every time; in CI it runs
// 60 samples a case and asks for 88% (a binomial spread of about 3% on 60
// runs); scripts/coverage runs 1,000 and asks for 93%.
func TestShareIntervalsCover(t *testing.T) {
	runs, want := 60, 0.88
	if s := os.Getenv("LEAKPROV_COVERAGE_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, "LEAKPROV_COVERAGE_RUNS")
		runs, want = n, 0.93
	}
	h := unkeyed(t)
	world := synth.People(canon.UA, 71, 40000)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:20000], bankCols)), ""))
	require.NoError(t, cat.Add(index(t, h, "social", "2013-04-01", canon.UA, table(t, world[15000:30000], bankCols)), ""))
	const n = 200
	for _, dups := range []bool{false, true} {
		for _, p := range []float64{0.1, 0.5, 0.9} {
			rng := rand.New(rand.NewPCG(uint64(100*p), 10))
			var explained, records, exclusive int
			for range runs {
				picked := map[int]bool{}
				var people []synth.Person
				for len(people) < n {
					i := 30000 + rng.IntN(10000) // new
					if rng.Float64() < p {
						i = rng.IntN(15000) // in bank only
					}
					if !picked[i] {
						picked[i] = true
						people = append(people, world[i])
					}
				}
				if dups {
					for range n * 3 / 10 {
						people = append(people, people[rng.IntN(n)])
					}
					rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
				}
				rep := score(t, cat, table(t, people, bankCols), Options{Hasher: h})
				require.Equal(t, n, rep.Sample.Distinct, "distinct records")
				covers := func(iv Interval) int {
					if iv.Low <= p && p <= iv.High {
						return 1
					}
					return 0
				}
				explained += covers(rep.Explained)
				for _, s := range rep.Sources {
					if s.Name == "bank" {
						records += covers(s.Records)
						exclusive += covers(s.Exclusive)
					}
				}
			}
			what := fmt.Sprintf("p = %.1f, duplicates %v, %d runs", p, dups, runs)
			t.Logf("%s: explained %d, records %d, exclusive %d covered", what, explained, records, exclusive)
			assert.GreaterOrEqual(t, float64(explained)/float64(runs), want, "%s: explained", what)
			assert.GreaterOrEqual(t, float64(records)/float64(runs), want, "%s: records of bank", what)
			assert.GreaterOrEqual(t, float64(exclusive)/float64(runs), want, "%s: exclusive of bank", what)
		}
	}
}
