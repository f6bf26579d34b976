package provenance

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
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
	if raceEnabled {
		t.Skip("a simulation on a large source: run without -race")
	}
	h := unkeyed(t)
	world := januaryFirst(synth.People(canon.UA, 81, 204000))
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, h, "registry", "2020-01-01", canon.UA, table(t, world[:200000], namesakeCols)), ""))
	rep := score(t, cat, table(t, world[200000:], namesakeCols), Options{Hasher: h})
	src := source(t, rep, "registry")
	t.Logf("records %+v, explained %+v, verdict %s, significant %v, nbd %+v", src.Records, rep.Explained, rep.Verdict, src.Significant, src.Fields[canon.NameBirthDate])
	assert.Equal(t, New, rep.Verdict, "a brand-new breach")
	assert.LessOrEqual(t, rep.Explained.Estimate, 0.03, "explained: within 0.03 of the truth, none")
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

// TestChanceIsTheSourcesDensityInThePrefix: a dump of one operator's
// customers, 1M of the 10^7 numbers under its code 067, against a sample of
// made-up numbers under the same code. The national value space put the
// chance at 0.8%, so the 10% the made-up numbers hit was significant; the
// decoys measure the source's density where the sample's numbers are.
func TestChanceIsTheSourcesDensityInThePrefix(t *testing.T) {
	if raceEnabled {
		t.Skip("a simulation on a large source: run without -race")
	}
	h := unkeyed(t)
	enc := fingerprint.NewEncoder(h, canon.UA, []canon.Column{{Name: "phone", Kind: canon.Phone}})
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{Meta: fingerprint.Metadata{Name: "operator", Snapshot: "2019-01-01", Region: canon.UA}})
	require.NoError(t, err)
	number := func(i uint64) string { return fmt.Sprintf("+38067%07d", i*2654435761%10_000_000) }
	rec := make([]string, 1)
	for i := range uint64(1_000_000) {
		rec[0] = number(i)
		require.NoError(t, b.Add(enc.Encode(nil, rec)))
	}
	sig, err := b.Finish()
	require.NoError(t, err)
	cat := &Catalog{}
	require.NoError(t, cat.Add(sig, ""))
	rng := rand.New(rand.NewPCG(7, 8))
	var sample bytes.Buffer
	sample.WriteString("phone\n")
	for range 1000 {
		sample.WriteString(number(rng.Uint64N(10_000_000)) + "\n") // made up, under 067
	}
	rep := score(t, cat, sample.Bytes(), Options{Hasher: h})
	src := source(t, rep, "operator")
	f := src.Fields[canon.Phone]
	assert.InDelta(t, 0.1, f.Estimate, 0.03, "the made-up numbers hit the dump's density")
	assert.InDelta(t, 0.1, f.Chance, 0.01, "the chance measured: the density under 067, not the country's 0.8%%")
	assert.True(t, f.AtChance, "no more than chance")
	assert.False(t, src.Significant, "made-up numbers are no evidence")
	assert.Equal(t, New, rep.Verdict, "verdict")
}

// Redrawn values keep their prefix and are valid, check digits included.
func TestRedraw(t *testing.T) {
	for _, c := range []struct {
		kind   canon.Kind
		region canon.Region
		value  string
		drawn  int
	}{
		{canon.Phone, canon.UA, "+380671234567", 7},
		{canon.NationalID, canon.UA, "3230378950", 5},
		{canon.NationalID, canon.KZ, synth.People(canon.KZ, 3, 1)[0].NationalID, 5},
		{canon.NationalID, canon.IN, synth.People(canon.IN, 3, 1)[0].NationalID, 5},
		{canon.NationalID, canon.RU, synth.People(canon.RU, 3, 1)[0].NationalID, 5},
		{canon.Passport, canon.UA, "MK123456", 5},
	} {
		form, st := canon.Append(nil, c.kind, c.value, canon.Options{Region: c.region})
		require.Equal(t, canon.Valid, st, "%s %s %s: a valid value to start from", c.region, c.kind, c.value)
		seen := map[string]bool{}
		for seed := range uint64(50) {
			d, ok := redraw(c.kind, c.region, form, c.drawn, seed)
			require.True(t, ok, "%s %s: seed %d gives a valid value", c.region, c.kind, seed)
			assert.Equal(t, string(form[:len(form)-c.drawn]), string(d[:len(d)-c.drawn]), "%s %s: the prefix kept", c.region, c.kind)
			_, st := canon.Append(nil, c.kind, string(d), canon.Options{Region: c.region})
			assert.Equal(t, canon.Valid, st, "%s %s %s: valid", c.region, c.kind, d)
			seen[string(d)] = true
		}
		assert.Greater(t, len(seen), 45, "%s %s: the draws differ", c.region, c.kind)
	}
	_, ok := redraw(canon.Email, canon.UA, []byte("a@b.c"), 5, 1)
	assert.False(t, ok, "no digits to draw")
}

// TestKeptValuesAreTheSmallestHashes offers values in batches, with
// repeats, to one set and split between two merged sets, and checks that
// both keep exactly the decoyKeep smallest distinct hashes, each with its
// form.
func TestKeptValuesAreTheSmallestHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 50_000
	offered := make([]uint64, 0, 2*n)
	for range n {
		h := rng.Uint64() >> rng.IntN(8) // some small hashes come early
		offered = append(offered, h)
		if rng.IntN(4) == 0 {
			offered = append(offered, h) // a repeat
		}
	}
	form := func(h uint64) []byte { return fmt.Appendf(nil, "%016x", h) }

	var one, a, b keptValues
	for i, h := range offered {
		one.add(h, form(h))
		if i%3 == 0 {
			a.add(h, form(h))
		} else {
			b.add(h, form(h))
		}
	}
	a.merge(&b)

	want := slices.Clone(offered)
	slices.Sort(want)
	want = slices.Compact(want)[:decoyKeep]
	for name, k := range map[string]*keptValues{"one set": &one, "two merged": &a} {
		k.settle()
		require.Len(t, k.e, decoyKeep, name)
		got := make([]uint64, len(k.e))
		for i, x := range k.e {
			got[i] = x.hash
			assert.Equal(t, form(x.hash), x.form, "%s: the form kept with %#x", name, x.hash)
		}
		assert.Equal(t, want, got, name)
		assert.Empty(t, k.pending, name)
	}
}

// TestKeptValuesTieOnTheForm gives two forms one hash: the smaller is kept
// whichever comes first.
func TestKeptValuesTieOnTheForm(t *testing.T) {
	for _, order := range [][]string{{"b", "a"}, {"a", "b"}} {
		var k keptValues
		for _, f := range order {
			k.add(7, []byte(f))
		}
		k.settle()
		require.Len(t, k.e, 1, "offered %q", order)
		assert.Equal(t, "a", string(k.e[0].form), "offered %q", order)
	}
}
