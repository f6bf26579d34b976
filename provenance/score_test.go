package provenance

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	fpindex "github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// column renders one kind of a person in one style.
type column struct {
	kind  canon.Kind
	style synth.Style
}

// table renders people as a CSV file with English headers.
func table(t testing.TB, people []synth.Person, cols []column) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = synth.HeaderFor(c.kind, "en")
	}
	require.NoError(t, w.Write(head))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range people {
		row := make([]string, len(cols))
		for j, c := range cols {
			row[j] = synth.Render(r, &people[i], c.kind, c.style)
		}
		require.NoError(t, w.Write(row))
	}
	w.Flush()
	require.NoError(t, w.Error())
	return buf.Bytes()
}

func reader(data []byte, name string, region canon.Region) *sampleset.Reader {
	r := sampleset.NewReader(bytes.NewReader(data))
	r.Name, r.Region = name, region
	return r
}

// index builds a source signature from a CSV file, as `leakprov index` does.
func index(t testing.TB, h *fingerprint.Hasher, name, snapshot string, region canon.Region, data []byte) *fingerprint.Signature {
	t.Helper()
	s, err := fpindex.Build(context.Background(), fpindex.Options{Name: name, Snapshot: snapshot, Region: region, Hasher: h},
		fpindex.Reader(name, bytes.NewReader(data)))
	require.NoErrorf(t, err, "index %s", name)
	return s
}

// scoreForced is score with the region kept even where the values point
// to another (the CLI's --force-region): the analyst's mistake, on purpose.
func scoreForced(t testing.TB, cat *Catalog, data []byte, o Options) *Report {
	t.Helper()
	r := reader(data, "sample.csv", o.Region)
	r.ForceRegion = true
	rep, err := Score(context.Background(), cat, r, o)
	require.NoError(t, err)
	return rep
}

func score(t testing.TB, cat *Catalog, data []byte, o Options) *Report {
	t.Helper()
	if o.Region == "" {
		o.Region = canon.UA
	}
	rep, err := Score(context.Background(), cat, reader(data, "sample.csv", o.Region), o)
	require.NoError(t, err)
	return rep
}

func unkeyed(t testing.TB) *fingerprint.Hasher {
	h, err := fingerprint.NewHasher(nil)
	require.NoError(t, err)
	return h
}

var bankCols = []column{{canon.Name, synth.FamilyFirst | synth.Upper}, {canon.Phone, synth.PhoneNational},
	{canon.BirthDate, synth.DateDots}, {canon.NationalID, 0}}

func TestScoreRecycledMixedNew(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 1, 1500)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank-2016", "2016-10-01", canon.UA, table(t, world[:1000], bankCols)), ""))
	sampleCols := []column{{canon.Name, 0}, {canon.Phone, synth.PhoneE164}, {canon.BirthDate, synth.DateISO}}
	for _, tc := range []struct {
		inSource, fresh int
		verdict         Verdict
	}{
		{480, 20, Recycled}, {250, 250, Mixed}, {10, 490, New}, {5, 10, Insufficient},
	} {
		sample := append(append([]synth.Person{}, world[:tc.inSource]...), world[1000:1000+tc.fresh]...)
		rep := score(t, cat, table(t, sample, sampleCols), Options{Hasher: h})
		want := float64(tc.inSource) / float64(tc.inSource+tc.fresh)
		what := fmt.Sprintf("%d known + %d new", tc.inSource, tc.fresh)
		assert.Equalf(t, tc.verdict, rep.Verdict, "%s: verdict", what)
		assert.InDeltaf(t, want, rep.Explained.Estimate, 0.01, "%s: explained", what)
		assert.InDeltaf(t, 1-want, rep.Residual.Estimate, 0.01, "%s: residual", what)
		require.Lenf(t, rep.Sources, 1, "%s: sources", what)
		assert.InDeltaf(t, want, rep.Sources[0].Records.Estimate, 0.01, "%s: records", what)
		assert.InDeltaf(t, want, rep.Sources[0].Joint.Estimate, 0.01, "%s: joint (phone with name+birth_date)", what)
		assert.LessOrEqualf(t, rep.Explained.Low, want, "%s: interval covers the truth", what)
		assert.GreaterOrEqualf(t, rep.Explained.High, want, "%s: interval covers the truth", what)
		assert.NotEmptyf(t, rep.Evidence, "%s: evidence", what)
	}
}

func TestScoreFiftyUnrelatedSources(t *testing.T) {
	h := unkeyed(t)
	cat := &Catalog{}
	for i := range 50 {
		ppl := synth.People(canon.UA, uint64(100+i), 200)
		name := fmt.Sprintf("dump-%02d", i)
		require.NoError(t, cat.Add(index(t, h, name, "2015-01-01", canon.UA, table(t, ppl, bankCols)), ""))
	}
	sample := synth.People(canon.UA, 99, 1000)
	rep := score(t, cat, table(t, sample, bankCols), Options{Hasher: h})
	for _, s := range rep.Sources {
		assert.LessOrEqualf(t, s.Records.Estimate, 0.02, "source %s on an unrelated sample", s.Name)
		assert.Falsef(t, s.Significant, "source %s is not evidence", s.Name)
	}
	assert.Equal(t, New, rep.Verdict, "verdict with 50 unrelated sources")
	assert.LessOrEqual(t, rep.Explained.Estimate, 0.05, "explained with 50 unrelated sources")
}

// A sample re-spelled every way dumps spell things scores the same as the
// clean sample: phones reformatted, names transliterated, upper-cased and
// reordered, dates in another format.
func TestScoreInvariantToRendering(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 3, 1200)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:800], bankCols)), ""))
	sample := append(append([]synth.Person{}, world[200:700]...), world[800:1000]...)
	clean := []column{{canon.Name, 0}, {canon.Phone, synth.PhoneE164}, {canon.BirthDate, synth.DateISO}}
	base := score(t, cat, table(t, sample, clean), Options{Hasher: h})
	for _, messy := range [][]column{
		{{canon.Name, synth.FamilyFirst | synth.LatinKMU | synth.Upper}, {canon.Phone, synth.PhoneParen}, {canon.BirthDate, synth.DateDots}},
		{{canon.Name, synth.LatinKMU | synth.WithPatronymic}, {canon.Phone, synth.PhoneTrunk8}, {canon.BirthDate, synth.DateSlash}},
		{{canon.Name, synth.FamilyFirst | synth.WithPatronymic | synth.Lower}, {canon.Phone, synth.PhoneSpaced}, {canon.BirthDate, synth.DateDash}},
		{{canon.LastName, synth.Upper}, {canon.FirstName, synth.Upper}, {canon.Phone, synth.PhoneDigits}, {canon.BirthDate, synth.DateDots}},
	} {
		rep := score(t, cat, table(t, sample, messy), Options{Hasher: h})
		what := fmt.Sprintf("%v", messy)
		assert.Equalf(t, base.Verdict, rep.Verdict, "%s: verdict", what)
		assert.Equalf(t, base.Explained, rep.Explained, "%s: explained", what)
		assert.Equalf(t, base.Sources[0].Records, rep.Sources[0].Records, "%s: records", what)
		assert.Equalf(t, base.Sources[0].Joint, rep.Sources[0].Joint, "%s: joint", what)
	}
	assert.InDelta(t, 500.0/700, base.Explained.Estimate, 0.01, "clean sample explained")
}

// TestScoreIsTheSameWhateverTheWorkers: the report's JSON does not depend
// on how many goroutines scored the records.
func TestScoreIsTheSameWhateverTheWorkers(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 41, 6000)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:3000], bankCols)), ""))
	require.NoError(t, cat.Add(index(t, h, "social", "2013-04-01", canon.UA, table(t, world[2000:5000], bankCols)), ""))
	sample := table(t, world[1000:6000], bankCols)
	var want []byte
	for _, workers := range []int{1, 2, 7} {
		// Created fixed: a second may tick over between two reports.
		rep := score(t, cat, sample, Options{Hasher: h, Workers: workers, Created: time.Unix(1764547200, 0)})
		var b bytes.Buffer
		require.NoError(t, rep.Render(&b, "json"))
		if want == nil {
			want = b.Bytes()
			continue
		}
		assert.Equalf(t, string(want), b.String(), "%d workers: same report", workers)
	}
}

// TestScoreIsTheSameWhateverTheBatch: records are looked up a batch at a
// time; where the batches end changes neither the report nor the rows.
func TestScoreIsTheSameWhateverTheBatch(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 43, 3000)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world[:1500], bankCols)), ""))
	require.NoError(t, cat.Add(index(t, h, "social", "2013-04-01", canon.UA, table(t, world[1000:2500], bankCols)), ""))
	sample := append(table(t, world[500:3000], bankCols), "Ivan,,,\n"...) // one record without an identifier
	defer func(r, p int) { batchRecords, batchProbes = r, p }(batchRecords, batchProbes)
	var want, wantRows string
	for _, size := range []struct{ records, probes int }{{1 << 16, 1 << 18}, {1, 1 << 18}, {7, 1 << 18}, {1 << 16, 30}} {
		batchRecords, batchProbes = size.records, size.probes
		for _, workers := range []int{1, 2} {
			var rows bytes.Buffer
			o := Options{Hasher: h, Workers: workers, Created: time.Unix(1764547200, 0)}
			if workers == 1 {
				o.Rows = &rows
			}
			rep := score(t, cat, sample, o)
			var b bytes.Buffer
			require.NoError(t, rep.Render(&b, "json"))
			what := fmt.Sprintf("batches of %d records or %d identifiers, %d workers", size.records, size.probes, workers)
			if want == "" {
				want, wantRows = b.String(), rows.String()
				require.Greater(t, rep.Sources[0].Records.Estimate, 0.3, "the sample matches bank")
				require.Greater(t, strings.Count(wantRows, "\n"), 2500, "a row a record")
				continue
			}
			assert.Equal(t, want, b.String(), "%s: same report", what)
			if workers == 1 {
				assert.Equal(t, wantRows, rows.String(), "%s: same rows", what)
			}
		}
	}
}

func TestScoreRefusesAnotherKey(t *testing.T) {
	keyed, err := fingerprint.NewHasher(bytes.Repeat([]byte{1}, 32))
	require.NoError(t, err)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, keyed, "bank", "", canon.UA, table(t, synth.People(canon.UA, 4, 50), bankCols)), "bank.lps"))
	_, err = Score(context.Background(), cat, reader(table(t, synth.People(canon.UA, 4, 50), bankCols), "s", canon.UA), Options{})
	require.ErrorIs(t, err, fingerprint.ErrIncompatible, "unkeyed sample against a keyed catalog")
	assert.Contains(t, err.Error(), "bank.lps", "error names the file")

	other, err := fingerprint.NewHasher(bytes.Repeat([]byte{2}, 32))
	require.NoError(t, err)
	assert.ErrorIs(t, cat.Add(index(t, other, "social", "", canon.UA, table(t, synth.People(canon.UA, 5, 50), bankCols)), "social.lps"),
		fingerprint.ErrIncompatible, "two keys in one catalog")
}

func TestFabricatedIDsAreFlagged(t *testing.T) {
	h := unkeyed(t)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "", canon.UA, table(t, synth.People(canon.UA, 6, 100), bankCols)), ""))
	real := synth.People(canon.UA, 7, 300)
	g := synth.NewGenerator(canon.UA, 8)
	g.Fabricated = true
	fake := make([]synth.Person, 300)
	for i := range fake {
		fake[i] = g.Person()
	}
	cols := []column{{canon.Name, 0}, {canon.BirthDate, synth.DateDots}, {canon.NationalID, 0}, {canon.Phone, 0}}
	repReal := score(t, cat, table(t, real, cols), Options{Hasher: h})
	assert.False(t, repReal.Fabrication.Suspected, "real-shaped RNOKPPs")
	repFake := score(t, cat, table(t, fake, cols), Options{Hasher: h})
	assert.True(t, repFake.Fabrication.Suspected, "random digits posing as RNOKPPs")
	for _, c := range repReal.Fabrication.Checks {
		if c.Kind == canon.NationalID {
			assert.Equalf(t, 1.0, c.Valid, "real %s %s", c.Kind, c.Check)
			assert.Equalf(t, 300, c.Values, "real %s %s values", c.Kind, c.Check)
		}
	}
}

// A report keeps only the month of the sample's extreme dates unless the
// caller asks for values: the oldest and youngest birth dates of a leak
// point at people, and reports are published.
func TestReportDatesKeepTheMonthUnlessShowValues(t *testing.T) {
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err)
	sample := []byte("name,phone,birth date\n" +
		"Ivan Petrenko,+380671234567,1931-02-03\n" +
		"Olena Koval,+380501112233,2004-11-29\n")
	for _, c := range []struct {
		show           bool
		oldest, newest string
	}{{false, "1931-02", "2004-11"}, {true, "1931-02-03", "2004-11-29"}} {
		rep := score(t, cat, sample, Options{ShowValues: c.show})
		assert.Equal(t, c.oldest, rep.Time.Oldest[canon.BirthDate], "oldest, ShowValues %v", c.show)
		assert.Equal(t, c.newest, rep.Time.Newest[canon.BirthDate], "newest, ShowValues %v", c.show)
	}
}
