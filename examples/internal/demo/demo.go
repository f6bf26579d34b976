// Package demo holds what the example programs share: synthetic people,
// dumps rendered from them, and the index-then-score round trip through
// the library, as an incident-response tool would run it.
package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/fingerprint/index"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/sampleset"
)

// Column is one column of a dump: a kind rendered in a style.
type Column struct {
	Kind  canon.Kind
	Style synth.Style
}

// Dump renders people as CSV with headers in lang.
func Dump(people []synth.Person, lang synth.Lang, cols ...Column) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = synth.HeaderFor(c.Kind, lang)
	}
	w.Write(head)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range people {
		row := make([]string, len(cols))
		for j, c := range cols {
			row[j] = synth.Render(r, &people[i], c.Kind, c.Style)
		}
		w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// Index builds the signature of one source dump.
func Index(name, snapshot string, region canon.Region, dump []byte) (*fingerprint.Signature, error) {
	return index.Build(context.Background(), index.Options{Name: name, Snapshot: snapshot, Region: region},
		index.Reader(name, bytes.NewReader(dump)))
}

// Source is one known dump of a case.
type Source struct {
	Name, Snapshot string
	Dump           []byte
}

// Case scores a leak against known dumps and a claim about a system, and
// prints the report.
func Case(w io.Writer, region canon.Region, sources []Source, leak []byte, schema string, claimed int64) (*provenance.Report, error) {
	cat := &provenance.Catalog{}
	for _, s := range sources {
		sig, err := Index(s.Name, s.Snapshot, region, s.Dump)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		if err := cat.Add(sig, ""); err != nil {
			return nil, err
		}
	}
	o := provenance.Options{Region: region, SamplePath: "leak.csv", ClaimedRecords: claimed}
	if schema != "" {
		sc, err := provenance.LoadSchema(schema)
		if err != nil {
			return nil, err
		}
		o.Schema = sc
	}
	r := sampleset.NewReader(bytes.NewReader(leak))
	r.Name, r.Region = "leak.csv", region
	rep, err := provenance.Score(context.Background(), cat, r, o)
	if err != nil {
		return nil, err
	}
	return rep, rep.Render(w, "text")
}

// Main runs an example's case, printing its report on stdout; it exits 1
// on error, with the error on stderr prefixed by the example's name.
func Main(name string, run func(io.Writer) (*provenance.Report, error)) {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// Check reports how a case's report differs from what the case shows: its
// verdict, and exactly which claim checks fail. Fabrication must not be
// suspected in any of the cases.
func Check(rep *provenance.Report, verdict provenance.Verdict, failing ...string) error {
	var failed []string
	if rep.Claim != nil {
		for _, f := range rep.Claim.Findings {
			if !f.Passed {
				failed = append(failed, f.Check)
			}
		}
	}
	slices.Sort(failed)
	failing = slices.Sorted(slices.Values(failing))
	switch {
	case rep.Verdict != verdict:
		return fmt.Errorf("verdict %s, want %s", rep.Verdict, verdict)
	case !slices.Equal(failed, failing):
		return fmt.Errorf("failed claim checks %v, want %v", failed, failing)
	case rep.Fabrication.Suspected:
		return fmt.Errorf("fabrication suspected")
	}
	return nil
}
