package canon_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// fastPath is a canonicaliser with a fast path: the function, its
// reference slow path, and the fast path alone, with counts of the values
// checked and of those the fast path answered.
type fastPath struct {
	name       string
	full, slow func([]byte, string) ([]byte, canon.Status)
	fast       func([]byte, string) ([]byte, canon.Status, bool)
	values     int
	answered   int
}

// check compares the paths of p on s and fails the test at the first
// difference.
func (p *fastPath) check(t *testing.T, s string) {
	t.Helper()
	const prefix = "p:"
	want, wantSt := p.slow([]byte(prefix), s)
	got, gotSt := p.full([]byte(prefix), s)
	p.values++
	require.Equal(t, wantSt, gotSt, "%s(%q) status", p.name, s)
	require.Equal(t, string(want), string(got), "%s(%q)", p.name, s)
	if f, fSt, ok := p.fast([]byte(prefix), s); ok {
		p.answered++
		require.Equal(t, wantSt, fSt, "%s fast path (%q) status", p.name, s)
		require.Equal(t, string(want), string(f), "%s fast path (%q)", p.name, s)
	}
}

// TestAppendNameFastSynth compares the fast path of AppendName with its
// reference slow path on the values of the synthetic generator that makes
// the fixtures and the benchmark dumps: people of every region, their
// names in every style Render knows (order, patronymic, case, KMU and ICAO
// Latin) as whole names and as parts, and every other field of theirs.
func TestAppendNameFastSynth(t *testing.T) {
	name := &fastPath{name: "AppendName", full: canon.AppendName, slow: canon.AppendNameSlow, fast: canon.AppendNamePlain}
	nameKinds := []canon.Kind{canon.Name, canon.FirstName, canon.LastName, canon.MiddleName}
	otherKinds := []canon.Kind{canon.Phone, canon.BirthDate, canon.NationalID, canon.Passport,
		canon.DriverLicence, canon.CardNumber, canon.Address, canon.Password, canon.Username}
	for _, region := range canon.KnownRegions {
		g := synth.NewGenerator(region, 7)
		for range 400 {
			p := g.Person()
			for style := synth.Style(0); style < synth.LatinICAO<<1; style++ {
				for _, k := range nameKinds {
					name.check(t, synth.Render(g.Rand(), &p, k, style))
				}
			}
			for _, style := range []synth.Style{synth.EmailPlain, synth.EmailUpper} {
				name.check(t, synth.Render(g.Rand(), &p, canon.Email, style))
			}
			for _, k := range otherKinds {
				name.check(t, synth.Render(g.Rand(), &p, k, 0))
			}
		}
	}
	t.Logf("%d values, %d answered by the fast path", name.values, name.answered)
	assert.Greater(t, name.answered, name.values/2, "values answered by the fast path")
}
