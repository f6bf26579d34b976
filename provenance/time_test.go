package provenance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// TestDateStatsCountsEveryDate: the histogram of birth dates counts every
// date once, whether it went through the dense slots (full dates of
// 1850–2049) or the map (years alone, dates outside those years), and
// however the records were split between two stats merged.
func TestDateStatsCountsEveryDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[uint32]int{}
	var a, b dateStats
	forms := []string{"1850-01-01", "2049-12-31", "1849-12-31", "2050-01-01", "1987", "1900-02-28", "2000-02-29"}
	for i := range 5000 {
		var form string
		if i < len(forms)*3 {
			form = forms[i%len(forms)]
		} else {
			form = fmt.Sprintf("%04d-%02d-%02d", 1800+rng.IntN(300), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		want[dateKey([]byte(form))]++
		rec := []fingerprint.Hashed{{Value: canon.Value{Kind: canon.BirthDate, Status: canon.Valid, Form: []byte(form)}}}
		if i%3 == 0 {
			a.add(rec)
		} else {
			b.add(rec)
		}
	}
	a.merge(&b)
	a.flush()
	assert.Equal(t, want, a.days, "every date counted once, dense slots and map together")
	assert.Nil(t, a.dense, "flushed")
}
