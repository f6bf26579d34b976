package provenance

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// Comparison is the dump-to-dump overlap of two signatures, per kind.
type Comparison struct {
	A     string    `json:"a"`
	B     string    `json:"b"`
	Kinds []Overlap `json:"kinds"`
}

// Overlap compares the values of one kind in two dumps, from their scaled
// MinHash sketches (restricted to the coarser of the two scales) and
// distinct counts. Intervals are (modified) Wilson intervals over the sketch counts.
type Overlap struct {
	Kind      canon.Kind `json:"kind"`
	DistinctA uint64     `json:"distinct_a"`
	DistinctB uint64     `json:"distinct_b"`
	// Jaccard is |A∩B| / |A∪B|; AInB is |A∩B| / |A|; BInA is |A∩B| / |B|.
	Jaccard Interval `json:"jaccard"`
	AInB    Interval `json:"a_in_b"`
	BInA    Interval `json:"b_in_a"`
	// Shared estimates |A∩B| in values.
	Shared uint64 `json:"shared"`
	// SketchA, SketchB and SketchShared are the sketch counts behind the
	// intervals.
	SketchA      int `json:"sketch_a"`
	SketchB      int `json:"sketch_b"`
	SketchShared int `json:"sketch_shared"`
}

// Compare measures the overlap of two dumps kind by kind. Jaccard suits two
// dumps; for a small sample against a big dump, whose Jaccard error grows
// with |dump|/|sample|, use Score's containment instead.
func Compare(a, b *fingerprint.Signature) (*Comparison, error) {
	if err := fingerprint.Compatible(&a.Meta, &b.Meta); err != nil {
		return nil, err
	}
	thr := min(fingerprint.MinHashThreshold(a.Meta.MinHashScale), fingerprint.MinHashThreshold(b.Meta.MinHashScale))
	c := &Comparison{A: a.Meta.Name, B: b.Meta.Name, Kinds: []Overlap{}}
	for _, fa := range a.Fields {
		fb := b.Field(fa.Kind)
		if fb == nil || fa.Kind == canon.Other || fa.Kind == canon.Password {
			continue
		}
		ha, hb := below(fa.MinHash, thr), below(fb.MinHash, thr)
		na, nb, shared := len(ha), len(hb), 0
		for i, j := 0, 0; i < len(ha) && j < len(hb); {
			switch {
			case ha[i] < hb[j]:
				i++
			case ha[i] > hb[j]:
				j++
			default:
				shared++
				i, j = i+1, j+1
			}
		}
		o := Overlap{Kind: fa.Kind, DistinctA: fa.DistinctCount(), DistinctB: fb.DistinctCount(),
			SketchA: na, SketchB: nb, SketchShared: shared,
			Jaccard: ModifiedWilson(shared, na+nb-shared).rounded(),
			AInB:    ModifiedWilson(shared, na).rounded(),
			BInA:    ModifiedWilson(shared, nb).rounded()}
		o.Shared = uint64(o.AInB.Estimate*float64(o.DistinctA) + 0.5)
		c.Kinds = append(c.Kinds, o)
	}
	return c, nil
}

// below returns the prefix of sorted hashes that are at most thr.
func below(hashes []uint64, thr uint64) []uint64 {
	n, _ := slices.BinarySearch(hashes, thr)
	if n < len(hashes) && hashes[n] == thr {
		n++
	}
	return hashes[:n]
}

// WriteText writes the comparison as a table for a terminal.
func (c *Comparison) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s vs %s\n", untrusted.Text(c.A), untrusted.Text(c.B))
	fmt.Fprintf(&b, "  %-16s %12s %12s %20s %20s %20s\n", "kind", "distinct A", "distinct B", "jaccard", "A in B", "B in A")
	for _, o := range c.Kinds {
		cell := func(iv Interval, n int) string {
			if n == 0 {
				return "n/a (sketch empty)"
			}
			return pct(iv.Estimate) + " [" + ci(iv) + "]"
		}
		fmt.Fprintf(&b, "  %-16s %12d %12d %20s %20s %20s\n", o.Kind, o.DistinctA, o.DistinctB,
			cell(o.Jaccard, o.SketchA+o.SketchB), cell(o.AInB, o.SketchA), cell(o.BInA, o.SketchB))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
