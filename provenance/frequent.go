package provenance

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// Frequent values. A placeholder written where a value is missing
// (0000000000, noemail@mail.ru) or a value many people share (a company's
// switchboard) identifies nobody: two records holding it are no more the
// same person than any two records. A value is frequent in the sample when
// at least frequentAt(n) of its n distinct records hold it, or when at
// least frequentRowsAt(m) of its m identified rows do (rows that hold
// nothing else are all duplicates of one record, so a placeholder written
// in 40% of the rows would be one record); it is then left out of the
// matching (records, joint, explained, the fields' containment and the
// chance sums), and the report counts it (sample.frequent_values, the
// value itself only with Options.ShowValues). A record left with no other
// identifier is not identified.

// minFrequent is the fewest records a frequent value is held by: fewer
// could be a family's shared phone, and their effect on any share is small.
const minFrequent = 10

// frequentAt is how many of n distinct records must hold a value for it to
// be frequent: one in a thousand, and at least minFrequent. A value below
// it moves a share by at most 0.1%.
func frequentAt(n int) int {
	return max(minFrequent, int(math.Ceil(float64(n)/1000)))
}

// sourceFrequentAt is how many of a source's records must hold a value of
// field f for it to be frequent there: frequentAt of the source's records,
// but no fewer than 8 times what the other values add to a counter of its
// sketch, so that a count the others made is never taken for one value's;
// ok is false when f has no sketch or the sketch cannot tell (the source
// holds too many values for its counters).
func sourceFrequentAt(records uint64, f *fingerprint.FieldSketch) (at uint64, ok bool) {
	if f.Frequent == nil {
		return 0, false
	}
	at = max(uint64(frequentAt(int(min(records, math.MaxInt32)))), uint64(math.Ceil(8*f.Frequent.Background(f.Valid+f.CheckFailed))))
	return at, at <= fingerprint.FrequentMax
}

// frequentRowsAt is how many of m rows must hold a value, however many
// distinct records they are, for it to be frequent: one in a hundred, and
// at least 100 (a person listed 20 times is a duplicate, not a
// placeholder).
func frequentRowsAt(m int) int {
	return max(100, int(math.Ceil(float64(m)/100)))
}

// countMin is a Count-Min sketch of the hashes of a worker's identified
// rows: counts never below the true ones, merged by adding, the same
// whatever the order. It picks the candidates that are then counted
// exactly, so how often it overcounts changes how many candidates are
// counted, never which values are frequent.
//
// It is blocked: a hash's cmDepth counters are in one cache line of
// cmPerLine counters (the line picked by the hash's top bits, each counter
// by cmSlotBits further bits of the hash times a salt), so that adding a
// hash touches one line of memory, not cmDepth. Its estimate is still the
// least of counters that every occurrence of the hash incremented, so it
// is never below the true count. Counters may coincide (two picks of one
// slot): their minimum is then over fewer counters, larger but still an
// upper bound.
type countMin struct {
	c [cmLines][cmPerLine]uint32
}

const (
	cmDepth    = 4
	cmPerLine  = 16 // uint32 counters in a 64-byte line
	cmSlotBits = 4  // log2(cmPerLine)
	cmLineBits = 12 // 256 KiB in all, as many counters as 4 rows of 16 Ki: the sketch stays in cache
	cmLines    = 1 << cmLineBits
)

// cmSalts spread a hash over the slots of its line (odd multipliers).
var cmSalts = [cmDepth]uint64{0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9, 0xd6e8feb86659fd93}

// line returns the counters of h's line.
func (m *countMin) line(h uint64) *[cmPerLine]uint32 { return &m.c[h>>(64-cmLineBits)] }

// slot returns the slot of h's i-th counter in its line. The top bits of
// the product mix all of h's bits, not only those that picked the line.
func slot(h uint64, i int) uint64 { return (h * cmSalts[i]) >> (64 - cmSlotBits) }

func (m *countMin) add(h uint64) {
	l := m.line(h)
	for i := range cmDepth {
		l[slot(h, i)]++
	}
}

func (m *countMin) estimate(h uint64) uint32 {
	l := m.line(h)
	e := uint32(math.MaxUint32)
	for i := range cmDepth {
		e = min(e, l[slot(h, i)])
	}
	return e
}

func (m *countMin) merge(o *countMin) {
	for i := range m.c {
		for j, v := range o.c[i] {
			m.c[i][j] += v
		}
	}
}

// held is every record a worker read, its identifiers and what it was
// when read, kept until the frequent values are known.
type held struct {
	hashes []uint64
	kinds  []canon.Kind
	ends   []int32     // per record: the end of its identifiers
	state  []heldState // per record
	keys   []uint64    // per record: recordKey of its identifiers (0 for none)
}

type heldState uint8

const (
	heldNone  heldState = iota // no identifier (kept with Options.Rows only)
	heldFirst                  // the first record with these identifiers
	heldDup                    // exactly the identifiers of an earlier record
)

func (h *held) add(st heldState, ids []fingerprint.Hashed) {
	for _, id := range ids {
		h.hashes = append(h.hashes, id.Hash)
		h.kinds = append(h.kinds, id.Kind)
	}
	h.ends = append(h.ends, int32(len(h.hashes)))
	h.state = append(h.state, st)
	var k uint64
	if len(ids) > 0 {
		k = recordKey(ids)
	}
	h.keys = append(h.keys, k)
}

// markDuplicates marks every held record that carries exactly the
// identifiers of an earlier one (in worker order, then read order) as a
// duplicate, and counts them in each worker's dups: the records' keys are
// sorted (by counting on their top bits, then by insertion, which keeps
// equal keys in order) and every key but the first of a run is a
// duplicate.
func markDuplicates(tallies []*scorer) {
	type ref struct {
		key uint64
		w   int32
		r   int32
	}
	const bits = 16
	counts := make([]int32, 1<<bits+1)
	for _, t := range tallies {
		for r, k := range t.held.keys {
			if t.held.state[r] != heldNone {
				counts[k>>(64-bits)+1]++
			}
		}
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	refs := make([]ref, counts[len(counts)-1])
	next := slices.Clone(counts[:len(counts)-1])
	for w, t := range tallies {
		for r, k := range t.held.keys {
			if t.held.state[r] != heldNone {
				b := k >> (64 - bits)
				refs[next[b]] = ref{k, int32(w), int32(r)}
				next[b]++
			}
		}
	}
	for b := range len(counts) - 1 {
		run := refs[counts[b]:counts[b+1]]
		if len(run) > 1 {
			slices.SortStableFunc(run, func(a, b ref) int { return cmp.Compare(a.key, b.key) })
		}
		for i := 1; i < len(run); i++ {
			if run[i].key == run[i-1].key {
				t := tallies[run[i].w]
				t.held.state[run[i].r] = heldDup
				t.dups++
			}
		}
	}
}

// frequentSet is the sample's frequent values: hash → kind and records,
// and the distinct records they were counted in.
type frequentSet struct {
	values   map[uint64]frequentValue
	distinct int
}

type frequentValue struct {
	kind    canon.Kind
	records int // distinct records holding it
	rows    int // identified rows holding it
}

// candidates counts, exactly, the worker's rows and distinct records
// holding each hash the sketch puts at or above at.
func (s *scorer) candidates(m *countMin, at int) map[uint64]frequentValue {
	out := map[uint64]frequentValue{}
	start := int32(0)
	for r, end := range s.held.ends {
		if st := s.held.state[r]; st != heldNone {
			for i := start; i < end; i++ {
				if h := s.held.hashes[i]; m.estimate(h) >= uint32(at) {
					v := out[h]
					v.kind, v.rows = s.held.kinds[i], v.rows+1
					if st == heldFirst {
						v.records++
					}
					out[h] = v
				}
			}
		}
		start = end
	}
	return out
}

// findFrequent marks the duplicates, then merges the workers' sketches
// and candidates into the sample's frequent values.
func findFrequent(tallies []*scorer) frequentSet {
	markDuplicates(tallies)
	distinct, rows := 0, 0
	m := &countMin{}
	for _, t := range tallies {
		distinct += t.identRows - t.dups
		rows += t.identRows
		m.merge(t.freq)
	}
	at, atRows := frequentAt(distinct), frequentRowsAt(rows)
	f := frequentSet{values: map[uint64]frequentValue{}, distinct: distinct}
	for _, t := range tallies {
		for h, v := range t.candidates(m, min(at, atRows)) {
			w := f.values[h]
			w.kind, w.records, w.rows = v.kind, w.records+v.records, w.rows+v.rows
			f.values[h] = w
		}
	}
	for h, v := range f.values {
		if v.records < at && v.rows < atRows {
			delete(f.values, h)
		}
	}
	return f
}

// report lists the frequent values, most held first (at most
// maxFrequentListed), with their shares of the sample's distinct records.
func (f frequentSet) report() []FrequentValue {
	out := make([]FrequentValue, 0, len(f.values))
	for h, v := range f.values {
		out = append(out, FrequentValue{Kind: v.kind, Records: v.records, Share: round4(float64(v.records) / float64(max(f.distinct, 1))), hash: h})
	}
	slices.SortFunc(out, func(a, b FrequentValue) int {
		return cmp.Or(cmp.Compare(b.Records, a.Records), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.hash, b.hash))
	})
	return out[:min(len(out), maxFrequentListed)]
}

// NameFrequentValues fills in the Value of each of the sample's frequent
// values (Report.Sample.FrequentValues) of a report Score or ScoreTallies
// made: recs is the sample read again (a *sampleset.Joined or
// *sampleset.Within of it, or a *sampleset.Set), h the hasher it was scored
// with (nil: unkeyed). Score does it itself with Options.ShowValues, when
// its records can be read again; a value the records no longer hold stays
// "". The values are the sample's own: a report with them must not be
// published.
func (r *Report) NameFrequentValues(ctx context.Context, recs sampleset.Records, h *fingerprint.Hasher) error {
	want := map[uint64]int{}
	for i, v := range r.Sample.FrequentValues {
		if v.Value == "" && v.hash != 0 {
			want[v.hash] = i
		}
	}
	if len(want) == 0 {
		return nil
	}
	if h == nil {
		var err error
		if h, err = fingerprint.NewHasher(nil); err != nil {
			return err
		}
	}
	cols, err := recs.Columns()
	if err != nil {
		return err
	}
	enc := fingerprint.NewEncoder(h, canon.Region(r.Sample.Region), cols)
	var hashed []fingerprint.Hashed
	for rec, err := range recs.All(ctx) {
		if err != nil {
			return err
		}
		hashed = enc.Encode(hashed[:0], rec)
		for _, v := range hashed {
			if i, ok := want[v.Hash]; ok && v.Kind.Strong() && v.Status.Hashable() && v.Kind == r.Sample.FrequentValues[i].Kind {
				r.Sample.FrequentValues[i].Value = string(v.Form)
				delete(want, v.Hash)
			}
		}
		if len(want) == 0 {
			break
		}
	}
	return nil
}

// maxFrequentListed bounds sample.frequent_values.
const maxFrequentListed = 20
