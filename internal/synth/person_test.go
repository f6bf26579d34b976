package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var regions = []canon.Region{canon.UA, canon.RU, canon.KZ, canon.IN}

func TestGeneratorDeterministic(t *testing.T) {
	for _, reg := range regions {
		a, b := NewGenerator(reg, 42), NewGenerator(reg, 42)
		c := NewGenerator(reg, 43)
		differ := false
		for i := range 200 {
			pa, pb, pc := a.Person(), b.Person(), c.Person()
			require.Equal(t, pa, pb, "%s person %d with the same seed", reg, i)
			if pa != pc {
				differ = true
			}
		}
		assert.True(t, differ, "%s: seeds 42 and 43 made the same people", reg)
	}
}

func TestGeneratedIDsValid(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 7)
		for i := range 2000 {
			p := g.Person()
			assert.True(t, ValidNationalID(p.NationalID, reg), "%s person %d: national ID %q", reg, i, p.NationalID)
			assert.True(t, canon.ValidLuhn(p.Card), "%s person %d: card %q", reg, i, p.Card)
			assert.Len(t, p.Card, 16, "%s card %q", reg, p.Card)
			assert.False(t, p.Fabricated)
		}
	}
}

func TestFabricatedIDsMostlyInvalid(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 7)
		g.Fabricated = true
		const n = 2000
		validID, validCard := 0, 0
		for range n {
			p := g.Person()
			require.True(t, p.Fabricated)
			if ValidNationalID(p.NationalID, reg) {
				validID++
			}
			if canon.ValidLuhn(p.Card) {
				validCard++
			}
		}
		// Random check digits pass about one time in ten (IIN a little
		// more: both its weight sequences can give a digit).
		assert.Less(t, validID, n/5, "%s: %d of %d fabricated IDs pass their check", reg, validID, n)
		assert.Less(t, validCard, n/5, "%s: %d of %d fabricated cards pass Luhn", reg, validCard, n)
	}
}

func TestIDFunctions(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	birth := time.Date(1990, 4, 3, 0, 0, 0, 0, time.UTC)
	for range 500 {
		for _, sex := range []Sex{Male, Female} {
			id := RNOKPP(r, birth, sex, false)
			require.True(t, canon.ValidRNOKPP(id), "RNOKPP %q", id)
			// 1990-04-03 is day 32965 counted from 1899-12-31.
			assert.Equal(t, "32965", id[:5], "RNOKPP %q date digits", id)
			d, ok := canon.BirthDateFromID([]byte(id), canon.UA)
			assert.True(t, ok && d == "1990-04-03", "BirthDateFromID(%q) = %q, %v", id, d, ok)
			assert.Equal(t, sex == Male, (id[8]-'0')%2 == 1, "RNOKPP %q sex digit for %s", id, sex)

			iin := IIN(r, birth, sex, false)
			require.True(t, canon.ValidIIN(iin), "IIN %q", iin)
			want := "9004033"
			if sex == Female {
				want = "9004034"
			}
			assert.Equal(t, want, iin[:7], "IIN %q date and century digits", iin)
			d, ok = canon.BirthDateFromID([]byte(iin), canon.KZ)
			assert.True(t, ok && d == "1990-04-03", "BirthDateFromID(%q) = %q, %v", iin, d, ok)
		}
		a := Aadhaar(r, false)
		assert.True(t, canon.ValidAadhaar(a), "Aadhaar %q", a)
		inn := INN(r, false)
		assert.True(t, canon.ValidINN(inn), "INN %q", inn)
		assert.Len(t, inn, 12, "INN %q", inn)
	}
	// Born in 2003: IIN century digit 5 or 6.
	iin := IIN(r, time.Date(2003, 1, 9, 0, 0, 0, 0, time.UTC), Female, false)
	assert.Equal(t, "0301096", iin[:7], "IIN %q", iin)
	// Born on or before 18 May 1927 (day 9999): the RNOKPP starts with 0, and a spreadsheet
	// drops it.
	old := RNOKPP(r, time.Date(1925, 2, 1, 0, 0, 0, 0, time.UTC), Male, false)
	require.True(t, canon.ValidRNOKPP(old), "RNOKPP %q", old)
	assert.Equal(t, byte('0'), old[0], "RNOKPP %q", old)
	assert.Len(t, renderDigits(old, IDNumber), 9, "RNOKPP %q as a number", old)
}

func TestGeneratorUnique(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 99)
		seen := map[string]int{}
		for i := range 5000 {
			p := g.Person()
			for _, k := range uniqueKeys(&p) {
				if j, ok := seen[k]; ok {
					t.Fatalf("%s: people %d and %d share %q", reg, j, i, k)
				}
				seen[k] = i
			}
		}
	}
}

func TestPersonShape(t *testing.T) {
	for _, reg := range regions {
		g := NewGenerator(reg, 5)
		for range 300 {
			p := g.Person()
			name := fmt.Sprintf("%s %s %s", reg, p.Given, p.Family)
			assert.Equal(t, reg, p.Region, name)
			assert.NotEmpty(t, p.Given, name)
			assert.NotEmpty(t, p.Family, name)
			assert.Equal(t, reg != canon.IN, p.Patronymic != "", "%s patronymic %q", name, p.Patronymic)
			assert.Contains(t, p.Email, "@", name)
			assert.Equal(t, strings.ToLower(p.Email), p.Email, name)
			y := p.BirthDate.Year()
			assert.True(t, y >= 1921 && y <= 2005, "%s born %d", name, y)
			assert.True(t, strings.HasPrefix(p.Phone, "+"), "%s phone %q", name, p.Phone)
			_, err := strconv.ParseUint(p.Phone[1:], 10, 64)
			assert.NoError(t, err, "%s phone %q", name, p.Phone)
			switch reg {
			case canon.UA:
				assert.Len(t, p.Phone, 13, name)
				assert.Len(t, p.NationalID, 10, name)
			case canon.RU, canon.KZ:
				assert.Len(t, p.Phone, 12, name)
				assert.Len(t, p.NationalID, 12, name)
			case canon.IN:
				assert.Len(t, p.Phone, 13, name)
				assert.Contains(t, "6789", p.Phone[3:4], name)
				assert.Len(t, p.NationalID, 12, name)
			}
			if reg == canon.UA {
				assert.Regexp(t, `^[АВЕІКМНОРСТХ]{3}[0-9]{6}$`, p.DriverLicence, name)
			}
		}
	}
}

func TestFeminineSurname(t *testing.T) {
	tests := []struct{ region, in, want string }{
		{"UA", "Згурський", "Згурська"},
		{"UA", "Білецький", "Білецька"},
		{"UA", "Осадчий", "Осадча"},
		{"UA", "Шевченко", "Шевченко"},
		{"RU", "Иванов", "Иванова"},
		{"RU", "Соловьёв", "Соловьёва"},
		{"RU", "Ильин", "Ильина"},
		{"RU", "Покровский", "Покровская"},
		{"RU", "Щукин", "Щукина"},
		{"KZ", "Ахметов", "Ахметова"},
		{"KZ", "Шайхин", "Шайхина"},
		{"IN", "Sharma", "Sharma"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, feminineSurname(tt.region, tt.in), "%s %s", tt.region, tt.in)
	}
}

func TestNameListSizes(t *testing.T) {
	for _, reg := range regions {
		l := listsFor(string(reg))
		assert.GreaterOrEqual(t, len(l.male)+len(l.female), 60, "%s given names", reg)
		assert.GreaterOrEqual(t, len(l.surnames), 60, "%s surnames", reg)
	}
}

func BenchmarkPerson(b *testing.B) {
	for _, reg := range regions {
		b.Run(string(reg), func(b *testing.B) {
			g := NewGenerator(reg, 1)
			b.ReportAllocs()
			for b.Loop() {
				_ = g.Person()
			}
		})
	}
}
