package provenance

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/sampleset"
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
	assert.Empty(t, fv.Value, "the value is not reported")

	// With ShowValues, and records that can be read again, it is.
	path := filepath.Join(t.TempDir(), "sample.csv")
	require.NoError(t, os.WriteFile(path, sample, 0o600))
	j, err := (&sampleset.Opener{}).Join(context.Background(), path)
	require.NoError(t, err)
	defer j.Close()
	shown, err := Score(context.Background(), cat, j, Options{Hasher: h, ShowValues: true})
	require.NoError(t, err)
	require.Len(t, shown.Sample.FrequentValues, 1, "one frequent value")
	assert.Equal(t, "0000000000", shown.Sample.FrequentValues[0].Value, "with ShowValues, the value")
	assert.NotContains(t, fmt.Sprint(shown.Evidence), "0000000000", "never in the evidence")

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

// TestPlaceholdersOfTheSourceAreNoIdentifiers: a dump that writes a
// missing national ID as 0000000000 in 40% of its rows, and a brand-new
// breach of 100 people in which 9 carry it, too few for the sample to
// call it frequent. On the source's side it is: the 9 matched the dump
// "record for record" before, and a new breach read as mixed.
func TestPlaceholdersOfTheSourceAreNoIdentifiers(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 62, 6000)
	const id = 3 // bankCols: name, phone, birth_date, national_id
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA,
		withPlaceholder(t, table(t, world[:3000], bankCols), id, "0000000000", func(i int) bool { return i%5 < 2 })), ""))
	nine := func(i int) bool { return i < 9 }
	sample := withPlaceholder(t, table(t, world[4000:4100], bankCols), id, "0000000000", nine)
	rep := score(t, cat, sample, Options{Hasher: h})

	assert.Empty(t, rep.Sample.FrequentValues, "too few in the sample to be frequent there")
	src := source(t, rep, "bank")
	assert.Equal(t, 9, src.FrequentOnly, "the nine found in the dump on its placeholder only")
	assert.Equal(t, 0.0, src.Records.Estimate, "and not counted as matching it")
	assert.Equal(t, New, rep.Verdict, "an all-new breach")
	assert.Contains(t, fmt.Sprint(rep.Evidence), "bank: 9 records", "the evidence names the source and the records")

	// Without the source's counts (a signature of an older writer), the
	// nine match, as they did.
	for _, f := range cat.Sources[0].Fields {
		f.Frequent = nil
	}
	rep = score(t, cat, sample, Options{Hasher: h})
	assert.Equal(t, 0, source(t, rep, "bank").FrequentOnly, "nothing to tell placeholders by")
	assert.InDelta(t, 0.09, source(t, rep, "bank").Records.Estimate, 0.01, "the nine match")
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

	// Hashes as the hasher spreads them, a few heavy ones among many
	// light: every estimate at least the count, whatever shares a line.
	var r countMin
	exact := map[uint64]uint32{}
	x := uint64(1)
	for i := range 400000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		h := x
		if i%10 == 0 {
			h = uint64(i%40+1) * 0xd6e8feb86659fd93 // 40 values held 1,000 times each
		}
		r.add(h)
		exact[h]++
	}
	over := 0
	for h, n := range exact {
		e := r.estimate(h)
		require.GreaterOrEqual(t, e, n, "hash %x", h)
		if n < 500 && e >= 500 {
			over++
		}
	}
	assert.Less(t, over, 100, "few light values look frequent: the candidates counted exactly stay few")
}

func TestSourceFrequentAt(t *testing.T) {
	h := unkeyed(t)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, synth.People(canon.UA, 63, 3000), bankCols)), ""))
	f := cat.Sources[0].Field(canon.Phone)
	require.NotNil(t, f.Frequent, "the phones' counts")
	at, ok := sourceFrequentAt(3000, f)
	assert.True(t, ok, "3,000 records")
	assert.Equal(t, uint64(minFrequent), at, "a small dump: the fewest records a frequent value is held by")
	at, ok = sourceFrequentAt(5_000_000, f)
	assert.True(t, ok, "5M records")
	assert.Equal(t, uint64(5000), at, "one in a thousand")

	crowded := *f
	crowded.Valid = 100 * uint64(f.Frequent.Width()) // every counter about 100 records
	at, ok = sourceFrequentAt(3000, &crowded)
	assert.True(t, ok, "counters of 100 records each")
	assert.Equal(t, uint64(800), at, "8 times what the other values add to a counter")
	crowded.Valid = 1 << 40
	_, ok = sourceFrequentAt(1<<40, &crowded)
	assert.False(t, ok, "counters that cannot tell a value's records from the others'")
	crowded.Frequent = nil
	_, ok = sourceFrequentAt(3000, &crowded)
	assert.False(t, ok, "no counts")
}

// No value of a dump of distinct identifiers is taken for a frequent one,
// however its counters are shared: 20,000 records of three phones each,
// and 200,000 records of one.
func TestSourceFrequentFlagsNoIdentifier(t *testing.T) {
	if raceEnabled {
		t.Skip("a simulation on a large source: run without -race")
	}
	h := unkeyed(t)
	for _, c := range []struct{ records, cols int }{{20_000, 3}, {200_000, 1}} {
		cols := make([]canon.Column, c.cols)
		for i := range cols {
			cols[i] = canon.Column{Name: fmt.Sprintf("phone%d", i), Kind: canon.Phone}
		}
		enc := fingerprint.NewEncoder(h, canon.UA, cols)
		b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{Meta: fingerprint.Metadata{Name: "dump"}})
		require.NoError(t, err)
		rec := make([]string, c.cols)
		phone := func(i, j int) string { return fmt.Sprintf("+38050%07d", i*c.cols+j) }
		for i := range c.records {
			for j := range rec {
				rec[j] = phone(i, j)
			}
			require.NoError(t, b.Add(enc.Encode(nil, rec)))
		}
		sig, err := b.Finish()
		require.NoError(t, err)
		f := sig.Field(canon.Phone)
		at, ok := sourceFrequentAt(sig.Meta.Records, f)
		require.True(t, ok, "%d records: the counts tell", c.records)
		flagged := 0
		for i := range c.records {
			for j := range c.cols {
				v, _ := canon.AppendPhone(nil, phone(i, j), canon.UA)
				if f.Frequent.Records(h.Sum64(canon.Phone, v)) >= at {
					flagged++
				}
			}
		}
		assert.Zero(t, flagged, "%d records of %d phones: no phone is frequent (threshold %d)", c.records, c.cols, at)
	}
}
