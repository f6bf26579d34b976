package synth

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// ErrSpec is returned (wrapped) for a scenario that cannot be built as
// specified.
var ErrSpec = errors.New("synth: bad scenario")

// Column is one column of a dump: what it holds and how it is spelt.
type Column struct {
	// Header is the column's name; "" uses [HeaderFor] with the dump's Lang.
	Header string
	// Kind is the field the column holds.
	Kind canon.Kind
	// Styles are the spellings used, one picked at random for each record
	// (list a style twice to weight it); none means the zero style.
	Styles []Style
	// Blank is the share of records whose cell is left empty.
	Blank float64
}

// DumpSpec describes one file of a scenario.
type DumpSpec struct {
	// Name names a source ("bank-2016"); unused for the sample.
	Name string
	// Snapshot is a source's snapshot date, YYYY-MM-DD.
	Snapshot string
	// File is the path of the file relative to the scenario's directory.
	File    string
	Format  Format
	Lang    Lang
	Columns []Column
}

// Draw takes a share of a population's records from source From.
type Draw struct {
	From  string
	Share float64
}

// SourceSpec is one old dump of a scenario: Size people, of whom the shares
// in Shared are taken from earlier sources and the rest are people no
// earlier source holds.
type SourceSpec struct {
	DumpSpec
	Size   int
	Shared []Draw
}

// SampleSpec is a scenario's leaked sample: Size records, the shares in
// Draws taken from the named sources' people, and the rest new people that
// no source holds.
type SampleSpec struct {
	DumpSpec
	Size  int
	Draws []Draw
	// NewFabricated makes the new people's national IDs and cards
	// fabricated (random check digits).
	NewFabricated bool
	// NewMismatched and NewSequential make the new people's national IDs
	// as [Generator.MismatchedIDs] and [Generator.SequentialIDs] do: valid
	// check digits, but the wrong birth date and sex, or counted.
	NewMismatched, NewSequential bool
}

// ClaimSpec is the claim a sample is tested against.
type ClaimSpec struct {
	// Schema names a built-in schema ("diia-driver-licence").
	Schema string
	// Holds lists the kinds the accused system holds (name parts count as
	// Name; Other is ignored).
	Holds []canon.Kind
	// Population is the most records the system can hold (0: unknown).
	Population int64
	// Claimed is the number of records the seller claims (0: none).
	Claimed int64
	// Checked lists the check-digit kinds (NationalID, CardNumber) whose
	// values the system validates: a sample in which under 90% of them pass
	// their check does not conform to the system's format.
	Checked []canon.Kind
}

// Scenario is a set of old dumps (sources) drawn from one world of people,
// and a leaked sample mixing them with new people, with known truth.
type Scenario struct {
	Name    string
	Region  canon.Region
	Seed    uint64
	Sources []SourceSpec
	Sample  SampleSpec
	Claim   *ClaimSpec
}

// File is one written file of a scenario.
type File struct {
	Path string
	Data []byte
}

// Result is a built scenario: its files (sources first, then the sample)
// and its truth.
type Result struct {
	Files []File
	Truth Truth
}

// record is one rendered row: whose it is and the kinds it shows.
type record struct {
	person int
	kinds  uint32 // bit k set when a cell of kind k is non-empty
}

func (r record) has(k canon.Kind) bool { return r.kinds&(1<<k) != 0 }

// strongKinds returns the strong kinds the record shows, NameBirthDate
// when it has a name (whole, or first and last) and a birth date.
func (r record) strongKinds() []canon.Kind {
	var out []canon.Kind
	for _, k := range canon.StrongKinds {
		if k == canon.NameBirthDate {
			name := r.has(canon.Name) || r.has(canon.FirstName) && r.has(canon.LastName)
			if name && r.has(canon.BirthDate) {
				out = append(out, k)
			}
			continue
		}
		if r.has(k) {
			out = append(out, k)
		}
	}
	return out
}

// Build generates the scenario: the same Scenario always gives the same
// bytes.
func (s *Scenario) Build() (*Result, error) {
	g := NewGenerator(s.Region, s.Seed)
	r := g.Rand()
	var world []Person
	fresh := func() int {
		world = append(world, g.Person())
		return len(world) - 1
	}
	members := map[string][]int{}
	res := &Result{}
	srcRecs := make([][]record, len(s.Sources))
	for i, src := range s.Sources {
		if src.Name == "" || members[src.Name] != nil {
			return nil, fmt.Errorf("%w: source %d has an empty or repeated name %q", ErrSpec, i, src.Name)
		}
		chosen := map[int]bool{}
		var m []int
		for _, d := range src.Shared {
			from, ok := members[d.From]
			if !ok {
				return nil, fmt.Errorf("%w: source %s shares with %q, not an earlier source", ErrSpec, src.Name, d.From)
			}
			n := count(d.Share, src.Size)
			picked, err := pickFrom(r, from, chosen, n)
			if err != nil {
				return nil, fmt.Errorf("%w: source %s: %w", ErrSpec, src.Name, err)
			}
			m = append(m, picked...)
		}
		if len(m) > src.Size {
			return nil, fmt.Errorf("%w: source %s shares more than its size", ErrSpec, src.Name)
		}
		for len(m) < src.Size {
			m = append(m, fresh())
		}
		r.Shuffle(len(m), func(a, b int) { m[a], m[b] = m[b], m[a] })
		members[src.Name] = m
		f, recs, err := render(g, world, m, src.DumpSpec)
		if err != nil {
			return nil, err
		}
		srcRecs[i] = recs
		res.Files = append(res.Files, f)
	}

	sm := s.Sample
	chosen := map[int]bool{}
	var m []int
	drawn := map[string]float64{}
	for _, d := range sm.Draws {
		from, ok := members[d.From]
		if !ok {
			return nil, fmt.Errorf("%w: sample draws from %q, not a source", ErrSpec, d.From)
		}
		n := count(d.Share, sm.Size)
		picked, err := pickFrom(r, from, chosen, n)
		if err != nil {
			return nil, fmt.Errorf("%w: sample: %w", ErrSpec, err)
		}
		m = append(m, picked...)
		drawn[d.From] += round4(float64(n) / float64(max(sm.Size, 1)))
	}
	if len(m) > sm.Size {
		return nil, fmt.Errorf("%w: sample draws more than its size", ErrSpec)
	}
	drawn["new"] = round4(float64(sm.Size-len(m)) / float64(max(sm.Size, 1)))
	g.Fabricated, g.MismatchedIDs, g.SequentialIDs = sm.NewFabricated, sm.NewMismatched, sm.NewSequential
	for len(m) < sm.Size {
		m = append(m, fresh())
	}
	g.Fabricated, g.MismatchedIDs, g.SequentialIDs = false, false, false
	r.Shuffle(len(m), func(a, b int) { m[a], m[b] = m[b], m[a] })
	f, sampleRecs, err := render(g, world, m, sm.DumpSpec)
	if err != nil {
		return nil, err
	}
	res.Files = append(res.Files, f)
	res.Truth = s.truth(world, srcRecs, sampleRecs)
	res.Truth.Drawn = drawn
	return res, nil
}

// count is the number of records a share of size makes, rounded to the
// nearest.
func count(share float64, size int) int { return int(math.Round(share * float64(size))) }

// pickFrom picks n people of from, not yet in chosen, at random; it marks
// them chosen.
func pickFrom(r interface{ Perm(int) []int }, from []int, chosen map[int]bool, n int) ([]int, error) {
	var out []int
	for _, i := range r.Perm(len(from)) {
		if len(out) == n {
			break
		}
		if p := from[i]; !chosen[p] {
			chosen[p] = true
			out = append(out, p)
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("wanted %d people, only %d are left", n, len(out))
	}
	return out, nil
}

// columnsOf returns the columns a dump actually writes: a combolist's
// first two.
func columnsOf(d DumpSpec) []Column {
	if d.Format.Layout == Combo && len(d.Columns) > 2 {
		return d.Columns[:2]
	}
	return d.Columns
}

// render writes the people m in the dump's columns and format.
func render(g *Generator, world []Person, m []int, d DumpSpec) (File, []record, error) {
	r := g.Rand()
	cols := columnsOf(d)
	if len(cols) == 0 {
		return File{}, nil, fmt.Errorf("%w: %s has no columns", ErrSpec, d.File)
	}
	if d.Format.Layout == Combo && len(cols) != 2 {
		return File{}, nil, fmt.Errorf("%w: combolist %s needs two columns", ErrSpec, d.File)
	}
	t := Table{Header: make([]string, len(cols))}
	for j, c := range cols {
		t.Header[j] = c.Header
		if c.Header == "" {
			t.Header[j] = HeaderFor(c.Kind, d.Lang)
		}
	}
	recs := make([]record, len(m))
	t.Rows = make([][]string, len(m))
	for i, p := range m {
		row := make([]string, len(cols))
		rec := record{person: p}
		for j, c := range cols {
			if c.Blank > 0 && r.Float64() < c.Blank {
				continue
			}
			var st Style
			if len(c.Styles) > 0 {
				st = c.Styles[r.IntN(len(c.Styles))]
			}
			row[j] = Render(r, &world[p], c.Kind, st)
			if row[j] != "" {
				rec.kinds |= 1 << c.Kind
			}
		}
		if d.Format.Layout == Combo && (row[0] == "" || row[1] == "") {
			rec.kinds = 0 // the line is left out
		}
		t.Rows[i], recs[i] = row, rec
	}
	b, err := Marshal(t, d.Format)
	if err != nil {
		return File{}, nil, fmt.Errorf("synth: %s: %w", d.File, err)
	}
	return File{Path: d.File, Data: b}, recs, nil
}

// WriteDir writes the result's files and truth.json under dir, creating
// directories as needed.
func (res *Result) WriteDir(dir string) error {
	tj, err := MarshalTruth(res.Truth)
	if err != nil {
		return err
	}
	files := append(slices.Clone(res.Files), File{Path: "truth.json", Data: tj})
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	return nil
}
