package provenance

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	fpindex "github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThresholdsDefaultPerField(t *testing.T) {
	th := Thresholds{RecycledAt: 0.8}.withDefaults()
	assert.Equal(t, Thresholds{RecycledAt: 0.8, NewAt: 0.10, MinIdentified: 30, NovelBelow: 0.10}, th, "only RecycledAt set")
	for _, bad := range []Thresholds{
		{RecycledAt: 90, NewAt: 0.1, MinIdentified: 30, NovelBelow: 0.1},
		{RecycledAt: 0.5, NewAt: 0.6, MinIdentified: 30, NovelBelow: 0.1},
		{RecycledAt: 0.9, NewAt: 0.1, MinIdentified: 0, NovelBelow: 0.1},
		{RecycledAt: 0.9, NewAt: 0.1, MinIdentified: 30, NovelBelow: 2},
	} {
		assert.ErrorIsf(t, bad.Validate(), ErrThresholds, "%+v", bad)
	}
	assert.NoError(t, DefaultThresholds().Validate(), "defaults")
}

// sentence returns the evidence sentences that contain sub.
func sentences(r *Report, sub string) []string {
	var out []string
	for _, e := range r.Evidence {
		if strings.Contains(e, sub) {
			out = append(out, e)
		}
	}
	return out
}

func TestJointSentenceOnlyWhenTestable(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 31, 300)
	phoneOnly := []column{{canon.Phone, synth.PhoneE164}}
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "phones", "", canon.UA, table(t, world, phoneOnly)), ""))
	rep := score(t, cat, table(t, world[:100], []column{{canon.Phone, synth.PhoneParen}, {canon.Email, 0}}), Options{Hasher: h})
	require.Len(t, rep.Sources, 1)
	assert.Zero(t, rep.Sources[0].JointTestable, "a phone-only source cannot be matched on two identifiers")
	assert.Empty(t, sentences(rep, "two identifiers together"), "no claim about joint matches that could not be tested")

	cat2 := &Catalog{}
	require.NoError(t, cat2.Add(index(t, h, "bank", "", canon.UA, table(t, world, bankCols)), ""))
	rep = score(t, cat2, table(t, world[:100], []column{{canon.Phone, synth.PhoneParen}, {canon.NationalID, 0}}), Options{Hasher: h})
	assert.Equal(t, 100, rep.Sources[0].JointTestable, "phone and national_id both held")
}

func TestRepeatedValueCountsOnce(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 32, 200)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "", canon.UA, table(t, world, bankCols)), ""))
	// The same phone in two columns.
	rep := score(t, cat, table(t, world[:100], []column{{canon.Name, 0}, {canon.Phone, synth.PhoneE164}, {canon.Phone, synth.PhoneParen}}), Options{Hasher: h})
	f := rep.Sources[0].Fields[canon.Phone]
	assert.Equal(t, 100, f.Values, "a phone repeated in a record is one value")
	assert.Equal(t, 1.0, f.Estimate, "containment of repeated phones")
}

func TestClaimIgnoresEmptyColumnsAndFewValues(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 33, 100)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world, bankCols)), ""))
	// A password column of no-break spaces only, forced by --map.
	csv := "name,phone,password\n"
	for i := range 50 {
		csv += synth.Render(nil, &world[i], canon.Name, 0) + "," + world[i].Phone + ",\u00a0\n"
	}
	r := reader([]byte(csv), "s", canon.UA)
	r.Map = map[string]canon.Kind{"password": canon.Password}
	sc := schemaFrom(t, "name: n\nsystem: N\nholds: [name, phone]\n")
	rep, err := Score(t.Context(), cat, r, Options{Hasher: h, Schema: sc})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Claim.Findings, "findings")
	assert.True(t, rep.Claim.Findings[0].Passed, "a column of blanks is no password field: %s", rep.Claim.Findings[0].Detail)

	few := schemaFrom(t, "name: f\nsystem: F\nholds:\n  - name\n  - kind: phone\n    pattern: '^\\+7'\n")
	rep = score(t, cat, table(t, world[:5], []column{{canon.Name, 0}, {canon.Phone, 0}}), Options{Hasher: h, Schema: few})
	fs := findings(rep, "format")
	require.Len(t, fs, 1, "format findings")
	assert.True(t, fs[0].Passed, "five values cannot fail a format check")
	assert.Contains(t, fs[0].Detail, "too few to judge", "format detail")
}

func TestClaimedRecordsWithoutPopulation(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 34, 100)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "", canon.UA, table(t, world, bankCols)), ""))
	rep := score(t, cat, table(t, world[:40], bankCols), Options{Hasher: h, ClaimedRecords: 5_000_000,
		Schema: schemaFrom(t, "name: u\nsystem: U\nholds: [name, phone, birth_date, national_id]\n")})
	fs := findings(rep, "volume")
	require.Len(t, fs, 1, "a volume finding even without a population")
	assert.Contains(t, fs[0].Detail, "population is unknown", "volume detail")
}

func TestRegionMismatchIsSaid(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 35, 100)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "", canon.UA, table(t, world, bankCols)), ""))
	// A Ukrainian sample read under RU: its phones are no Russian phones.
	_, err := Score(context.Background(), cat, reader(table(t, world[:50], bankCols), "sample.csv", canon.RU), Options{Hasher: h, Region: canon.RU})
	var re *sampleset.RegionError
	require.ErrorAs(t, err, &re, "a region that misreads the phones is refused")
	assert.Equal(t, "phone", re.Column, "the error names the column")
	assert.Equal(t, canon.UA, re.Detected, "and the region the values point to")
	assert.ErrorIs(t, err, sampleset.ErrRegion, "checkable with errors.Is")
	assert.Contains(t, err.Error(), "sample.csv", "and names the file")
	// Forced, the sample is scored, and the evidence says the regions differ.
	r := reader(table(t, world[:50], bankCols), "sample.csv", canon.RU)
	r.ForceRegion = true
	rep, err := Score(context.Background(), cat, r, Options{Hasher: h, Region: canon.RU})
	require.NoError(t, err)
	assert.NotEmpty(t, sentences(rep, "no source was indexed under RU"), "evidence warns of the region mismatch")
	rep = score(t, cat, table(t, world[:50], bankCols), Options{Hasher: h, Region: canon.UA})
	assert.Empty(t, sentences(rep, "no source was indexed under"), "no warning when regions agree")
}

func TestYearOfBirthMakesNoNameBirthDatePair(t *testing.T) {
	h := unkeyed(t)
	enc := fingerprint.NewEncoder(h, canon.IN, []canon.Column{{Kind: canon.Name}, {Kind: canon.BirthDate}})
	got := enc.Encode(nil, []string{"Rahul Sharma", "1985"})
	for _, x := range got {
		assert.NotEqual(t, canon.NameBirthDate, x.Kind, "name with a year of birth only")
	}
	got = enc.Encode(nil, []string{"Rahul Sharma", "1985-03-02"})
	assert.Equal(t, canon.NameBirthDate, got[len(got)-1].Kind, "name with a full birth date")
}

func TestCatalogRefusesSaturatedSource(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 36, 3000)
	sig, err := fpindex.Build(t.Context(), fpindex.Options{Name: "tiny", Hasher: h, Capacity: 10, Region: canon.UA},
		fpindex.Reader("tiny", bytes.NewReader(table(t, world, bankCols))))
	require.NoError(t, err)
	err = (&Catalog{}).Add(sig, "tiny.lps")
	require.ErrorIs(t, err, ErrSaturated, "3,000 people in filters built for 10 values")
	assert.Contains(t, err.Error(), "tiny.lps", "error names the file")
}
