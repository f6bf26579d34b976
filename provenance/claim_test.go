package provenance

import (
	"fmt"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func schemaFrom(t *testing.T, doc string) *Schema {
	t.Helper()
	s, err := ParseSchema("test.yaml", []byte(doc))
	require.NoError(t, err, doc)
	return s
}

// finding returns the report's findings of one check.
func findings(r *Report, check string) []Finding {
	var out []Finding
	for _, f := range r.Claim.Findings {
		if f.Check == check {
			out = append(out, f)
		}
	}
	return out
}

func TestClaimFindings(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 11, 400)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank-2016", "2016-10-01", canon.UA, table(t, world, bankCols)), ""))
	licenceCols := []column{{canon.Name, 0}, {canon.BirthDate, synth.DateISO}, {canon.DriverLicence, synth.DocNative}}
	phoneCols := []column{{canon.Name, 0}, {canon.BirthDate, synth.DateISO}, {canon.Phone, synth.PhoneParen}}
	recycled := table(t, world[:200], phoneCols)
	const diiaLike = "name: d\nsystem: D\ncountry: UA\nlaunched: 2019-12-01\npopulation: 9500000\nholds:\n  - name\n  - birth_date\n  - kind: driver_licence\n    pattern: '^\\p{Lu}{3}[0-9]{6}$'\n"

	for _, tc := range []struct {
		name, check string
		schema      string
		sample      []byte
		claimed     int64
		passed      bool
		detail      string
	}{
		{"held fields only", "fields-not-held", diiaLike, table(t, world[:100], licenceCols), 0, true, "every kind in the leak is one D holds"},
		{"phone not held", "fields-not-held", diiaLike, recycled, 0, false, "phone"},
		{"year of birth held, days given", "precision", "name: c\nholds:\n  - name\n  - phone\n  - kind: birth_date\n    precision: year\n", recycled, 0, false, "year of birth only"},
		{"days held, days given", "precision", "name: c\nholds:\n  - name\n  - phone\n  - kind: birth_date\n    precision: day\n", recycled, 0, true, ""},
		{"licences conform", "format", diiaLike, table(t, world[:100], licenceCols), 0, true, "100% of 100 values"},
		{"phones from another country", "format", "name: k\nholds:\n  - name\n  - birth_date\n  - kind: phone\n    pattern: '^\\+7'\n", recycled, 0, false, "0% of 200 values"},
		{"claim within population", "volume", diiaLike, recycled, 1000000, true, "claimed 1,000,000"},
		{"claim above population", "volume", diiaLike, recycled, 26000000, false, "claimed 26,000,000 records; D holds at most 9,500,000"},
		{"recycled from dumps older than the system", "predates-launch", diiaLike, recycled, 0, false, "2016-10-01"},
		{"system older than the dumps", "predates-launch", "name: o\nsystem: O\nlaunched: 2010-01-01\nholds: [name, birth_date, phone]\n", recycled, 0, true, ""},
	} {
		rep := score(t, cat, tc.sample, Options{Hasher: h, Schema: schemaFrom(t, tc.schema), ClaimedRecords: tc.claimed})
		fs := findings(rep, tc.check)
		require.NotEmptyf(t, fs, "%s: a %s finding (%+v)", tc.name, tc.check, rep.Claim.Findings)
		f := fs[0]
		assert.Equalf(t, tc.passed, f.Passed, "%s: passed (%s)", tc.name, f.Detail)
		assert.Containsf(t, f.Detail, tc.detail, "%s: detail", tc.name)
		if !tc.passed {
			assert.Falsef(t, rep.Claim.Consistent, "%s: a failed finding makes the claim inconsistent", tc.name)
		}
	}
}

func TestClaimVolumeOfTheLeakItself(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 12, 100)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "2016-10-01", canon.UA, table(t, world, bankCols)), ""))
	rep := score(t, cat, table(t, world[:60], bankCols), Options{Hasher: h,
		Schema: schemaFrom(t, "name: tiny\nsystem: Tiny\npopulation: 50\nholds: [name, phone, birth_date, national_id]\n")})
	fs := findings(rep, "volume")
	require.Len(t, fs, 1, "volume findings")
	assert.False(t, fs[0].Passed, "60 records from a system of 50")
	assert.Equal(t, fmt.Sprintf("the leak has 60 records; Tiny holds at most 50"), fs[0].Detail, "volume detail")
}

func TestNoSchemaNoFindings(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 13, 100)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "bank", "", canon.UA, table(t, world, bankCols)), ""))
	rep := score(t, cat, table(t, world[:50], bankCols), Options{Hasher: h})
	assert.Nil(t, rep.Claim, "no claim without a schema")
}
