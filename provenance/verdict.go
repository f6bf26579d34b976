package provenance

import (
	"fmt"
	"slices"
	"strings"
)

// verdictOf is the verdict of an explained share, for a sample with
// enough identified records.
func (t Thresholds) verdictOf(explained float64) Verdict {
	switch {
	case explained >= t.RecycledAt:
		return Recycled
	case explained <= t.NewAt:
		return New
	}
	return Mixed
}

// VerdictsWithin returns the verdicts that explained shares within iv
// (from iv.Low to iv.High) would give, in the order new, mixed, recycled:
// one verdict when an interval lies between two thresholds, two or three
// when it straddles RecycledAt, NewAt or both. It does not consider
// MinIdentified.
func (t Thresholds) VerdictsWithin(iv Interval) []Verdict {
	lo, hi := min(iv.Low, iv.Estimate), max(iv.High, iv.Estimate)
	var out []Verdict
	if lo <= t.NewAt {
		out = append(out, New)
	}
	if hi > t.NewAt && lo < t.RecycledAt {
		out = append(out, Mixed)
	}
	if hi >= t.RecycledAt {
		out = append(out, Recycled)
	}
	return out
}

// uncertainty returns the evidence sentence for a verdict whose interval
// straddles a threshold, or "" when the verdict is certain.
func uncertainty(r *Report) string {
	if r.VerdictCertain {
		return ""
	}
	allowed := r.Thresholds.VerdictsWithin(r.Explained)
	var th []string
	for _, x := range []struct {
		name string
		at   float64
		a, b Verdict
	}{{"new-at", r.Thresholds.NewAt, New, Mixed}, {"recycled-at", r.Thresholds.RecycledAt, Mixed, Recycled}} {
		if slices.Contains(allowed, x.a) && slices.Contains(allowed, x.b) {
			th = append(th, fmt.Sprintf("the %s threshold %s", strings.TrimSuffix(x.name, "-at"), pct1(x.at)))
		}
	}
	words := make([]string, len(allowed))
	for i, v := range allowed {
		words[i] = string(v)
	}
	return fmt.Sprintf("The verdict %s is uncertain: the 95%% interval of the explained share, %s–%s, straddles %s, and shares within it give %s; score more records (or all of them) before relying on it.",
		r.Verdict, pct1(r.Explained.Low), pct1(r.Explained.High), strings.Join(th, " and "), orList(words))
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// uncertainMark follows the verdict in the reports' headlines when it is
// uncertain.
func uncertainMark(r *Report) string {
	if r.VerdictCertain {
		return ""
	}
	return " (uncertain)"
}
