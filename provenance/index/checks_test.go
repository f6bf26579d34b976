package index

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CheckCapacity refuses a capacity the data would saturate, and one over
// a hundred times the records, and accepts one that fits; without it Build
// takes any capacity, as before.
func TestCheckCapacity(t *testing.T) {
	data := dump(11, 500) // 500 people: 500 distinct values of each kind
	for _, c := range []struct {
		capacity uint64
		check    bool
		refused  bool
		mention  string
	}{
		{capacity: 600, check: true},
		{capacity: 505, check: true}, // within the slack of the distinct estimate
		{capacity: 50000, check: true},
		{capacity: 400, check: true, refused: true, mention: "more than 400"},
		{capacity: 50001, check: true, refused: true, mention: "100 times the 500 records"},
		{capacity: 1 << 40, check: true, refused: true, mention: "nearly all of it empty"},
		{capacity: 400},
		{capacity: 50001},
	} {
		_, err := Build(context.Background(), Options{Name: "c", Created: created, Capacity: c.capacity, CheckCapacity: c.check},
			Reader("c.csv", bytes.NewReader(data)))
		if !c.refused {
			assert.NoErrorf(t, err, "capacity %d (check %v) for 500 records", c.capacity, c.check)
			continue
		}
		require.ErrorIsf(t, err, ErrCapacity, "capacity %d for 500 records", c.capacity)
		assert.Containsf(t, err.Error(), c.mention, "capacity %d: the error says why", c.capacity)
	}
	// The pair filter holds three pairs per capacity unit: ten pairs a
	// record (five identifiers) pass it where no kind passes its own.
	var wide bytes.Buffer
	wide.WriteString("phone,email,rnokpp,passport,licence\n")
	for _, p := range synth.People(canon.UA, 12, 1000) {
		fmt.Fprintf(&wide, "%s,%s,%s,%s,%s\n", p.Phone, p.Email, p.NationalID, p.Passport, p.DriverLicence)
	}
	_, err := Build(context.Background(), Options{Name: "p", Created: created, Region: canon.UA, Capacity: 1200, CheckCapacity: true},
		Reader("p.csv", &wide))
	require.ErrorIs(t, err, ErrCapacity, "5 identifiers a record, 1,000 records, capacity 1,200: 10,000 pairs for 3,600")
	assert.Contains(t, err.Error(), "pair filter", "the error names the pair filter")
}

// RequireIdentifiers refuses an input with no identifying column, naming
// it and its columns, before its records are read; a name with a birth
// date is enough.
func TestRequireIdentifiers(t *testing.T) {
	var combo strings.Builder
	combo.WriteString("login,secret,city\n")
	for i := range 200 {
		fmt.Fprintf(&combo, "user%d,hunter%d,Kyiv\n", i, i)
	}
	_, err := Build(context.Background(), Options{Name: "x", Created: created, RequireIdentifiers: true},
		Reader("combo.csv", strings.NewReader(combo.String())))
	require.ErrorIs(t, err, ErrNoIdentifiers, "logins, passwords and cities")
	for _, want := range []string{"combo.csv", `"login"`, `"secret"`, `"city"`} {
		assert.Contains(t, err.Error(), want, "the error names the input and its columns")
	}
	_, err = Build(context.Background(), Options{Name: "x", Created: created},
		Reader("combo.csv", strings.NewReader(combo.String())))
	assert.NoError(t, err, "without RequireIdentifiers such an input is indexed")

	var people strings.Builder
	people.WriteString("name,birth_date\n")
	for i := range 200 {
		fmt.Fprintf(&people, "Ivan Testenko%c,%02d.%02d.19%02d\n", 'a'+rune(i%26), 1+i%28, 1+i%12, 50+i%40)
	}
	_, err = Build(context.Background(), Options{Name: "y", Created: created, RequireIdentifiers: true},
		Reader("people.csv", strings.NewReader(people.String())))
	assert.NoError(t, err, "a name with a birth date identifies a person")

	_, err = Build(context.Background(), Options{Name: "z", Created: created, RequireIdentifiers: true},
		Reader("bank.csv", bytes.NewReader(dump(13, 50))), Reader("combo.csv", strings.NewReader(combo.String())))
	require.ErrorIs(t, err, ErrNoIdentifiers, "a good input, then one with no identifier")
	assert.Contains(t, err.Error(), "combo.csv", "the error names the bad input")
}
