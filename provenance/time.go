package provenance

import (
	"fmt"
	"sort"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// dateStats keeps the sample's birth dates as a histogram (bounded by the
// number of distinct days, not the sample's size), keyed by the date's
// digits, yyyymmdd, or yyyy for a year alone.
type dateStats struct {
	days map[uint32]int
}

func (d *dateStats) add(rec []fingerprint.Hashed) {
	for _, h := range rec {
		if h.Kind == canon.BirthDate && h.Status == canon.Valid {
			if d.days == nil {
				d.days = map[uint32]int{}
			}
			d.days[dateKey(h.Form)]++
		}
	}
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
