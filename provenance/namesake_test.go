package provenance

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

// januaryFirst gives 70% of people a birth date of 1 January (of the year
// they were born), as dumps do where the day is unknown.
func januaryFirst(people []synth.Person) []synth.Person {
	for i := range people {
		if i%10 < 7 {
			people[i].BirthDate = time.Date(people[i].BirthDate.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	return people
}

var namesakeCols = []column{{canon.Name, synth.FamilyFirst}, {canon.BirthDate, synth.DateISO}, {canon.Phone, synth.PhoneNational}}

// TestNamesakesAreChance is the second case: against a source of
// 200,000 people, 70% of them born "on 1 January", a brand-new breach
// shaped alike matches it on name and birth date by namesakes alone.
func TestNamesakesAreChance(t *testing.T) {
	h := unkeyed(t)
	world := januaryFirst(synth.People(canon.UA, 81, 204000))
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "registry", "2020-01-01", canon.UA, table(t, world[:200000], namesakeCols)), ""))
	rep := score(t, cat, table(t, world[200000:], namesakeCols), Options{Hasher: h})
	src := source(t, rep, "registry")
	t.Logf("records %+v, explained %+v, verdict %s, significant %v, nbd %+v", src.Records, rep.Explained, rep.Verdict, src.Significant, src.Fields[canon.NameBirthDate])
	assert.Equal(t, New, rep.Verdict, "a brand-new breach")
	assert.False(t, src.Significant, "namesakes are no evidence")
	assert.InDelta(t, src.Fields[canon.NameBirthDate].Estimate, src.Fields[canon.NameBirthDate].Chance, 0.03, "the chance measured is the namesakes' share")
	assert.Contains(t, fmt.Sprint(rep.Evidence), "Many people share a name and a birth date in registry (16%)", "the evidence says so")

	// Half of it recycled: the namesakes are taken off, not the records.
	half := append(append([]synth.Person{}, world[:2000]...), world[200000:202000]...)
	rep = score(t, cat, table(t, half, namesakeCols), Options{Hasher: h})
	assert.InDelta(t, 0.5, rep.Explained.Estimate, 0.03, "explained: the recycled half")
	assert.True(t, rep.Explained.Low <= 0.5 && 0.5 <= rep.Explained.High, "its interval covers it: %+v", rep.Explained)
	assert.Equal(t, Mixed, rep.Verdict, "mixed")
}
