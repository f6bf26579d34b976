package provenance

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// conformance counts, per kind, the sample's values and those that conform
// to the accused system's format (pattern and check digits).
type conformance struct {
	values, ok [canon.KindCount]int
	dayDates   int
	dates      int
}

func (c *conformance) add(sc *Schema, patterns map[canon.Kind]*regexp.Regexp, rec []fingerprint.Hashed) {
	for _, h := range rec {
		if h.Kind == canon.NameBirthDate {
			continue
		}
		if h.Kind == canon.BirthDate && h.Status == canon.Valid {
			c.dates++
			if canon.DatePrecision(h.Form) == "day" {
				c.dayDates++
			}
		}
		hk := sc.Held(h.Kind)
		re := patterns[h.Kind]
		if hk == nil || (re == nil && hk.Check == "") {
			continue
		}
		c.values[h.Kind]++
		good := h.Status.Hashable()
		if re != nil && !re.Match(h.Form) {
			good = false
		}
		if hk.Check != "" && h.Status != canon.Valid {
			good = false
		}
		if good {
			c.ok[h.Kind]++
		}
	}
}

func (c *conformance) merge(d *conformance) {
	for k := range c.values {
		c.values[k] += d.values[k]
		c.ok[k] += d.ok[k]
	}
	c.dayDates += d.dayDates
	c.dates += d.dates
}

// formatConformsAt is the least share of conforming values for a kind to
// pass the format check.
const formatConformsAt = 0.90

// claimMinValues is the least number of values a format or precision check
// needs before it can fail: a handful of odd values proves nothing.
const claimMinValues = 10

// evaluateClaim runs the claim checks: kinds the system does not hold,
// precision beyond what it holds, format conformance, claimed volume
// against the population, and data that predates the system.
func evaluateClaim(sc *Schema, claimed int64, s *scorer, r *Report) *Claim {
	c := &Claim{Findings: []Finding{}, Consistent: true, Schema: sc.Name, System: sc.System, Launched: sc.Launched}
	add := func(f Finding) {
		c.Findings = append(c.Findings, f)
		c.Consistent = c.Consistent && f.Passed
	}
	// judged passes a check that has too few values to fail.
	judged := func(f Finding, n int) Finding {
		if !f.Passed && n < claimMinValues {
			f.Passed = true
			f.Detail += fmt.Sprintf(" (only %d values: too few to judge)", n)
		}
		return f
	}

	var notHeld []string
	seen := map[canon.Kind]bool{}
	for i, col := range r.Sample.Columns {
		k := col.Kind
		// A column counts when it has values of its kind, not just cells.
		if k == canon.Other || s.colVal[i] == 0 {
			continue
		}
		if k.IsNamePart() {
			k = canon.Name
		}
		if !seen[k] && sc.Held(k) == nil {
			notHeld = append(notHeld, k.String())
		}
		seen[k] = true
	}
	sort.Strings(notHeld)
	if len(notHeld) == 0 {
		add(Finding{Check: "fields-not-held", Passed: true, Detail: "every kind in the leak is one " + sc.System + " holds"})
	} else {
		add(Finding{Check: "fields-not-held", Passed: false, Detail: strings.Join(notHeld, ", ")})
	}

	if hk := sc.Held(canon.BirthDate); hk != nil && s.conf.dates > 0 {
		share := float64(s.conf.dayDates) / float64(s.conf.dates)
		f := Finding{Check: "precision", Passed: true,
			Detail: fmt.Sprintf("birth_date: %s of the sample's %d dates give the day; %s holds the day", pct(share), s.conf.dates, sc.System)}
		if hk.Precision == "year" {
			f.Passed = share < 0.5
			f.Detail = fmt.Sprintf("birth_date: %s holds the year of birth only; %s of the sample's %d dates give the day",
				sc.System, pct(share), s.conf.dates)
		}
		add(judged(f, s.conf.dates))
	}

	for _, hk := range sc.Holds {
		n := s.conf.values[hk.Kind]
		if n == 0 {
			continue
		}
		share := float64(s.conf.ok[hk.Kind]) / float64(n)
		rule := hk.Pattern
		if hk.Check != "" {
			rule = strings.TrimSpace(rule + " with " + hk.Check + " check digits")
		}
		add(judged(Finding{Check: "format", Passed: share >= formatConformsAt,
			Detail: fmt.Sprintf("%s: %s of %d values conform to %s", hk.Kind, pct(share), n, rule)}, n))
	}

	if sc.Population == 0 && claimed > 0 {
		add(Finding{Check: "volume", Passed: true,
			Detail: fmt.Sprintf("claimed %s records; %s's population is unknown, so the claim cannot be checked", thousands(claimed), sc.System)})
	}
	if sc.Population > 0 {
		if claimed > 0 {
			add(Finding{Check: "volume", Passed: claimed <= sc.Population,
				Detail: fmt.Sprintf("claimed %s records; %s holds at most %s", thousands(claimed), sc.System, thousands(sc.Population))})
		}
		total := int64(r.Sample.Records)
		if r.Sample.Sampling != nil {
			total = r.Sample.Sampling.Total
		}
		if total > sc.Population {
			add(Finding{Check: "volume", Passed: false,
				Detail: fmt.Sprintf("the leak has %s records; %s holds at most %s", thousands(total), sc.System, thousands(sc.Population))})
		}
	}

	// Time: how much of what known dumps explain was in a dump before the
	// system opened, weighed by records, not by the newest dump alone (a
	// small recent source beside a large old one).
	if sc.Launched != "" && r.Time.DatedRecords > 0 {
		iv, x := s.datedCover(s.sig).before(sc.Launched)
		c.BeforeLaunch = &iv
		if r.Verdict == Recycled {
			add(Finding{Check: "predates-launch", Passed: iv.Estimate <= 0.5, Detail: predatesDetail(sc, r, iv, x)})
		}
	}
	return c
}

// predatesDetail writes the predates-launch finding: the share of the
// explained records in dumps older than the system, of how many, and the
// horizon.
func predatesDetail(sc *Schema, r *Report, iv Interval, x int) string {
	system := sc.System
	if system == "" {
		system = sc.Name
	}
	return fmt.Sprintf("%s of the explained records (95%% CI %s; %s of %s) are in dumps taken before %s opened (%s); the newest dump that explains any of the leak is from %s",
		pct(iv.Estimate), ci(iv), thousands(int64(x)), thousands(int64(r.Time.DatedRecords)), system, sc.Launched, r.Time.Horizon)
}

func pct(x float64) string {
	p := x * 100
	switch {
	case p > 0 && p < 1:
		return fmt.Sprintf("%.1f%%", p)
	case p > 99 && p < 100:
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
