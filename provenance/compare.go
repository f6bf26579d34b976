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
	// intervals: AInB rests on SketchA values, BInA on SketchB, Jaccard on
	// their union (SketchA + SketchB - SketchShared).
	SketchA      int `json:"sketch_a"`
	SketchB      int `json:"sketch_b"`
	SketchShared int `json:"sketch_shared"`
	// TooFew is true when the smaller sketch holds fewer than 50 values:
	// the figures resting on it are too uncertain to compare the dumps by
	// (the text form says "too few to compare" in their place).
	TooFew bool `json:"too_few,omitempty"`
}

// minSketch is the fewest sketch values a figure of a Comparison may rest
// on; below it the text form says "too few to compare".
const minSketch = 50

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
			BInA:    ModifiedWilson(shared, nb).rounded(),
			TooFew:  min(na, nb) < minSketch}
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

// WriteText writes the comparison as a table for a terminal. Each figure
// is followed by the number of sketch values behind it; one resting on
// fewer than 50 is replaced by "too few to compare".
func (c *Comparison) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s vs %s\n", untrusted.Text(c.A), untrusted.Text(c.B))
	fmt.Fprintf(&b, "  (n: the sketch values behind a figure; below %d, too few to compare)\n", minSketch)
	row := func(cells ...any) {
		line := fmt.Sprintf("  %-16s %12v %12v  %-30s %-30s %s", cells...)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	row("kind", "distinct A", "distinct B", "jaccard", "A in B", "B in A")
	for _, o := range c.Kinds {
		row(o.Kind, o.DistinctA, o.DistinctB, compareCell(o.Jaccard, o.SketchA+o.SketchB-o.SketchShared),
			compareCell(o.AInB, o.SketchA), compareCell(o.BInA, o.SketchB))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// compareCell writes a figure of a comparison resting on n sketch values.
func compareCell(iv Interval, n int) string {
	switch {
	case n == 0:
		return "n/a (sketch empty)"
	case n < minSketch:
		return fmt.Sprintf("too few to compare (n=%d)", n)
	}
	return fmt.Sprintf("%s [%s] n=%d", pct(iv.Estimate), ci(iv), n)
}
