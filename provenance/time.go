package provenance

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// dateStats keeps the sample's birth dates as a histogram (bounded by the
// number of distinct days, not the sample's size), keyed by the date's
// digits, yyyymmdd, or yyyy for a year alone.
type dateStats struct {
	days map[uint32]int
	// dense counts the full dates of 1850–2049 as they are added, a slot
	// a day (denseSlot), until flush moves them into days: an increment
	// instead of a map update a record.
	dense []int32
}

// The dense slots: 31 a month, 372 a year, from denseFrom for denseYears.
const (
	denseFrom  = 1850
	denseYears = 200
)

// denseSlot is the slot of a dateKey, if it is a full date of those years.
func denseSlot(k uint32) (int, bool) {
	y, md := int(k/10000), k%10000
	if y < denseFrom || y >= denseFrom+denseYears {
		return 0, false
	}
	return (y-denseFrom)*372 + int(md/100-1)*31 + int(md%100-1), true
}

func (d *dateStats) add(rec []fingerprint.Hashed) {
	for _, h := range rec {
		if h.Kind == canon.BirthDate && h.Status == canon.Valid {
			k := dateKey(h.Form)
			if i, ok := denseSlot(k); ok {
				if d.dense == nil {
					d.dense = make([]int32, denseYears*372)
				}
				if d.dense[i]++; d.dense[i] == math.MaxInt32 {
					d.flushSlot(i, math.MaxInt32)
					d.dense[i] = 0
				}
				continue
			}
			if d.days == nil {
				d.days = map[uint32]int{}
			}
			d.days[k]++
		}
	}
}

// flushSlot adds n dates of dense slot i to days.
func (d *dateStats) flushSlot(i int, n int) {
	if d.days == nil {
		d.days = map[uint32]int{}
	}
	y, m, day := denseFrom+i/372, i%372/31+1, i%31+1
	d.days[uint32(y*10000+m*100+day)] += n
}

// flush moves the dense counts into days.
func (d *dateStats) flush() {
	for i, n := range d.dense {
		if n > 0 {
			d.flushSlot(i, int(n))
		}
	}
	d.dense = nil
}

// dateKey packs a canonical date, YYYY-MM-DD or YYYY, into its digits.
func dateKey(iso []byte) uint32 {
	var k uint32
	for _, c := range iso {
		if c != '-' {
			k = 10*k + uint32(c-'0')
		}
	}
	return k
}

// dateOfKey is the canonical date of a dateKey.
func dateOfKey(k uint32) string {
	if k < 10000 {
		return fmt.Sprintf("%04d", k)
	}
	return fmt.Sprintf("%04d-%02d-%02d", k/10000, k/100%100, k%100)
}

func (d *dateStats) merge(e *dateStats) {
	d.flush()
	e.flush()
	for day, n := range e.days {
		if d.days == nil {
			d.days = map[uint32]int{}
		}
		d.days[day] += n
	}
}

// evidence compares the sample's dates with the sources' snapshots. The
// extreme dates it reports keep the month only (YYYY-MM) unless
// showValues; the counts after each snapshot use the full dates.
func (d *dateStats) evidence(cat *Catalog, sources []SourceResult, showValues bool) TimeEvidence {
	t := TimeEvidence{Newest: map[canon.Kind]string{}, Oldest: map[canon.Kind]string{}, Sources: []SourceFreshness{}}
	keys := make([]string, 0, len(d.days))
	counts := make(map[string]int, len(d.days))
	for k, n := range d.days {
		day := dateOfKey(k)
		keys = append(keys, day)
		counts[day] = n
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		month := func(date string) string {
			if showValues {
				return date
			}
			return date[:min(len(date), len("YYYY-MM"))]
		}
		t.Oldest[canon.BirthDate] = month(keys[0])
		t.Newest[canon.BirthDate] = month(keys[len(keys)-1])
	}
	for _, sr := range sources {
		if sr.Snapshot == "" {
			continue
		}
		after := 0
		for _, k := range keys {
			// A year-only date "1999" sorts before any "1999-..." day; compare
			// it with the snapshot's year.
			if k > sr.Snapshot && !(len(k) == 4 && k == sr.Snapshot[:4]) {
				after += counts[k]
			}
		}
		t.Sources = append(t.Sources, SourceFreshness{Name: sr.Name, Snapshot: sr.Snapshot, AfterSnapshot: after})
		if sr.Significant && sr.Snapshot > t.Horizon {
			t.Horizon = sr.Snapshot
		}
	}
	return t
}

// datedCover dates the explained records: for each, the snapshot of the
// oldest significant source that matches it. It weighs the time evidence
// by records, where the horizon alone takes the newest source, however
// little it explains.
type datedCover struct {
	n     int      // identified records
	dates []string // the significant sources' distinct snapshots, oldest first
	// first counts, per date, the records whose oldest matching dated
	// significant source has that date.
	first []int
	// lambda is, per date, the false or chance matches expected of the
	// records matching a significant source of that date or earlier.
	lambda []float64
	dated  int // records matching a dated significant source
}

func (s *scorer) datedCover(sig []bool) *datedCover {
	d := &datedCover{n: s.ident}
	for si, src := range s.cat.Sources {
		if sig[si] && src.Meta.Snapshot != "" {
			d.dates = append(d.dates, src.Meta.Snapshot)
		}
	}
	slices.Sort(d.dates)
	d.dates = slices.Compact(d.dates)
	at := make([]int, s.nsrc) // per source: the index of its date, or -1
	none := make([]float64, len(d.dates))
	for i := range none {
		none[i] = 1
	}
	for si, src := range s.cat.Sources {
		at[si] = -1
		if sig[si] && src.Meta.Snapshot != "" {
			at[si], _ = slices.BinarySearch(d.dates, src.Meta.Snapshot)
			if s.ident > 0 {
				none[at[si]] *= 1 - min(1, s.chanceR[si].float()/float64(s.ident))
			}
		}
	}
	d.lambda = make([]float64, len(d.dates))
	p := 1.0
	for i := range d.dates {
		p *= none[i]
		d.lambda[i] = float64(s.ident) * (1 - p)
	}
	d.first = make([]int, len(d.dates))
	for row := 0; s.words > 0 && row+s.words <= len(s.matched); row += s.words {
		oldest := -1
		for w := 0; w < s.words; w++ {
			for m := s.matched[row+w]; m != 0; m &= m - 1 {
				if a := at[w*64+bits.TrailingZeros64(m)]; a >= 0 && (oldest < 0 || a < oldest) {
					oldest = a
				}
			}
		}
		if oldest >= 0 {
			d.first[oldest]++
			d.dated++
		}
	}
	return d
}

// upTo returns the share of the dated explained records that a
// significant source of d.dates[i] or earlier matches (none for i < 0),
// and their count. Both the part and the whole are corrected for chance
// as the explained share is, (h − f)/(1 − f) with f the expected false
// and chance matches over the identified records; the interval is the
// Wilson interval of the part among the dated explained records, mapped
// through the same correction.
func (d *datedCover) upTo(i int) (Interval, int) {
	x, lx := 0, 0.0
	for j := 0; j <= i && j < len(d.first); j++ {
		x += d.first[j]
	}
	if i >= 0 && i < len(d.lambda) {
		lx = d.lambda[i]
	}
	if d.dated == 0 || d.n == 0 {
		return Interval{0, 0, 1}, x
	}
	if i >= len(d.dates)-1 {
		return Interval{1, 1, 1}, x // every dated record, by definition
	}
	corrected := func(count, lambda float64) float64 {
		f := lambda / float64(d.n)
		if f >= 1 {
			return 0
		}
		return (count/float64(d.n) - f) / (1 - f)
	}
	whole := corrected(float64(d.dated), d.lambda[len(d.lambda)-1])
	if whole <= 0 {
		return Interval{0, 0, 1}, x
	}
	part := func(p float64) float64 { return clamp01(corrected(p*float64(d.dated), lx) / whole) }
	w := ModifiedWilson(x, d.dated)
	return Interval{part(w.Estimate), part(w.Low), part(w.High)}.rounded(), x
}

// steps returns the cumulative shares of BySnapshot and their
// denominator.
func (d *datedCover) steps() ([]SnapshotShare, int) {
	out := []SnapshotShare{}
	for i, date := range d.dates {
		iv, x := d.upTo(i)
		out = append(out, SnapshotShare{Snapshot: date, Share: iv, Records: x})
	}
	return out, d.dated
}

// before returns the share of the dated explained records that a
// significant source whose snapshot predates date matches.
func (d *datedCover) before(date string) (Interval, int) {
	i, _ := slices.BinarySearch(d.dates, date)
	return d.upTo(i - 1)
}
