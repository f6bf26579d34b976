package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Truth is a scenario's ground truth, in the format of the acceptance
// scenarios' truth.json. Shares are over the sample's identified records
// (those with at least one strong identifier, as the scorer counts them).
type Truth struct {
	Scenario   string   `json:"scenario"`
	Region     string   `json:"region"`
	Sample     string   `json:"sample"`
	SampleCols []string `json:"sample_cols"`
	Records    int      `json:"records"`
	Identified int      `json:"identified"`
	Verdict    string   `json:"verdict"`
	Explained  float64  `json:"explained"`
	// Sources is, per source, the share of records matching it on a strong
	// identifier or on name + birth date.
	Sources map[string]float64 `json:"sources"`
	// Joint is, per source, the share of records of which two strong
	// identifiers (name + birth date counting as one) are in one record of
	// the source.
	Joint map[string]float64 `json:"joint"`
	// Fields is, per source and strong kind, the share of the sample's
	// values of that kind the source holds.
	Fields map[string]map[string]float64 `json:"fields"`
	// Drawn is the construction: per source, the share of sample records
	// drawn from its people, and "new" for people no source holds.
	Drawn                map[string]float64 `json:"drawn"`
	NovelFields          []string           `json:"novel_fields"`
	Claim                *TruthClaim        `json:"claim,omitempty"`
	FabricationSuspected bool               `json:"fabrication_suspected"`
	SourceFiles          []TruthFile        `json:"source_files"`
	// Rows is the truth of each sample record, in order (written apart,
	// as rows.csv: see [MarshalTruthRows]).
	Rows []TruthRow `json:"-"`
}

// TruthRow is the truth of one sample record: whether it has a strong
// identifier, and the sources it matches on one (Sources) and on two
// together (Joint), in the order of the scenario's sources.
type TruthRow struct {
	Identified bool
	Sources    []string
	Joint      []string
}

// TruthClaim is the claim part of a truth.
type TruthClaim struct {
	Schema         string `json:"schema"`
	ClaimedRecords *int64 `json:"claimed_records"`
	Consistent     bool   `json:"consistent"`
}

// TruthFile describes one source file of a truth.
type TruthFile struct {
	Name     string   `json:"name"`
	File     string   `json:"file"`
	Snapshot string   `json:"snapshot"`
	Records  int      `json:"records"`
	Cols     []string `json:"cols"`
}

// Verdicts and their thresholds on the explained share, as DESIGN.md sets
// them. The truth is worked out from the people behind each record, never
// through the code it checks, so these are the truth files' own words (the
// same as provenance.Verdict's, which imports this package in its tests).
const (
	VerdictRecycled     = "recycled"
	VerdictNew          = "new"
	VerdictMixed        = "mixed"
	VerdictInsufficient = "insufficient"

	recycledAt    = 0.90
	newAt         = 0.10
	minIdentified = 30
	novelBelow    = 0.10

	formatConformsAt = 0.90
)

// key is one strong fact of a record: a person's value of a kind. People's
// values are unique (see [Generator]), so equal keys are equal values.
type key struct {
	kind   canon.Kind
	person int
}

func (s *Scenario) truth(world []Person, srcRecs [][]record, sample []record) Truth {
	t := Truth{
		Scenario: s.Name, Region: string(s.Region), Sample: s.Sample.File,
		Records: len(sample), Sources: map[string]float64{}, Joint: map[string]float64{},
		Fields: map[string]map[string]float64{}, NovelFields: []string{},
	}
	for _, c := range columnsOf(s.Sample.DumpSpec) {
		t.SampleCols = append(t.SampleCols, c.Kind.String())
	}
	// Per source: the keys it holds, and each person's records.
	held := make([]map[key]bool, len(s.Sources))
	byPerson := make([]map[int][]record, len(s.Sources))
	for i, recs := range srcRecs {
		held[i], byPerson[i] = map[key]bool{}, map[int][]record{}
		for _, rec := range recs {
			if rec.kinds == 0 {
				continue
			}
			for _, k := range rec.strongKinds() {
				held[i][key{k, rec.person}] = true
			}
			byPerson[i][rec.person] = append(byPerson[i][rec.person], rec)
		}
		src := s.Sources[i]
		tf := TruthFile{Name: src.Name, File: src.File, Snapshot: src.Snapshot, Records: len(recs)}
		for _, c := range columnsOf(src.DumpSpec) {
			tf.Cols = append(tf.Cols, c.Kind.String())
		}
		t.SourceFiles = append(t.SourceFiles, tf)
	}

	ident, anyHit := 0, 0
	hits := make([]int, len(s.Sources))
	joint := make([]int, len(s.Sources))
	values := map[canon.Kind]int{}
	kindHits := map[canon.Kind][]int{}
	for _, rec := range sample {
		ks := rec.strongKinds()
		t.Rows = append(t.Rows, TruthRow{Identified: len(ks) > 0})
		if len(ks) == 0 {
			continue
		}
		row := &t.Rows[len(t.Rows)-1]
		ident++
		matchedAny := false
		for i := range s.Sources {
			matched := false
			for _, k := range ks {
				if held[i][key{k, rec.person}] {
					matched = true
				}
			}
			if matched {
				hits[i]++
				matchedAny = true
				row.Sources = append(row.Sources, s.Sources[i].Name)
			}
			for _, srec := range byPerson[i][rec.person] {
				shared := 0
				sks := srec.strongKinds()
				for _, k := range ks {
					if slices.Contains(sks, k) {
						shared++
					}
				}
				if shared >= 2 {
					joint[i]++
					row.Joint = append(row.Joint, s.Sources[i].Name)
					break
				}
			}
		}
		if matchedAny {
			anyHit++
		}
		for _, k := range ks {
			if k == canon.NameBirthDate {
				continue
			}
			values[k]++
			if kindHits[k] == nil {
				kindHits[k] = make([]int, len(s.Sources))
			}
			for i := range s.Sources {
				if held[i][key{k, rec.person}] {
					kindHits[k][i]++
				}
			}
		}
	}
	t.Identified = ident
	share := func(x, n int) float64 {
		if n == 0 {
			return 0
		}
		return round4(float64(x) / float64(n))
	}
	t.Explained = share(anyHit, ident)
	for i, src := range s.Sources {
		t.Sources[src.Name] = share(hits[i], ident)
		t.Joint[src.Name] = share(joint[i], ident)
		t.Fields[src.Name] = map[string]float64{}
	}
	for _, k := range canon.StrongKinds {
		n := values[k]
		if n == 0 {
			continue
		}
		novel := true
		for i, src := range s.Sources {
			c := share(kindHits[k][i], n)
			t.Fields[src.Name][k.String()] = c
			if c >= novelBelow {
				novel = false
			}
		}
		if novel {
			t.NovelFields = append(t.NovelFields, k.String())
		}
	}
	switch {
	case ident < minIdentified:
		t.Verdict = VerdictInsufficient
	case t.Explained >= recycledAt:
		t.Verdict = VerdictRecycled
	case t.Explained <= newAt:
		t.Verdict = VerdictNew
	default:
		t.Verdict = VerdictMixed
	}
	t.FabricationSuspected = fabricationSuspected(world, s.Region, sample)
	if c := s.Claim; c != nil {
		tc := &TruthClaim{Schema: c.Schema, Consistent: true}
		if c.Claimed > 0 {
			v := c.Claimed
			tc.ClaimedRecords = &v
			if c.Population > 0 && c.Claimed > c.Population {
				tc.Consistent = false
			}
		}
		if c.Population > 0 && int64(len(sample)) > c.Population {
			tc.Consistent = false
		}
		for _, col := range columnsOf(s.Sample.DumpSpec) {
			k := col.Kind
			if k == canon.Other {
				continue
			}
			if k == canon.FirstName || k == canon.LastName || k == canon.MiddleName {
				k = canon.Name
			}
			present := false
			for _, rec := range sample {
				if rec.has(col.Kind) {
					present = true
					break
				}
			}
			if present && !slices.Contains(c.Holds, k) {
				tc.Consistent = false
			}
		}
		for _, k := range c.Checked {
			n, ok := checkDigitShare(world, s.Region, sample, k)
			if n > 0 && float64(ok) < formatConformsAt*float64(n) {
				tc.Consistent = false
			}
		}
		t.Claim = tc
	}
	return t
}

// fabricationSuspected reports whether the sample is fabricated beyond
// what real data shows: a check-digit kind (national ID, card) with at
// least 30 values is valid in under half of them, or at least a fifth of
// the 30 or more records that show a national ID or card are of people
// fabricated in a way the record shows (random check digits; an ID
// counted out by [Generator.SequentialIDs]; an ID of
// [Generator.MismatchedIDs] beside the birth date it contradicts).
func fabricationSuspected(world []Person, region canon.Region, sample []record) bool {
	for _, k := range []canon.Kind{canon.NationalID, canon.CardNumber} {
		n, ok := checkDigitShare(world, region, sample, k)
		if n >= minIdentified && float64(ok) < 0.5*float64(n) {
			return true
		}
	}
	shown, fabricated := 0, 0
	for _, rec := range sample {
		id, card := rec.has(canon.NationalID), rec.has(canon.CardNumber)
		if !id && !card {
			continue
		}
		shown++
		p := &world[rec.person]
		if p.Fabricated || id && (p.SequentialID || p.MismatchedID && rec.has(canon.BirthDate)) {
			fabricated++
		}
	}
	return shown >= minIdentified && 5*fabricated >= shown
}

// checkDigitShare counts the sample's values of k (NationalID or
// CardNumber) and those that pass their check.
func checkDigitShare(world []Person, region canon.Region, sample []record, k canon.Kind) (n, ok int) {
	for _, rec := range sample {
		if !rec.has(k) {
			continue
		}
		n++
		p := &world[rec.person]
		if k == canon.CardNumber && canon.ValidLuhn(p.Card) ||
			k == canon.NationalID && ValidNationalID(p.NationalID, region) {
			ok++
		}
	}
	return n, ok
}

// ValidNationalID reports whether id passes the check of region's national
// ID scheme (RNOKPP, INN, IIN, Aadhaar).
func ValidNationalID(id string, region canon.Region) bool {
	switch region {
	case canon.RU:
		return canon.ValidINN(id)
	case canon.KZ:
		return canon.ValidIIN(id)
	case canon.IN:
		return canon.ValidAadhaar(id)
	}
	return canon.ValidRNOKPP(id)
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// MarshalTruthRows returns t's rows as rows.csv holds them: a header, then
// per sample record its 1-based row number, its status as score --rows
// writes it (matched, unmatched or unidentified) and the ;-joined sources
// it matches, on one identifier and on two together.
func MarshalTruthRows(t Truth) []byte {
	var b bytes.Buffer
	b.WriteString("row,status,sources,joint_sources\n")
	for i, r := range t.Rows {
		status := "unidentified"
		switch {
		case r.Identified && len(r.Sources) > 0:
			status = "matched"
		case r.Identified:
			status = "unmatched"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s\n", i+1, status, strings.Join(r.Sources, ";"), strings.Join(r.Joint, ";"))
	}
	return b.Bytes()
}

// MarshalTruth returns t as indented JSON, as truth.json holds it.
func MarshalTruth(t Truth) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("synth: truth: %w", err)
	}
	return b.Bytes(), nil
}
