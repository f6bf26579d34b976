package provenance

import (
	"sort"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// dateStats keeps the sample's birth dates as a histogram (bounded by the
// number of distinct days, not the sample's size).
type dateStats struct {
	days map[string]int
}

func (d *dateStats) add(rec []fingerprint.Hashed) {
	for _, h := range rec {
		if h.Kind == canon.BirthDate && h.Status == canon.Valid {
			if d.days == nil {
				d.days = map[string]int{}
			}
			d.days[string(h.Form)]++
		}
	}
}

func (d *dateStats) evidence(cat *Catalog, sources []SourceResult) TimeEvidence {
	t := TimeEvidence{Newest: map[canon.Kind]string{}, Oldest: map[canon.Kind]string{}, Sources: []SourceFreshness{}}
	keys := make([]string, 0, len(d.days))
	for k := range d.days {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		t.Oldest[canon.BirthDate] = keys[0]
		t.Newest[canon.BirthDate] = keys[len(keys)-1]
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
				after += d.days[k]
			}
		}
		t.Sources = append(t.Sources, SourceFreshness{Name: sr.Name, Snapshot: sr.Snapshot, AfterSnapshot: after})
		if sr.Significant && sr.Snapshot > t.Horizon {
			t.Horizon = sr.Snapshot
		}
	}
	return t
}
