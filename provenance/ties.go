package provenance

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// tieJaccard is the least Jaccard similarity of two significant sources'
// matched record sets at which the sample cannot tell them apart: a tie.
// The same dump indexed under two names gives 1; a re-release that adds
// or drops a few people gives nearly 1. Sources that merely share people
// (the bundled scenarios' 25–50% of one dump in another) come out far
// below. Before the ratio is taken, the false and chance matches each
// source is expected to give outside the other's set are allowed for: of
// a source's expected_by_chance λ over the n identified records, the
// share λ·(n − |other|)/n falls outside the other set, and up to μ + 3√μ
// records of the symmetric difference (μ the sum of both sides; a
// one-sided Poisson bound of about 99.9%) are not counted against the
// tie, so that Bloom false positives, which land at random, cannot break
// one. At 0.95 a tie survives a 5% difference the filters
// cannot account for: the sampling error of the similarity of two sets of
// a few hundred matched records, and no more.
const tieJaccard = 0.95

// nestedAt is the least share of a source's matched records that another
// source, matching more records, also matches for the first to be
// reported nested in it (false and chance matches allowed for as for
// ties). The greedy cover then gives the nested source little or nothing
// of its own, and the report says why.
const nestedAt = 0.95

// overlaps counts, for every pair of significant sources, the identified
// records that both match.
type overlaps struct {
	pos  []int // per source: its position among the significant ones, or -1
	srcs []int // per position: the source
	// both[a][b], a ≤ b: records matching the sources at positions a and
	// b; both[a][a] those matching a.
	both [][]int
	// lambda per position: the false and chance matches the source is
	// expected to give over the n identified records.
	lambda []float64
	n      int
}

// overlaps counts the pairwise intersections of the significant sources'
// matched record sets: for each identified record, every pair of the
// significant sources it matches.
func (s *scorer) overlaps(sig []bool) *overlaps {
	o := &overlaps{pos: make([]int, s.nsrc), n: s.ident}
	for si := range o.pos {
		o.pos[si] = -1
		if sig[si] {
			o.pos[si] = len(o.srcs)
			o.srcs = append(o.srcs, si)
			o.lambda = append(o.lambda, s.chanceR[si].float())
		}
	}
	k := len(o.srcs)
	o.both = make([][]int, k)
	for a := range o.both {
		o.both[a] = make([]int, k)
	}
	var hit []int
	for row := 0; s.words > 0 && row+s.words <= len(s.matched); row += s.words {
		hit = hit[:0]
		for w := 0; w < s.words; w++ {
			for m := s.matched[row+w]; m != 0; m &= m - 1 {
				if p := o.pos[w*64+bits.TrailingZeros64(m)]; p >= 0 {
					hit = append(hit, p)
				}
			}
		}
		// Positions follow the sources' order, so hit is ascending.
		for i, a := range hit {
			for _, b := range hit[i:] {
				o.both[a][b]++
			}
		}
	}
	return o
}

// slack is how many records false and chance matches, λ expected, may
// add beyond the other set: λ + 3√λ.
func slack(lambda float64) float64 { return lambda + 3*math.Sqrt(max(lambda, 0)) }

// outside is how many of the false and chance matches of the source at
// position a are expected outside a set of m of the n records.
func (o *overlaps) outside(a, m int) float64 {
	if o.n <= 0 {
		return 0
	}
	return o.lambda[a] * float64(max(o.n-m, 0)) / float64(o.n)
}

// jaccard returns the Jaccard similarity of the matched sets of the
// sources at positions a and b, not counting the records of their
// symmetric difference that false and chance matches may explain.
func (o *overlaps) jaccard(a, b int) float64 {
	if a > b {
		a, b = b, a
	}
	na, nb, both := o.both[a][a], o.both[b][b], o.both[a][b]
	union := na + nb - both
	if union <= 0 {
		return 0
	}
	d := max(0, float64(union-both)-slack(o.outside(a, nb)+o.outside(b, na)))
	return 1 - d/float64(union)
}

// contained returns the share of the records matching the source at
// position a that the source at b also matches, not counting the records
// of a's own that false and chance matches may explain.
func (o *overlaps) contained(a, b int) float64 {
	na, nb := o.both[a][a], o.both[b][b]
	if na <= 0 {
		return 0
	}
	both := o.both[min(a, b)][max(a, b)]
	d := max(0, float64(na-both)-slack(o.outside(a, nb)))
	return 1 - d/float64(na)
}

// tieGroups joins the significant sources into tie groups: two sources
// whose Jaccard similarity reaches tieJaccard are in one group, and so
// are the sources connected by such pairs. It returns, per source, a
// group number from 1 (0 for a source in no tie), in the order of each
// group's first source.
func (o *overlaps) tieGroups(nsrc int) []int {
	k := len(o.srcs)
	parent := make([]int, k)
	for a := range parent {
		parent[a] = a
	}
	var find func(int) int
	find = func(a int) int {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			if o.jaccard(a, b) >= tieJaccard {
				if ra, rb := find(a), find(b); ra != rb {
					parent[max(ra, rb)] = min(ra, rb)
				}
			}
		}
	}
	size := make([]int, k)
	for a := range parent {
		size[find(a)]++
	}
	group := make([]int, nsrc)
	number := map[int]int{}
	for a, si := range o.srcs {
		r := find(a)
		if size[r] < 2 {
			continue
		}
		if number[r] == 0 {
			number[r] = len(number) + 1
		}
		group[si] = number[r]
	}
	return group
}

// nested returns, per source, the sources it is nested in: significant
// sources in no tie group with it that match more records (or as many,
// and come first in the catalog, so that the greedy cover picks them
// first) and at least nestedAt of its own.
func (o *overlaps) nested(nsrc int, group []int) [][]int {
	out := make([][]int, nsrc)
	for a, sa := range o.srcs {
		for b, sb := range o.srcs {
			if a == b || group[sa] != 0 && group[sa] == group[sb] {
				continue
			}
			na, nb := o.both[a][a], o.both[b][b]
			if (na < nb || na == nb && sb < sa) && o.contained(a, b) >= nestedAt {
				out[sa] = append(out[sa], sb)
			}
		}
	}
	return out
}

// tieSentences writes the evidence of tie groups and nested sources.
func tieSentences(r *Report) []string {
	var out []string
	for g, names := range r.Ties {
		var excl Interval
		for _, s := range r.Sources {
			if s.TieGroup == g+1 {
				excl = s.Exclusive
				break
			}
		}
		out = append(out, fmt.Sprintf("%s match the same records of the sample (their matched sets agree to at least %s, allowing for filter false positives): the overlap cannot tell which of them the data came from, so the %s (95%% CI %s) they explain alone is reported for the group, on each of them, not for whichever comes first.",
			andList(names), pct(tieJaccard), pct(excl.Estimate), ci(excl)))
	}
	for _, s := range r.Sources {
		if len(s.NestedIn) == 0 {
			continue
		}
		larger := s.NestedIn[0] + ", which matches more records"
		if len(s.NestedIn) > 1 {
			larger = "each of " + andList(s.NestedIn) + ", which match more records"
		}
		out = append(out, fmt.Sprintf("%s is nested in %s: at least %s of the records matching it also match %s, so it explains only %s (95%% CI %s) alone; that is no evidence against it as a source of those records.",
			s.Name, andList(s.NestedIn), pct(nestedAt), larger, pct(s.Exclusive.Estimate), ci(s.Exclusive)))
	}
	return out
}

// andList joins names as "a, b and c".
func andList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// tieMark marks a tie group's member in the reports' source tables.
func tieMark(s SourceResult) string {
	if s.TieGroup == 0 {
		return ""
	}
	return fmt.Sprintf(" [tie %d]", s.TieGroup)
}

// tieNote says under a source's row what its tie group or its nesting
// means, or "" when neither applies.
func tieNote(r *Report, s SourceResult) string {
	var parts []string
	if g := s.TieGroup; g > 0 && g <= len(r.Ties) {
		var others []string
		for _, name := range r.Ties[g-1] {
			if name != s.Name {
				others = append(others, name)
			}
		}
		parts = append(parts, fmt.Sprintf("tie %d: matches the same records as %s; the exclusive share is the group's", g, andList(others)))
	}
	if len(s.NestedIn) > 0 {
		also := s.NestedIn[0]
		if len(s.NestedIn) > 1 {
			also = "each of them"
		}
		parts = append(parts, "nested in "+andList(s.NestedIn)+": nearly all the records matching it match "+also+" too")
	}
	return strings.Join(parts, "; ")
}
