package provenance

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// withPlaceholder rewrites column col of every row i (of the data rows)
// for which pick(i) to value, as a dump does that writes a missing ID as
// 0000000000.
func withPlaceholder(t *testing.T, data []byte, col int, value string, pick func(int) bool) []byte {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	for i, row := range rows[1:] {
		if pick(i) {
			row[col] = value
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.WriteAll(rows))
	return b.Bytes()
}

// TestPlaceholdersAreNoIdentifiers: a dump and a brand-new breach that both
// write a missing national ID as 0000000000 (a valid RNOKPP) in 40% of
// their rows. The placeholder matched 40% of the new breach "record for
// record" before; held by so many records, it identifies nobody now.
func TestPlaceholdersAreNoIdentifiers(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 61, 6000)
	const id = 3 // bankCols: name, phone, birth_date, national_id
	forty := func(i int) bool { return i%5 < 2 }
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA,
		withPlaceholder(t, table(t, world[:3000], bankCols), id, "0000000000", forty)), ""))
	sample := withPlaceholder(t, table(t, world[4000:6000], bankCols), id, "0000000000", forty)
	rep := score(t, cat, sample, Options{Hasher: h})

	assert.Equal(t, New, rep.Verdict, "an all-new breach")
	assert.LessOrEqual(t, rep.Explained.Estimate, 0.03, "explained: the placeholder explains nothing")
	require.Len(t, rep.Sample.FrequentValues, 1, "one frequent value")
	fv := rep.Sample.FrequentValues[0]
	assert.Equal(t, canon.NationalID, fv.Kind, "its kind")
	assert.Equal(t, 800, fv.Records, "held by 40%% of 2,000 records")
	assert.InDelta(t, 0.4, fv.Share, 1e-4, "its share")
	assert.Equal(t, 2000, rep.Sample.Identified, "the records keep their phones and names")
	assert.Equal(t, 0, rep.Sample.FrequentOnly, "none is left without an identifier")
	assert.Equal(t, 1200, rep.Sources[0].Fields[canon.NationalID].Values, "the placeholder is left out of the field's values")
	assert.Contains(t, fmt.Sprint(rep.Evidence), "held by unusually many records (placeholders or shared values) identify nobody and are not used to match: a national_id held by 800 records (40%)", "the evidence says so")

	// The same breach recycled: the other identifiers still match.
	recycled := withPlaceholder(t, table(t, world[:2000], bankCols), id, "0000000000", forty)
	rep = score(t, cat, recycled, Options{Hasher: h})
	assert.Equal(t, Recycled, rep.Verdict, "a recycled breach with the same placeholder")
	assert.InDelta(t, 1.0, rep.Explained.Estimate, 0.03, "explained")

	// Records whose only identifier is the placeholder are not identified.
	only := withPlaceholder(t, table(t, world[4000:6000], []column{{canon.Name, 0}, {canon.NationalID, 0}}), 1, "0000000000", forty)
	rep = score(t, cat, only, Options{Hasher: h})
	assert.Equal(t, 800, rep.Sample.FrequentOnly, "placeholder-only records")
	assert.Equal(t, 1200, rep.Sample.Identified, "identified: the others")
}

// TestCountMinNeverUndercounts: the sketch's estimate is at least the true
// count of every hash, so no frequent value is missed.
func TestCountMinNeverUndercounts(t *testing.T) {
	var m countMin
	truth := map[uint64]uint32{}
	for i := range uint64(200000) {
		h := (i%5000 + 1) * 0x9e3779b97f4a7c15
		m.add(h)
		truth[h]++
	}
	for h, n := range truth {
		if e := m.estimate(h); e < n {
			t.Fatalf("hash %x: estimate %d below its count %d", h, e, n)
		}
	}
	assert.Equal(t, uint32(0), m.estimate(12345), "a hash never added (almost surely)")
}
