package provenance

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// evidence writes plain sentences, strongest first, that a duty officer can
// paste into a statement.
func evidence(r *Report) []string {
	var out []string
	n := r.Sample.Identified
	switch r.Verdict {
	case Insufficient:
		out = append(out, fmt.Sprintf("Insufficient data: only %d of %d records carry a strong identifier (phone, e-mail, national ID, passport, licence, or name with birth date); at least %d are needed for a verdict.",
			n, r.Sample.Records, r.Thresholds.MinIdentified))
	default:
		out = append(out, fmt.Sprintf("Verdict %s: %s of the %s identified records (95%% CI %s) match known dumps; %s are unexplained.",
			r.Verdict, pct(r.Explained.Estimate), thousands(int64(n)), ci(r.Explained), pct(r.Residual.Estimate)))
	}
	if r.Sample.Skipped > 0 {
		out = append(out, fmt.Sprintf("%s malformed records of the sample were skipped and not scored.", thousands(r.Sample.Skipped)))
	}
	if s := r.Sample.Sampling; s != nil {
		out = append(out, fmt.Sprintf("Scored a uniform sample of %s of %s records (seed %d); intervals reflect the sample size.",
			thousands(int64(s.Size)), thousands(s.Total), s.Seed))
	}
	if reg := r.Sample.Region; reg != "" && !slices.ContainsFunc(r.Sources, func(s SourceResult) bool { return s.Region == reg }) {
		out = append(out, fmt.Sprintf("The sample was read as region %s, but no source was indexed under %s: phone numbers and IDs written in national form may have been read differently on each side (check --region).", reg, reg))
	}
	var noise []string
	for _, s := range r.Sources {
		if !s.Significant {
			if s.Records.Estimate > 0 {
				noise = append(noise, fmt.Sprintf("%s (%s)", s.Name, pct(s.Records.Estimate)))
			}
			continue
		}
		var on, chance []string
		for _, k := range sortedKinds(s.Fields) {
			f := s.Fields[k]
			switch {
			case f.Held && f.AtChance && f.Hits > 0:
				chance = append(chance, fmt.Sprintf("%s (%s, chance %s)", k, pct(f.Estimate), pct(f.Chance)))
			case f.Held && f.Estimate >= 0.01:
				on = append(on, k.String())
			}
		}
		line := fmt.Sprintf("%s of records (95%% CI %s) match %s", pct(s.Records.Estimate), ci(s.Records), sourceName(s))
		if len(on) > 0 {
			line += " on " + strings.Join(on, ", ")
		}
		switch {
		case s.Joint.Estimate > 0:
			line += fmt.Sprintf("; %s match it record for record (two identifiers together)", pct(s.Joint.Estimate))
		case s.JointTestable > 0:
			line += "; none match it on two identifiers together, so the overlap is of single values, not of records"
		}
		if len(r.Sources) > 1 {
			line += fmt.Sprintf("; %s is explained by it alone after larger sources", pct(s.Exclusive.Estimate))
		}
		out = append(out, line+".")
		if len(chance) > 0 {
			out = append(out, fmt.Sprintf("Overlap with %s on %s is no higher than chance for a dump of that size: no evidence.",
				s.Name, strings.Join(chance, ", ")))
		}
	}
	if len(noise) > 0 {
		out = append(out, fmt.Sprintf("Matches with %s are no more than filter false positives and chance collisions would give: no evidence.",
			strings.Join(noise, ", ")))
	}
	if len(r.NovelFields) > 0 {
		out = append(out, fmt.Sprintf("No known dump explains the sample's %s (below %s in every source): that part is new, or from a dump not in the catalog.",
			kindList(r.NovelFields), pct(r.Thresholds.NovelBelow)))
	}
	if r.Claim != nil {
		for _, f := range r.Claim.Findings {
			if f.Passed {
				continue
			}
			switch f.Check {
			case "fields-not-held":
				out = append(out, fmt.Sprintf("The leak holds %s, which %s does not hold: that data did not come from it.", f.Detail, r.Claim.System))
			default:
				out = append(out, fmt.Sprintf("Claim check %s failed: %s.", f.Check, f.Detail))
			}
		}
		if sc := r.Claim.Launched; sc != "" && r.Time.Horizon != "" && r.Time.Horizon < sc && !hasFinding(*r.Claim, "predates-launch") {
			out = append(out, fmt.Sprintf("The part of the leak that known dumps explain dates from %s or earlier, before %s opened (%s).",
				r.Time.Horizon, r.Claim.System, sc))
		}
		if r.Claim.Consistent {
			out = append(out, fmt.Sprintf("The leak is consistent with what %s holds (%d checks passed); this does not show it came from there.",
				r.Claim.System, len(r.Claim.Findings)))
		}
	}
	for _, c := range r.Fabrication.Checks {
		if c.Check != "check-digit" && c.Check != "embedded-birth-date" {
			continue
		}
		what := "check digits of " + c.Kind.String() + " are valid"
		if c.Check == "embedded-birth-date" {
			what = "the birth date embedded in the national ID agrees with the birth-date column"
		}
		switch {
		case c.Values >= fabricationMinValues && c.Valid < 0.5 && c.Check == "check-digit":
			out = append(out, fmt.Sprintf("Fabrication suspected: %s in only %s of %s values; real registry data always passes.", what, pct(c.Valid), thousands(int64(c.Values))))
		case c.Values >= fabricationMinValues && c.Valid < 0.5:
			out = append(out, fmt.Sprintf("Inconsistent records: %s in only %s of %s values; in real registry data they agree.", what, pct(c.Valid), thousands(int64(c.Values))))
		default:
			out = append(out, fmt.Sprintf("%s in %s of %s values.", capitalise(what), pct(c.Valid), thousands(int64(c.Values))))
		}
	}
	if r.Time.Horizon != "" {
		out = append(out, fmt.Sprintf("Freshness horizon: the newest known dump that explains the leak is from %s; the recycled part is no fresher than that.", r.Time.Horizon))
	}
	for _, s := range r.Time.Sources {
		if s.AfterSnapshot > 0 {
			out = append(out, fmt.Sprintf("%s birth dates in the sample are later than %s's snapshot (%s): those records cannot have come from it.", thousands(int64(s.AfterSnapshot)), s.Name, s.Snapshot))
		}
	}
	return out
}

func sourceName(s SourceResult) string {
	if s.Snapshot != "" {
		return fmt.Sprintf("%s (snapshot %s)", s.Name, s.Snapshot)
	}
	return s.Name
}

func ci(iv Interval) string { return pct(iv.Low) + "–" + pct(iv.High) }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sortedKinds returns the kinds of m in the order of their names.
func sortedKinds[V any](m map[canon.Kind]V) []canon.Kind {
	keys := make([]canon.Kind, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	return keys
}

// kindList joins the names of ks with commas.
func kindList(ks []canon.Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}

func hasFinding(c Claim, check string) bool {
	for _, f := range c.Findings {
		if f.Check == check {
			return true
		}
	}
	return false
}
