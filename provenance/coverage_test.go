package provenance

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
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
	runs, want := coverageRuns(t)
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

// coverageRuns is how many samples a coverage test draws and the share of
// them its intervals must cover: 60 and 88% in CI (a binomial spread of
// about 3%), LEAKPROV_COVERAGE_RUNS and 93% from scripts/coverage.
func coverageRuns(t *testing.T) (int, float64) {
	s := os.Getenv("LEAKPROV_COVERAGE_RUNS")
	if s == "" {
		return 60, 0.88
	}
	n, err := strconv.Atoi(s)
	require.NoError(t, err, "LEAKPROV_COVERAGE_RUNS")
	return n, 0.93
}

// densePhones maps i to the i-th of a fixed permutation of the UA mobile
// numbers the chance model counts (12 operator codes × 10^7), so that the
// first n of them are n distinct numbers spread over the whole space.
func densePhones(i int) string {
	const space = 12e7
	codes := [...]string{"50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"}
	x := (uint64(i)*2654435761 + 12345) % space // 2654435761 is prime, coprime to the space
	return "+380" + codes[x/1e7] + fmt.Sprintf("%07d", x%1e7)
}

// TestShareIntervalsCoverAgainstADenseDump is the third case: a
// dump of 5M phones holds 4% of every UA mobile number, so a random number
// matches it one time in 24. A sample of 1,000 real people, 12% of them in
// the dump and the rest with numbers of their own: records and explained
// said 0.12 and 0.08, the verdict new, and the interval of explained
// covered the truth 14% of the time. One correction now gives both: a
// number belongs to its holder, so a match is its holder's, and the
// interval reaches down to the reading of made-up numbers, whose chance is
// the dump's density (the correction's own uncertainty). A sample of
// made-up numbers still matches no more than chance.
func TestShareIntervalsCoverAgainstADenseDump(t *testing.T) {
	if raceEnabled {
		t.Skip("a simulation on a large source: run without -race")
	}
	const dump, n, p = 5_000_000, 1000, 0.12
	h := unkeyed(t)
	cols := []canon.Column{{Name: "phone", Kind: canon.Phone}}
	enc := fingerprint.NewEncoder(h, canon.UA, cols)
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{Meta: fingerprint.Metadata{Name: "phones", Snapshot: "2019-01-01", Region: canon.UA}})
	require.NoError(t, err)
	rec := make([]string, 1)
	for i := range dump {
		rec[0] = densePhones(i)
		require.NoError(t, b.Add(enc.Encode(nil, rec)))
	}
	sig, err := b.Finish()
	require.NoError(t, err)
	cat := &Catalog{}
	require.NoError(t, cat.Add(sig, ""))
	chance := chanceRate(canon.Phone, canon.UA, sig.Field(canon.Phone).DistinctCount())
	require.InDelta(t, 0.042, chance, 0.002, "the dump holds 4% of the numbers")

	sample := func(rng *rand.Rand, recycled float64, own bool) []byte {
		var buf bytes.Buffer
		buf.WriteString("phone\n")
		for range n {
			i := dump + rng.IntN(50_000_000) // a number of its own, in no dump
			switch {
			case rng.Float64() < recycled:
				i = rng.IntN(dump)
			case !own:
				i = rng.IntN(120_000_000) // a made-up number, anywhere
			}
			buf.WriteString(densePhones(i) + "\n")
		}
		return buf.Bytes()
	}
	rng := rand.New(rand.NewPCG(12, 5))
	runs, want := coverageRuns(t)
	var explained, records, mixed int
	sum := 0.0
	for range runs {
		rep := score(t, cat, sample(rng, p, true), Options{Hasher: h})
		if rep.Verdict == Mixed {
			mixed++
		}
		sum += rep.Explained.Estimate
		src := source(t, rep, "phones")
		require.InDelta(t, rep.Explained.Estimate, src.Records.Estimate, 1e-4, "one correction: records is explained, for one source")
		if rep.Explained.Low <= p && p <= rep.Explained.High {
			explained++
		}
		if src.Records.Low <= p && p <= src.Records.High {
			records++
		}
	}
	t.Logf("explained covered %d, records %d of %d", explained, records, runs)
	assert.InDelta(t, p, sum/float64(runs), 0.01, "explained, on average the truth")
	assert.GreaterOrEqual(t, float64(explained)/float64(runs), want, "explained covers the truth")
	assert.GreaterOrEqual(t, float64(records)/float64(runs), want, "records covers the truth")
	assert.GreaterOrEqual(t, float64(mixed)/float64(runs), 0.85, "the verdict: mixed (at 0.12, a 10%% threshold away)")

	madeUp := score(t, cat, sample(rng, 0, false), Options{Hasher: h})
	assert.False(t, source(t, madeUp, "phones").Significant, "made-up numbers match no more than chance")
	assert.Equal(t, New, madeUp.Verdict, "made-up numbers")
}
