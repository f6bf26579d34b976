package synth

import (
	"strconv"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// IDs of MismatchedIDs pass their check but encode another birth date and
// the other sex; RU and IN IDs encode neither and are made as usual.
func TestMismatchedIDs(t *testing.T) {
	for _, reg := range []canon.Region{canon.UA, canon.KZ} {
		g := NewGenerator(reg, 3)
		g.MismatchedIDs = true
		for i := range 500 {
			p := g.Person()
			require.Truef(t, p.MismatchedID, "%s person %d marked", reg, i)
			assert.Truef(t, ValidNationalID(p.NationalID, reg), "%s person %d: %q passes its check", reg, i, p.NationalID)
			d, ok := canon.BirthDateFromID([]byte(p.NationalID), reg)
			require.Truef(t, ok, "%s person %d: %q encodes a date", reg, i, p.NationalID)
			assert.NotEqualf(t, p.BirthDate.Format("2006-01-02"), d, "%s person %d: another birth date", reg, i)
			sexDigit := p.NationalID[8] // RNOKPP digit 9
			if reg == canon.KZ {
				sexDigit = p.NationalID[6] // IIN digit 7
			}
			assert.Equalf(t, p.Sex == Female, (sexDigit-'0')%2 == 1, "%s person %d: %q encodes the other sex", reg, i, p.NationalID)
		}
	}
	for _, reg := range []canon.Region{canon.RU, canon.IN} {
		a, b := NewGenerator(reg, 3), NewGenerator(reg, 3)
		b.MismatchedIDs = true
		for i := range 200 {
			assert.Equalf(t, a.Person(), b.Person(), "%s person %d: made as usual", reg, i)
		}
	}
}

// IDs of SequentialIDs pass their check and count up, check digits aside.
func TestSequentialIDs(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 4)
		g.SequentialIDs = true
		cd := idCheckDigits(reg)
		var prev uint64
		next := 0
		const n = 1000
		for i := range n {
			p := g.Person()
			require.Truef(t, p.SequentialID, "%s person %d marked", reg, i)
			require.Truef(t, ValidNationalID(p.NationalID, reg), "%s person %d: %q passes its check", reg, i, p.NationalID)
			body, err := strconv.ParseUint(p.NationalID[:len(p.NationalID)-cd], 10, 64)
			require.NoErrorf(t, err, "%s person %d: %q", reg, i, p.NationalID)
			if i > 0 && body == prev+1 {
				next++
			}
			prev = body
		}
		// Bodies with no valid check digit (an IIN with none, an Aadhaar
		// palindrome) and people made again after a clash leave rare gaps.
		assert.Greaterf(t, next, n*9/10, "%s: %d of %d IDs follow the one before", reg, next, n)
	}
}

// NaiveBirthDates never gives a 29th, 30th or 31st, and keeps to the
// generator's bounds.
func TestNaiveBirthDates(t *testing.T) {
	g := NewGenerator(canon.UA, 5)
	g.NaiveBirthDates = true
	g.BornFrom, g.BornTo = time.Date(1950, 6, 15, 0, 0, 0, 0, time.UTC), time.Date(1960, 3, 10, 0, 0, 0, 0, time.UTC)
	days := map[int]bool{}
	for i := range 2000 {
		p := g.Person()
		assert.LessOrEqualf(t, p.BirthDate.Day(), 28, "person %d: %s", i, p.BirthDate)
		assert.Falsef(t, p.BirthDate.Before(g.BornFrom) || p.BirthDate.After(g.BornTo), "person %d: %s within bounds", i, p.BirthDate)
		days[p.BirthDate.Day()] = true
	}
	assert.Len(t, days, 28, "every day of 1-28")
}

// UnallocatedPhones gives numbers canon rejects however they are spelt.
func TestUnallocatedPhones(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 6)
		g.UnallocatedPhones = true
		for i := range 300 {
			p := g.Person()
			for st := PhoneE164; st <= PhoneTrunk8; st++ {
				s := RenderPhone(p.Phone, reg, st)
				_, status := canon.AppendPhone(nil, s, reg)
				assert.Equalf(t, canon.Invalid, status, "%s person %d: %q is in no allocated range", reg, i, s)
			}
		}
	}
}

// A scenario whose new people have counted or mismatched IDs is
// fabricated by its truth; one of real people is not.
func TestScenarioTruthOfForgedIDs(t *testing.T) {
	cols := []Column{{Kind: canon.Name}, {Kind: canon.BirthDate}, {Kind: canon.NationalID}}
	for _, c := range []struct {
		name   string
		sample SampleSpec
		want   bool
	}{{"sequential", SampleSpec{NewSequential: true}, true}, {"mismatched", SampleSpec{NewMismatched: true}, true}, {"real", SampleSpec{}, false}} {
		sc := Scenario{Name: c.name, Region: canon.UA, Seed: 9,
			Sources: []SourceSpec{{DumpSpec: DumpSpec{Name: "a", File: "a.csv", Columns: cols}, Size: 300}}}
		sc.Sample = c.sample
		sc.Sample.DumpSpec, sc.Sample.Size = DumpSpec{File: "s.csv", Columns: cols}, 300
		sc.Sample.Draws = []Draw{{From: "a", Share: 0.5}}
		res, err := sc.Build()
		require.NoErrorf(t, err, "%s: build", c.name)
		assert.Equalf(t, c.want, res.Truth.FabricationSuspected, "%s: truth", c.name)
	}
}
