package provenance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWilsonReferenceValues(t *testing.T) {
	for _, tc := range []struct {
		x, n      int
		low, high float64
	}{
		{95, 100, 0.888, 0.978}, // Wilson 1927; e.g. Newcombe 1998, method 3
		{50, 50, 0.929, 1},      // Wald would give [1, 1]
		{0, 50, 0, 0.071},
		{81, 263, 0.255, 0.366}, // Newcombe 1998, Table I
		{15, 148, 0.062, 0.161}, // Newcombe 1998, Table I
		{0, 20, 0, 0.161},       // Newcombe 1998, Table I
		{1, 29, 0.006, 0.172},   // Newcombe 1998, Table I
	} {
		iv := Wilson(tc.x, tc.n)
		assert.InDeltaf(t, tc.low, iv.Low, 0.0015, "low of %d/%d", tc.x, tc.n)
		assert.InDeltaf(t, tc.high, iv.High, 0.0015, "high of %d/%d", tc.x, tc.n)
		assert.InDeltaf(t, float64(tc.x)/float64(tc.n), iv.Estimate, 1e-12, "estimate of %d/%d", tc.x, tc.n)
	}
	assert.Equal(t, Interval{0, 0, 1}, Wilson(0, 0), "no trials")
}

// Brown, Cai and DasGupta's modification near the ends, with the Poisson
// quantiles of R's qchisq(0.025, 2x)/2.
func TestModifiedWilson(t *testing.T) {
	assert.InDelta(t, 0.000253, ModifiedWilson(1, 100).Low, 1e-6, "1 of 100: Poisson lower bound")
	assert.InDelta(t, 0.0024221, ModifiedWilson(2, 100).Low, 1e-7, "2 of 100: Poisson lower bound")
	assert.InDelta(t, 1-0.0000618670, ModifiedWilson(9997, 10000).High, 1e-9, "9,997 of 10,000: Poisson upper bound")
	assert.Equal(t, Wilson(1, 100).High, ModifiedWilson(1, 100).High, "1 of 100: Wilson upper bound kept")
	assert.Equal(t, Wilson(4, 1000), ModifiedWilson(4, 1000), "4 of 1,000: Wilson's")
	assert.Equal(t, Wilson(0, 100), ModifiedWilson(0, 100), "none of 100: Wilson's")
	assert.Equal(t, Interval{0, 0, 1}, ModifiedWilson(0, 0), "no trials")
}

func TestCorrected(t *testing.T) {
	iv := Corrected(Interval{0.5, 0.4, 0.6}, 0.1)
	assert.InDelta(t, (0.5-0.1)/0.9, iv.Estimate, 1e-12, "estimate")
	assert.InDelta(t, (0.4-0.1)/0.9, iv.Low, 1e-12, "low")
	assert.Equal(t, 0.0, Corrected(Interval{0.05, 0.01, 0.1}, 0.2).Estimate, "below the false-positive rate clamps to 0")
	assert.Equal(t, Interval{0.5, 0.4, 0.6}, Corrected(Interval{0.5, 0.4, 0.6}, 0), "no correction at f=0")
}

// TestContainmentIntervalCoverage draws samples whose true containment in a
// real Bloom filter is known and checks that the corrected interval covers
// the truth in at least 93% of 1000 runs.
func TestContainmentIntervalCoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 1))
	const members = 50000
	f, err := fingerprint.NewFilter(members, 0.001)
	require.NoError(t, err)
	in := make([]uint64, members)
	for i := range in {
		in[i] = r.Uint64()
		f.Add(in[i])
	}
	fpr := f.FalsePositiveRate()
	for _, p := range []float64{0, 0.05, 0.3, 0.9, 1} {
		for _, n := range []int{100, 1000} {
			t.Run(fmt.Sprintf("p=%g/n=%d", p, n), func(t *testing.T) {
				covered := 0
				for range 1000 {
					x := 0
					for range n {
						h := r.Uint64()
						if r.Float64() < p {
							h = in[r.IntN(members)]
						}
						if f.Has(h) {
							x++
						}
					}
					iv := Corrected(ModifiedWilson(x, n), fpr)
					if iv.Low <= p && p <= iv.High {
						covered++
					}
				}
				assert.GreaterOrEqualf(t, covered, 930, "coverage of p=%g n=%d", p, n)
			})
		}
	}
}
