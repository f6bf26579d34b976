package provenance

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of issue 11, item 6: fabrication beyond check digits. Every
// sample is made by the project's generator (internal/synth): real people,
// or people fabricated in one way (Generator.Fabricated, MismatchedIDs,
// SequentialIDs, NaiveBirthDates, UnallocatedPhones).

var fabRegionList = []canon.Region{canon.UA, canon.RU, canon.KZ, canon.IN}

// fabCols are the columns of the fabrication samples: every kind a
// fabrication check reads.
var fabCols = []column{{canon.Name, synth.FamilyFirst}, {canon.BirthDate, synth.DateDots},
	{canon.NationalID, 0}, {canon.Phone, synth.PhoneE164}, {canon.CardNumber, 0}}

// fabCatalog is a catalog of one small source of the region, which the
// fabrication checks do not read but Score needs.
func fabCatalog(t testing.TB, region canon.Region) *Catalog {
	t.Helper()
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, unkeyed(t), "src", "", region, table(t, synth.People(region, 99, 50), fabCols)), ""))
	return cat
}

// generate makes n people of region from seed, set up by opt.
func generate(region canon.Region, seed uint64, n int, opt func(*synth.Generator)) []synth.Person {
	g := synth.NewGenerator(region, seed)
	if opt != nil {
		opt(g)
	}
	out := make([]synth.Person, n)
	for i := range out {
		out[i] = g.Person()
	}
	return out
}

// fabScore scores people in fabCols under region and returns the
// fabrication part of the report.
func fabScore(t testing.TB, region canon.Region, people []synth.Person) Fabrication {
	t.Helper()
	return score(t, fabCatalog(t, region), table(t, people, fabCols), Options{Region: region}).Fabrication
}

// check returns the check of kind k named name, and whether there is one.
func check(f Fabrication, k canon.Kind, name string) (FabricationCheck, bool) {
	for _, c := range f.Checks {
		if c.Kind == k && c.Check == name {
			return c, true
		}
	}
	return FabricationCheck{}, false
}

// flagged lists the flagged checks, for messages.
func flagged(f Fabrication) []string {
	var out []string
	for _, c := range f.Checks {
		if c.Flagged {
			out = append(out, c.Kind.String()+":"+c.Check)
		}
	}
	return out
}

// Real generated people of every region pass every check: nothing is
// flagged, nothing suspected, also when the same people recur under
// other spellings of their names (duplicates are not fabrication).
func TestFabricationNoFalseAlarmOnRealPeople(t *testing.T) {
	for _, region := range fabRegionList {
		for _, seed := range []uint64{1, 2, 3} {
			people := synth.People(region, seed, 1500)
			// 300 of them again, their names spelt another way.
			var cols []column
			if region == canon.IN {
				cols = []column{{canon.Name, synth.Upper}, {canon.BirthDate, synth.DateISO},
					{canon.NationalID, synth.IDSpaced}, {canon.Phone, synth.PhoneNational}, {canon.CardNumber, synth.IDSpaced}}
			} else {
				cols = []column{{canon.Name, synth.LatinICAO}, {canon.BirthDate, synth.DateISO},
					{canon.NationalID, synth.IDNumber}, {canon.Phone, synth.PhoneNational}, {canon.CardNumber, synth.IDSpaced}}
			}
			data := append(table(t, people, fabCols), dataRows(table(t, people[:300], cols))...)
			f := score(t, fabCatalog(t, region), data, Options{Region: region}).Fabrication
			assert.Falsef(t, f.Suspected, "%s seed %d: real people are not suspected (flagged: %v)", region, seed, flagged(f))
			assert.Emptyf(t, flagged(f), "%s seed %d: no check flagged", region, seed)
			c, ok := check(f, canon.NationalID, checkOneName)
			if assert.Truef(t, ok, "%s seed %d: a one-name check of the repeated IDs", region, seed) {
				assert.Equalf(t, 300, c.Values, "%s seed %d: 300 IDs repeat", region, seed)
				assert.Equalf(t, 1.0, c.Valid, "%s seed %d: each under one name however spelt", region, seed)
			}
			c, ok = check(f, canon.NationalID, checkDigit)
			require.Truef(t, ok, "%s seed %d: a check-digit check", region, seed)
			assert.Equalf(t, region, c.Region, "%s seed %d: the rules assumed", region, seed)
			assert.Nilf(t, c.Alternative, "%s seed %d: no other region's rules do better", region, seed)
		}
	}
}

// scoreFile scores a sample file against cat under region.
func scoreFile(t testing.TB, cat *Catalog, path string, region canon.Region) *Report {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoErrorf(t, err, "read %s", path)
	rep, err := Score(context.Background(), cat, reader(data, path, region), Options{Region: region})
	require.NoErrorf(t, err, "score %s", path)
	return rep
}

// dataRows drops the header line of a CSV table.
func dataRows(b []byte) []byte {
	_, rest, _ := bytes.Cut(b, []byte("\n"))
	return rest
}

// The bundled scenarios (testdata) keep their truth: only kz's new
// records are fabricated.
func TestFabricationOnTheBundledScenarios(t *testing.T) {
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err)
	for _, c := range []struct {
		sample string
		region canon.Region
		want   bool
	}{{"ua/sample.csv", canon.UA, false}, {"in/sample.tsv", canon.IN, false}, {"kz/sample.csv", canon.KZ, true}, {"rp/sample.csv", canon.UA, false}, {"leak.csv", canon.UA, false}} {
		f := scoreFile(t, cat, "../testdata/"+c.sample, c.region).Fabrication
		assert.Equalf(t, c.want, f.Suspected, "%s: suspected (flagged: %v)", c.sample, flagged(f))
	}
}

// IDs whose check digits are right but whose encoded birth date (and sex)
// is not the person's, in every record: check digits alone passed them
// (suspected false); the embedded date flags them.
func TestFabricationMismatchedBirthDates(t *testing.T) {
	for _, region := range []canon.Region{canon.UA, canon.KZ} {
		people := generate(region, 5, 300, func(g *synth.Generator) { g.MismatchedIDs = true })
		f := fabScore(t, region, people)
		cd, ok := check(f, canon.NationalID, checkDigit)
		require.Truef(t, ok, "%s: a check-digit check", region)
		assert.Equalf(t, 1.0, cd.Valid, "%s: every check digit right", region)
		assert.Falsef(t, cd.Flagged, "%s: check digits are not what fails", region)
		emb, ok := check(f, canon.NationalID, checkEmbedded)
		require.Truef(t, ok, "%s: an embedded-birth-date check", region)
		assert.Lessf(t, emb.Valid, 0.02, "%s: the encoded date disagrees in (nearly) every record", region)
		assert.Truef(t, emb.Flagged, "%s: embedded-birth-date flagged", region)
		assert.Equalf(t, weightStrong, emb.Weight, "%s: alone enough", region)
		assert.Truef(t, f.Suspected, "%s: suspected", region)
	}
}

// A sample 40% of whose records are fabricated, the rest real, is
// suspected in every region, whichever way the 40% were made, while check
// digits pass in over half of the values (the old rule's threshold).
func TestFabricationFortyPercent(t *testing.T) {
	type way struct {
		name    string
		opt     func(*synth.Generator)
		regions []canon.Region
		check   string
	}
	for _, w := range []way{
		{"random check digits", func(g *synth.Generator) { g.Fabricated = true }, fabRegionList, checkDigit},
		{"mismatched birth dates", func(g *synth.Generator) { g.MismatchedIDs = true }, []canon.Region{canon.UA, canon.KZ}, checkEmbedded},
		{"counted IDs", func(g *synth.Generator) { g.SequentialIDs = true }, []canon.Region{canon.UA, canon.KZ, canon.IN}, checkSequential},
	} {
		for _, region := range w.regions {
			people := append(synth.People(region, 11, 600), generate(region, 12, 400, w.opt)...)
			rand.New(rand.NewPCG(3, 4)).Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
			f := fabScore(t, region, people)
			cd, _ := check(f, canon.NationalID, checkDigit)
			assert.Greaterf(t, cd.Valid, 0.5, "%s, %s: check digits valid in over half", region, w.name)
			c, ok := check(f, canon.NationalID, w.check)
			require.Truef(t, ok, "%s, %s: a %s check", region, w.name, w.check)
			assert.Truef(t, c.Flagged, "%s, %s: %s flagged (%v passed)", region, w.name, w.check, c.Valid)
			assert.Truef(t, f.Suspected, "%s, %s: suspected", region, w.name)
		}
	}
}

// The same 40% in a scenario of the generator: the truth it computes says
// suspected, and so does the report.
func TestFabricationScenarioTruth(t *testing.T) {
	cols := []synth.Column{{Kind: canon.Name}, {Kind: canon.BirthDate, Styles: []synth.Style{synth.DateDots}}, {Kind: canon.NationalID}, {Kind: canon.Phone}}
	for _, c := range []struct {
		name   string
		sample synth.SampleSpec
	}{
		{"mismatched", synth.SampleSpec{NewMismatched: true}},
		{"sequential", synth.SampleSpec{NewSequential: true}},
		{"real", synth.SampleSpec{}},
	} {
		sc := synth.Scenario{Name: c.name, Region: canon.UA, Seed: 8,
			Sources: []synth.SourceSpec{{DumpSpec: synth.DumpSpec{Name: "bank", Snapshot: "2016-01-01", File: "bank.csv", Columns: cols}, Size: 2000}}}
		sc.Sample = c.sample
		sc.Sample.DumpSpec = synth.DumpSpec{File: "sample.csv", Columns: cols}
		sc.Sample.Size, sc.Sample.Draws = 1000, []synth.Draw{{From: "bank", Share: 0.6}}
		b := buildScenario(t, sc, nil, nil)
		rep := score(t, b.cat, b.sample, Options{Region: canon.UA})
		assert.Equalf(t, c.name != "real", b.truth.FabricationSuspected, "%s: the truth", c.name)
		assert.Equalf(t, b.truth.FabricationSuspected, rep.Fabrication.Suspected, "%s: the report agrees with the truth (flagged: %v)", c.name, flagged(rep.Fabrication))
	}
}

// Real KZ IINs read under --region RU fail the INN check; the report says
// so and names KZ, and does not call them fabricated. Read under UA they
// have no RNOKPP's form at all. Both used to be "suspected".
func TestFabricationWrongRegionIsNotFabrication(t *testing.T) {
	people := synth.People(canon.KZ, 21, 400)
	data := table(t, people, fabCols)
	cat := fabCatalog(t, canon.KZ)

	rep := scoreForced(t, cat, data, Options{Region: canon.RU})
	c, ok := check(rep.Fabrication, canon.NationalID, checkDigit)
	require.True(t, ok, "a check-digit check under RU")
	assert.Less(t, c.Valid, 0.05, "IINs fail the INN check")
	assert.Equal(t, canon.RU, c.Region, "the rules assumed")
	assert.Equal(t, "inn", c.Scheme, "the scheme assumed")
	require.NotNil(t, c.Alternative, "another region's rules")
	assert.Equal(t, canon.KZ, c.Alternative.Region, "KZ's rules pass them")
	assert.Equal(t, 1.0, c.Alternative.Valid, "all of them")
	assert.False(t, c.Flagged, "not flagged: a wrong region")
	assert.False(t, rep.Fabrication.Suspected, "KZ IINs under RU are not suspected")
	ev := strings.Join(rep.Evidence, "\n")
	assert.Contains(t, ev, "under the RU rules (INN)", "the sentence names the rules it assumed")
	assert.Contains(t, ev, "under the KZ rules (IIN)", "and the rules that pass")
	assert.NotContains(t, ev, "Fabrication suspected", "no suspicion")

	// Under UA the column would be read as other (no RNOKPP has 12
	// digits); mapped to national_id, as --map does, it is checked.
	r := reader(data, "sample.csv", canon.UA)
	r.Map = map[string]canon.Kind{"national_id": canon.NationalID}
	r.ForceRegion = true
	rep, err := Score(context.Background(), cat, r, Options{Region: canon.UA})
	require.NoError(t, err, "score under UA")
	c, ok = check(rep.Fabrication, canon.NationalID, checkDigit)
	require.True(t, ok, "a check-digit check under UA")
	assert.Equal(t, 400, c.Malformed, "no 12-digit IIN has an RNOKPP's form")
	assert.False(t, rep.Fabrication.Suspected, "KZ IINs under UA are not suspected")
	ev = strings.Join(rep.Evidence, "\n")
	assert.Contains(t, ev, "under the UA rules (RNOKPP)", "the sentence names the rules it assumed")
	assert.Contains(t, ev, "check --region", "and says what to check")
}

// Half RU INNs, half KZ IINs, read under RU: the failing half passes the
// KZ rules, so nothing is suspected; half RU INNs and half random digits
// posing as INNs is.
func TestFabricationMixedRegions(t *testing.T) {
	cat := fabCatalog(t, canon.RU)
	mixed := append(synth.People(canon.RU, 22, 200), synth.People(canon.KZ, 23, 200)...)
	f := score(t, cat, table(t, mixed, fabCols), Options{Region: canon.RU}).Fabrication
	c, _ := check(f, canon.NationalID, checkDigit)
	assert.InDelta(t, 0.5, c.Valid, 0.02, "half pass the INN check")
	require.NotNil(t, c.Alternative, "the failing half passes another region's rules")
	assert.Equal(t, canon.KZ, c.Alternative.Region, "KZ's")
	assert.False(t, f.Suspected, "RU and KZ people read under RU are not suspected (flagged: %v)", flagged(f))

	fake := append(synth.People(canon.RU, 24, 200), generate(canon.RU, 25, 200, func(g *synth.Generator) { g.Fabricated = true })...)
	f = score(t, cat, table(t, fake, fabCols), Options{Region: canon.RU}).Fabrication
	c, _ = check(f, canon.NationalID, checkDigit)
	assert.Nil(t, c.Alternative, "no region's rules pass random digits")
	assert.True(t, f.Suspected, "half random INNs are suspected")
}

// The check-digit sentence of fabricated IDs names the rules it assumed.
func TestFabricationSentenceNamesTheRules(t *testing.T) {
	for _, c := range []struct {
		region canon.Region
		rules  string
	}{{canon.UA, "UA rules (RNOKPP)"}, {canon.RU, "RU rules (INN)"}, {canon.KZ, "KZ rules (IIN)"}, {canon.IN, "IN rules (Aadhaar)"}} {
		people := generate(c.region, 31, 200, func(g *synth.Generator) { g.Fabricated = true })
		rep := score(t, fabCatalog(t, c.region), table(t, people, fabCols), Options{Region: c.region})
		require.Truef(t, rep.Fabrication.Suspected, "%s: random check digits are suspected", c.region)
		assert.Containsf(t, strings.Join(rep.Evidence, "\n"), "Fabrication suspected: check digits of national_id are valid in only", "%s: the sentence", c.region)
		assert.Containsf(t, strings.Join(rep.Evidence, "\n"), c.rules, "%s: names the rules", c.region)
	}
}

// Consecutive IDs, their check digits right: flagged in every region, a
// strong sign where the scheme's numbers are not issued in sequence (UA,
// KZ by birth date; Aadhaar at random), a weak one for RU's INNs, which a
// tax office issues in sequence.
func TestFabricationSequentialIDs(t *testing.T) {
	for _, region := range fabRegionList {
		people := generate(region, 41, 500, func(g *synth.Generator) { g.SequentialIDs = true })
		f := fabScore(t, region, people)
		c, ok := check(f, canon.NationalID, checkSequential)
		require.Truef(t, ok, "%s: a sequential check", region)
		assert.Lessf(t, c.Valid, 0.1, "%s: nearly every ID is followed by the next", region)
		assert.Truef(t, c.Flagged, "%s: flagged", region)
		cd, _ := check(f, canon.NationalID, checkDigit)
		assert.Equalf(t, 1.0, cd.Valid, "%s: check digits all right", region)
		if region == canon.RU {
			assert.Equalf(t, weightWeak, c.Weight, "%s: INNs: weak", region)
		} else {
			assert.Equalf(t, weightStrong, c.Weight, "%s: strong", region)
			assert.Truef(t, f.Suspected, "%s: suspected", region)
		}
	}
}

// One national ID under many people's names: flagged. A phone under
// several names is a weak sign only.
func TestFabricationOneIDUnderDifferentNames(t *testing.T) {
	for _, region := range fabRegionList {
		people := synth.People(region, 51, 600)
		// 100 IDs (and phones), each given to six people.
		for i := range people {
			people[i].NationalID = people[i%100].NationalID
			people[i].Phone = people[i%100].Phone
		}
		f := fabScore(t, region, people)
		c, ok := check(f, canon.NationalID, checkOneName)
		require.Truef(t, ok, "%s: a one-name check of IDs", region)
		assert.Equalf(t, 100, c.Values, "%s: 100 IDs repeat", region)
		assert.Equalf(t, 0.0, c.Valid, "%s: none under one name", region)
		assert.Truef(t, c.Flagged, "%s: flagged", region)
		assert.Truef(t, f.Suspected, "%s: suspected", region)
		p, ok := check(f, canon.Phone, checkOneName)
		require.Truef(t, ok, "%s: a one-name check of phones", region)
		assert.Truef(t, p.Flagged, "%s: phones flagged", region)
		assert.Equalf(t, weightWeak, p.Weight, "%s: phones weak", region)
	}
}

// Birth dates drawn with days of 1-28 and phones in no allocated range
// are each a weak sign, not enough alone; together, two kinds, they are.
func TestFabricationWeakSignsCountTogether(t *testing.T) {
	for _, region := range fabRegionList {
		naive := fabScore(t, region, generate(region, 61, 500, func(g *synth.Generator) { g.NaiveBirthDates = true }))
		c, ok := check(naive, canon.BirthDate, checkDaySpread)
		require.Truef(t, ok, "%s: a day-spread check", region)
		assert.Equalf(t, 0, c.Passed, "%s: no date on a 29th-31st", region)
		assert.Truef(t, c.Flagged, "%s: day-spread flagged", region)
		assert.Falsef(t, naive.Suspected, "%s: one weak sign is not enough", region)

		// A column of phones mostly outside the allocated ranges is not
		// read as phones at all (sampleset types it other): 40% of them.
		unallocated := func(g *synth.Generator) { g.UnallocatedPhones = true }
		phones := fabScore(t, region, append(synth.People(region, 62, 600), generate(region, 63, 400, unallocated)...))
		c, ok = check(phones, canon.Phone, checkFormat)
		require.Truef(t, ok, "%s: a phone format check", region)
		assert.Equalf(t, 600, c.Passed, "%s: only the real phones are in an allocated range", region)
		assert.Truef(t, c.Flagged, "%s: phone format flagged", region)
		assert.Falsef(t, phones.Suspected, "%s: one weak sign is not enough", region)

		// Two weak signs of one kind (phones out of range, and phones
		// shared by several names) may have one innocent cause.
		shared := append(synth.People(region, 66, 600), generate(region, 67, 400, unallocated)...)
		for i := range shared[:600] {
			shared[i].Phone = shared[i%100].Phone
		}
		oneKind := fabScore(t, region, shared)
		c, _ = check(oneKind, canon.Phone, checkFormat)
		assert.Truef(t, c.Flagged, "%s: phone format flagged", region)
		c, _ = check(oneKind, canon.Phone, checkOneName)
		assert.Truef(t, c.Flagged, "%s: shared phones flagged", region)
		assert.Falsef(t, oneKind.Suspected, "%s: two weak signs of one kind are not enough", region)

		naiveOnly := func(g *synth.Generator) { g.NaiveBirthDates = true }
		naiveAndPhones := func(g *synth.Generator) { g.NaiveBirthDates, g.UnallocatedPhones = true, true }
		both := fabScore(t, region, append(generate(region, 64, 600, naiveOnly), generate(region, 65, 400, naiveAndPhones)...))
		assert.Truef(t, both.Suspected, "%s: two weak signs are (flagged: %v)", region, flagged(both))
	}
}

// IDs whose encoded birth date cannot be a living person's: an IIN whose
// century digit says the 1800s, an RNOKPP counting days into the future.
// The records' own dates agree, so only the plausibility check fails.
func TestFabricationImpossibleEncodedDates(t *testing.T) {
	for _, c := range []struct {
		region   canon.Region
		from, to time.Time
	}{
		{canon.KZ, time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)},
		{canon.UA, time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2090, 12, 31, 0, 0, 0, 0, time.UTC)},
	} {
		people := generate(c.region, 71, 300, func(g *synth.Generator) { g.BornFrom, g.BornTo = c.from, c.to })
		f := fabScore(t, c.region, people)
		emb, _ := check(f, canon.NationalID, checkEmbedded)
		assert.Equalf(t, 1.0, emb.Valid, "%s: encoded and record dates agree", c.region)
		p, ok := check(f, canon.NationalID, checkEmbeddedDate)
		require.Truef(t, ok, "%s: an embedded-date-plausible check", c.region)
		assert.Equalf(t, 0.0, p.Valid, "%s: no encoded date is possible", c.region)
		assert.Truef(t, p.Flagged, "%s: flagged", c.region)
		assert.Truef(t, f.Suspected, "%s: suspected", c.region)
		age, _ := check(f, canon.BirthDate, checkAge)
		assert.Truef(t, age.Flagged, "%s: the records' ages are impossible too", c.region)
	}
}

// INNs with right check digits that start with 00, no region's code.
func TestFabricationINNRegionCode(t *testing.T) {
	people := synth.People(canon.RU, 81, 300)
	for i := range people {
		people[i].NationalID = innWithPrefix(t, "00"+people[i].NationalID[2:10])
	}
	f := fabScore(t, canon.RU, people)
	c, ok := check(f, canon.NationalID, checkRegionCode)
	require.True(t, ok, "a region-code check")
	assert.Equal(t, 0.0, c.Valid, "no INN has a region code")
	assert.True(t, c.Flagged, "flagged")
	assert.True(t, f.Suspected, "suspected")
	real := fabScore(t, canon.RU, synth.People(canon.RU, 82, 300))
	c, _ = check(real, canon.NationalID, checkRegionCode)
	assert.Equal(t, 1.0, c.Valid, "real INNs have region codes")
}

// innWithPrefix completes ten digits into a 12-digit INN.
func innWithPrefix(t *testing.T, body string) string {
	for i := range 100 {
		id := fmt.Sprintf("%s%02d", body, i)
		if canon.ValidINN(id) {
			return id
		}
	}
	t.Fatalf("no INN completes %s", body)
	return ""
}

// Many birth dates on 1 January are reported, as placeholders, and never
// flagged; the embedded-date check takes 1 January of the encoded year as
// agreeing.
func TestFabricationJanuaryFirstIsAPlaceholder(t *testing.T) {
	people := synth.People(canon.UA, 91, 400)
	for i := range people[:200] {
		people[i].BirthDate = time.Date(people[i].BirthDate.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rep := score(t, fabCatalog(t, canon.UA), table(t, people, fabCols), Options{Region: canon.UA})
	f := rep.Fabrication
	c, ok := check(f, canon.BirthDate, checkJanuary1)
	require.True(t, ok, "a 1-january check")
	assert.InDelta(t, 0.5, c.Valid, 0.01, "half not on 1 January")
	assert.False(t, c.Flagged, "never flagged")
	emb, _ := check(f, canon.NationalID, checkEmbedded)
	assert.Equal(t, 1.0, emb.Valid, "1 January of the encoded year agrees")
	assert.False(t, f.Suspected, "not suspected (flagged: %v)", flagged(f))
	assert.Contains(t, strings.Join(rep.Evidence, "\n"), "are 1 January", "the evidence reports them")
}

// Reports carrying every field a fabrication check can have (an
// alternative region, malformed values, a hash sample, an expected share,
// flagged checks of both weights) conform to docs/report.schema.json.
func TestFabricationFieldsConformToTheSchema(t *testing.T) {
	f, err := os.Open("../docs/report.schema.json")
	require.NoError(t, err, "open the report schema")
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err, "the report schema is JSON")
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("report.schema.json", doc), "add the report schema")
	sch, err := c.Compile("report.schema.json")
	require.NoError(t, err, "compile the report schema")

	kz := table(t, synth.People(canon.KZ, 131, 300), fabCols)
	many := synth.People(canon.UA, 132, 12000)
	for i := len(many) - 1; i >= 0; i-- {
		many[i].NationalID = many[i/2].NationalID // 6,000 IDs twice each, more than the sample keeps
	}
	mapped := reader(kz, "kz.csv", canon.UA)
	mapped.Map = map[string]canon.Kind{"national_id": canon.NationalID}
	mapped.ForceRegion = true
	reports := map[string]*Report{
		"KZ under RU": scoreForced(t, fabCatalog(t, canon.KZ), kz, Options{Region: canon.RU}),
		"many IDs":    score(t, fabCatalog(t, canon.UA), table(t, many, fabCols), Options{Region: canon.UA}),
	}
	reports["KZ under UA, mapped"], err = Score(context.Background(), fabCatalog(t, canon.KZ), mapped, Options{Region: canon.UA})
	require.NoError(t, err, "score KZ under UA")
	seen := map[string]bool{}
	for name, rep := range reports {
		var b bytes.Buffer
		require.NoErrorf(t, rep.Render(&b, "json"), "%s: render", name)
		inst, err := jsonschema.UnmarshalJSON(&b)
		require.NoErrorf(t, err, "%s: JSON", name)
		assert.NoErrorf(t, sch.Validate(inst), "%s: conforms", name)
		for _, c := range rep.Fabrication.Checks {
			seen["alternative"] = seen["alternative"] || c.Alternative != nil
			seen["malformed"] = seen["malformed"] || c.Malformed > 0
			seen["sampling"] = seen["sampling"] || c.Sampling > 0
			seen["expected"] = seen["expected"] || c.Expected > 0
		}
	}
	for _, field := range []string{"alternative", "malformed", "sampling", "expected"} {
		assert.Truef(t, seen[field], "some report has %s", field)
	}
}

// fabRecord is one record as fabStats.add receives it.
func fabRecord(h *fingerprint.Hasher, vals ...canon.Value) []fingerprint.Hashed {
	out := make([]fingerprint.Hashed, len(vals))
	for i, v := range vals {
		out[i] = fingerprint.Hashed{Value: v}
		if v.Status.Hashable() {
			out[i].Hash = h.Sum64(v.Kind, v.Form)
		}
	}
	return out
}

// The hash samples of the sequential and one-name checks stay within
// their cap, and the checks come out the same however the records are
// shared out among workers and merged.
func TestFabricationSamplesAreBoundedAndSplitFree(t *testing.T) {
	h := unkeyed(t)
	people := synth.People(canon.UA, 101, 30000)
	var recs [][]fingerprint.Hashed
	for i, p := range people {
		name := []byte(fmt.Sprintf("name %d", i%20000))
		id := []byte(p.NationalID)
		if i%3 == 0 && i > 0 {
			id = []byte(people[i-1].NationalID) // repeated, under another name
		}
		recs = append(recs, fabRecord(h,
			canon.Value{Kind: canon.Name, Status: canon.Valid, Form: name},
			canon.Value{Kind: canon.NationalID, Status: canon.Valid, Form: id},
			canon.Value{Kind: canon.BirthDate, Status: canon.Valid, Form: []byte(p.BirthDate.Format("2006-01-02"))}))
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var whole fabStats
	for _, r := range recs {
		whole.add(r, canon.UA)
	}
	assert.LessOrEqual(t, whole.idNames.n, fabSampleCap, "the ID sample stays within its cap")
	assert.Positive(t, whole.idNames.level, "30,000 IDs raise the sample's level")
	want := whole.resultAt(now)
	c, ok := check(want, canon.NationalID, checkOneName)
	require.True(t, ok, "a one-name check")
	assert.Positive(t, c.Sampling, "the check says it is a sample")
	assert.InDelta(t, 0.0, c.Valid, 0.001, "every repeated ID is under two names")

	for _, parts := range []int{2, 3, 7} {
		shards := make([]fabStats, parts)
		r := rand.New(rand.NewPCG(uint64(parts), 9))
		for _, rec := range recs {
			shards[r.IntN(parts)].add(rec, canon.UA)
		}
		for i := 1; i < parts; i++ {
			shards[0].merge(&shards[i])
		}
		assert.Equalf(t, want, shards[0].resultAt(now), "%d shards merged: the same checks", parts)
	}
}

// Values no canonicaliser would give, and kinds out of range, neither
// crash fabStats nor count as dates or IDs.
func TestFabricationBadValues(t *testing.T) {
	var f fabStats
	for _, form := range []string{"", "1", "12345678901234567890", "abcdefghij", "2000-13-45", "20x0-01-01", "19", "0000000000", "00000000000"} {
		rec := []fingerprint.Hashed{
			{Value: canon.Value{Kind: canon.NationalID, Status: canon.Valid, Form: []byte(form)}},
			{Value: canon.Value{Kind: canon.BirthDate, Status: canon.Valid, Form: []byte(form)}},
			{Value: canon.Value{Kind: canon.Kind(200), Status: canon.Valid, Form: []byte(form)}},
		}
		for _, region := range []canon.Region{canon.UA, canon.RU, canon.KZ, canon.IN, "", "BY"} {
			assert.NotPanicsf(t, func() { f.add(rec, region) }, "form %q under %q", form, region)
		}
	}
	assert.NotPanics(t, func() { f.resultAt(time.Now()) }, "result of bad values")
	assert.Equal(t, 0, f.fullDates, "no full date among them")
}

// The text and Markdown reports mark a flagged check and name its rules.
func TestFabricationRendered(t *testing.T) {
	people := generate(canon.UA, 111, 300, func(g *synth.Generator) { g.MismatchedIDs = true })
	rep := score(t, fabCatalog(t, canon.UA), table(t, people, fabCols), Options{Region: canon.UA})
	for _, format := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		require.NoErrorf(t, rep.Render(&b, format), "render %s", format)
		out := b.String()
		assert.Containsf(t, out, "embedded-birth-date", "%s: the check", format)
		assert.Containsf(t, out, "under the UA rules (RNOKPP)", "%s: its rules", format)
		switch format {
		case "text":
			assert.Contains(t, out, "FLAGGED (strong)", "text: the flag")
		case "markdown":
			assert.Contains(t, out, "**yes** (strong)", "markdown: the flag")
		case "html":
			assert.Contains(t, out, "✘ yes (strong)", "html: the flag")
		}
	}
}

// fabBenchRecords are hashed records of real UA people as Score hands
// them to fabStats.add: name, birth date, national ID, phone, card.
func fabBenchRecords(b *testing.B, n int) [][]fingerprint.Hashed {
	h := unkeyed(b)
	var out [][]fingerprint.Hashed
	for _, p := range synth.People(canon.UA, 121, n) {
		name, _ := canon.AppendName(nil, p.Given+" "+p.Family)
		out = append(out, fabRecord(h,
			canon.Value{Kind: canon.Name, Status: canon.Valid, Form: name},
			canon.Value{Kind: canon.BirthDate, Status: canon.Valid, Form: []byte(p.BirthDate.Format("2006-01-02"))},
			canon.Value{Kind: canon.NationalID, Status: canon.Valid, Form: []byte(p.NationalID)},
			canon.Value{Kind: canon.Phone, Status: canon.Valid, Form: []byte(p.Phone)},
			canon.Value{Kind: canon.CardNumber, Status: canon.Valid, Form: []byte(p.Card)}))
	}
	return out
}

// BenchmarkFabStats measures the fabrication checks' cost per record
// (fabStats.add over 20,000 records, then result).
func BenchmarkFabStats(b *testing.B) {
	recs := fabBenchRecords(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		var f fabStats
		for _, r := range recs {
			f.add(r, canon.UA)
		}
		_ = f.resultAt(time.Now())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(recs)), "ns/record")
}

// BenchmarkScoreFabricationColumns scores 20,000 records carrying every
// column the fabrication checks read but cards (name, phone, birth date,
// national ID) on one worker, against three sources.
func BenchmarkScoreFabricationColumns(b *testing.B) {
	h := unkeyed(b)
	world := synth.People(canon.UA, 22, 30000)
	cat := &Catalog{}
	for i, name := range []string{"a", "b", "c"} {
		_ = cat.Add(index(b, h, name, "", canon.UA, table(b, world[i*8000:(i+1)*8000], bankCols)), "")
	}
	sample := table(b, world[5000:25000], bankCols)
	b.SetBytes(int64(len(sample)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(context.Background(), cat, reader(sample, "s", canon.UA), Options{Hasher: h, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
