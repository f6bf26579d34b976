package synth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyScenario: source A (40 people: name, phone, birth date), source B
// (40 other people: e-mail, phone), and a sample of 30 (the fewest that
// give a verdict): 12 from A, 9 from B, 9 new, showing name, phone, birth
// date, e-mail and licence.
//
// By hand: A's 12 match on phone and on name + birth date (joint); B's 9 on
// phone and e-mail (joint); the 9 new match nothing. So sources A 0.4,
// B 0.3, joint the same, explained 0.7 (mixed); phone is held by A for 12
// of 30 values and by B for 9; e-mail by B for 9; no source holds a
// licence, so driver_licence is the one novel field.
func tinyScenario() Scenario {
	return Scenario{
		Name: "tiny", Region: canon.UA, Seed: 1,
		Sources: []SourceSpec{
			{DumpSpec: DumpSpec{Name: "A", Snapshot: "2015-01-01", File: "a.csv",
				Columns: []Column{{Kind: canon.Name}, {Kind: canon.Phone}, {Kind: canon.BirthDate}}}, Size: 40},
			{DumpSpec: DumpSpec{Name: "B", Snapshot: "2016-01-01", File: "b.jsonl", Format: Format{Layout: JSONL},
				Columns: []Column{{Kind: canon.Email}, {Kind: canon.Phone}}}, Size: 40},
		},
		Sample: SampleSpec{
			DumpSpec: DumpSpec{File: "sample.csv", Columns: []Column{
				{Kind: canon.Name, Styles: []Style{LatinKMU}}, {Kind: canon.Phone, Styles: []Style{PhoneParen}},
				{Kind: canon.BirthDate}, {Kind: canon.Email}, {Kind: canon.DriverLicence}}},
			Size:  30,
			Draws: []Draw{{From: "A", Share: 0.4}, {From: "B", Share: 0.3}},
		},
		Claim: &ClaimSpec{Schema: "diia-driver-licence",
			Holds: []canon.Kind{canon.Name, canon.BirthDate, canon.DriverLicence}},
	}
}

func TestTinyScenarioTruth(t *testing.T) {
	sc := tinyScenario()
	res, err := sc.Build()
	require.NoError(t, err)
	tr := res.Truth
	assert.Equal(t, 30, tr.Records)
	assert.Equal(t, 30, tr.Identified)
	assert.Equal(t, map[string]float64{"A": 0.4, "B": 0.3}, tr.Sources)
	assert.Equal(t, map[string]float64{"A": 0.4, "B": 0.3}, tr.Joint)
	assert.Equal(t, 0.7, tr.Explained)
	assert.Equal(t, VerdictMixed, tr.Verdict)
	assert.Equal(t, []string{"driver_licence"}, tr.NovelFields)
	assert.Equal(t, map[string]map[string]float64{
		"A": {"phone": 0.4, "email": 0, "driver_licence": 0},
		"B": {"phone": 0.3, "email": 0.3, "driver_licence": 0},
	}, tr.Fields)
	assert.Equal(t, map[string]float64{"A": 0.4, "B": 0.3, "new": 0.3}, tr.Drawn)
	assert.Equal(t, []string{"name", "phone", "birth_date", "email", "driver_licence"}, tr.SampleCols)
	require.NotNil(t, tr.Claim)
	assert.False(t, tr.Claim.Consistent, "phone and e-mail are not held")
	assert.Nil(t, tr.Claim.ClaimedRecords)
	assert.False(t, tr.FabricationSuspected)
	require.Len(t, tr.SourceFiles, 2)
	assert.Equal(t, TruthFile{Name: "B", File: "b.jsonl", Snapshot: "2016-01-01", Records: 40,
		Cols: []string{"email", "phone"}}, tr.SourceFiles[1])

	// The files: a header and a row for each person; A spells phones in
	// E.164, the sample as "(067) 628-27-89": 12 sample phones are in A.
	require.Len(t, res.Files, 3)
	a := readCSV(t, res.Files[0].Data)
	s := readCSV(t, res.Files[2].Data)
	require.Len(t, a, 41)
	require.Len(t, s, 31)
	aPhones := map[string]bool{}
	for _, row := range a[1:] {
		aPhones[row[1]] = true
	}
	inA := 0
	for _, row := range s[1:] {
		if aPhones["+38"+digitsOf(row[1])] {
			inA++
		}
	}
	assert.Equal(t, 12, inA, "sample phones found in A")
}

func digitsOf(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	return rows
}

func TestScenarioVariants(t *testing.T) {
	// Only a name and a password: nothing identifies a record.
	sc := tinyScenario()
	sc.Sample.Columns = []Column{{Kind: canon.Name}, {Kind: canon.Password}}
	res, err := sc.Build()
	require.NoError(t, err)
	assert.Equal(t, 0, res.Truth.Identified)
	assert.Equal(t, VerdictInsufficient, res.Truth.Verdict)
	assert.False(t, res.Truth.Claim.Consistent, "the system holds no passwords")

	// Blank e-mails and phones: A matches on name + birth date alone (not
	// joint); B's people are identified by their licence only.
	sc = tinyScenario()
	sc.Sample.Columns[1].Blank = 1
	sc.Sample.Columns[3].Blank = 1
	sc.Claim.Holds = append(sc.Claim.Holds, canon.Phone, canon.Email)
	res, err = sc.Build()
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"A": 0.4, "B": 0}, res.Truth.Sources)
	assert.Equal(t, map[string]float64{"A": 0, "B": 0}, res.Truth.Joint)
	assert.True(t, res.Truth.Claim.Consistent, "every kind shown is held")

	// B shares half of A's people; the sample draws all of B.
	sc = tinyScenario()
	sc.Sample.Size = 40
	sc.Sources[1].Shared = []Draw{{From: "A", Share: 0.5}}
	sc.Sample.Draws = []Draw{{From: "B", Share: 1}}
	res, err = sc.Build()
	require.NoError(t, err)
	assert.Equal(t, 40, res.Truth.Identified)
	assert.Equal(t, map[string]float64{"A": 0.5, "B": 1}, res.Truth.Sources)
	assert.Equal(t, VerdictRecycled, res.Truth.Verdict)

	// New people with fabricated IDs.
	sc = tinyScenario()
	sc.Sample.Draws = nil
	sc.Sample.NewFabricated = true
	sc.Sample.Columns = append(sc.Sample.Columns, Column{Kind: canon.NationalID})
	sc.Claim.Claimed = 26_000_000
	sc.Claim.Population = 9_500_000
	res, err = sc.Build()
	require.NoError(t, err)
	assert.True(t, res.Truth.FabricationSuspected)
	assert.Equal(t, VerdictNew, res.Truth.Verdict)
	require.NotNil(t, res.Truth.Claim.ClaimedRecords)
	assert.Equal(t, int64(26_000_000), *res.Truth.Claim.ClaimedRecords)
}

func TestScenarioErrors(t *testing.T) {
	bad := []func(*Scenario){
		func(s *Scenario) { s.Sources[1].Name = "A" },
		func(s *Scenario) { s.Sources[0].Shared = []Draw{{From: "B", Share: 0.1}} },
		func(s *Scenario) { s.Sources[1].Shared = []Draw{{From: "A", Share: 2}} },
		func(s *Scenario) { s.Sample.Draws = []Draw{{From: "C", Share: 0.1}} },
		func(s *Scenario) { s.Sample.Draws = []Draw{{From: "A", Share: 0.7}, {From: "B", Share: 0.7}} },
		func(s *Scenario) { s.Sample.Columns = nil },
		func(s *Scenario) { s.Sample.Format.Layout = Combo; s.Sample.Columns = s.Sample.Columns[:1] },
	}
	for i, f := range bad {
		sc := tinyScenario()
		f(&sc)
		_, err := sc.Build()
		assert.True(t, errors.Is(err, ErrSpec), "case %d: %v", i, err)
	}
}

func TestBuildDeterministic(t *testing.T) {
	sc := tinyScenario()
	sc.Sample.Size = 200
	sc.Sources[0].Size, sc.Sources[1].Size = 300, 300
	a, err := sc.Build()
	require.NoError(t, err)
	b, err := sc.Build()
	require.NoError(t, err)
	require.Equal(t, len(a.Files), len(b.Files))
	for i := range a.Files {
		assert.Equal(t, a.Files[i].Data, b.Files[i].Data, "file %s", a.Files[i].Path)
	}
	assert.Equal(t, a.Truth, b.Truth)
	sc.Seed++
	c, err := sc.Build()
	require.NoError(t, err)
	assert.NotEqual(t, a.Files[0].Data, c.Files[0].Data, "another seed")

	dir := t.TempDir()
	require.NoError(t, a.WriteDir(dir))
	got, err := os.ReadFile(filepath.Join(dir, "a.csv"))
	require.NoError(t, err)
	assert.Equal(t, a.Files[0].Data, got)
	tj, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	require.NoError(t, err)
	want, err := MarshalTruth(a.Truth)
	require.NoError(t, err)
	assert.Equal(t, want, tj)
}

func BenchmarkBuild(b *testing.B) {
	sc := tinyScenario()
	sc.Sources[0].Size, sc.Sources[1].Size = 1000, 1000
	sc.Sample.Size = 1000
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sc.Build(); err != nil {
			b.Fatal(err)
		}
	}
}
