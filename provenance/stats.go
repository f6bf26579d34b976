package provenance

import "math"

// Interval is an estimated share with its 95% confidence interval.
type Interval struct {
	Estimate float64 `json:"estimate"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959963984540054

// Wilson returns the Wilson score 95% interval for x successes in n trials.
// Unlike the Wald interval it never collapses to a point at 0 or 1 for
// finite n. With n == 0 it returns the uninformative [0, 1].
func Wilson(x, n int) Interval {
	if n <= 0 {
		return Interval{Estimate: 0, Low: 0, High: 1}
	}
	p := float64(x) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	den := 1 + z2/nn
	centre := (p + z2/(2*nn)) / den
	half := z95 * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn)) / den
	return Interval{Estimate: p, Low: clamp01(centre - half), High: clamp01(centre + half)}
}

// poissonLow95 holds, for 1, 2 and 3 events, the lower 2.5% quantile of
// the Poisson mean: half the chi-square quantile on 2x degrees of freedom.
var poissonLow95 = [...]float64{1: 0.0253178, 2: 0.2422093, 3: 0.6186721}

// ModifiedWilson is the Wilson interval with the modification of Brown,
// Cai and DasGupta (Statistical Science, 2001): for 1 to 3 successes (or
// failures) the bound near 0 (or 1) is the one-sided Poisson bound when
// that is wider, since Wilson's covers poorly there. One hit in 100 probes
// of a filter whose false-positive rate is 0.1%: Wilson's lower bound,
// 0.18%, excludes the truth 9% of the time; the Poisson bound, 0.025%,
// does not. Every share in a report uses it.
func ModifiedWilson(x, n int) Interval {
	iv := Wilson(x, n)
	if n <= 0 {
		return iv
	}
	if x >= 1 && x < len(poissonLow95) {
		iv.Low = min(iv.Low, poissonLow95[x]/float64(n))
	}
	if f := n - x; f >= 1 && f < len(poissonLow95) {
		iv.High = max(iv.High, 1-poissonLow95[f]/float64(n))
	}
	return iv
}

// Corrected removes the share of chance (false-positive) hits f from an
// observed hit share: (h - f) / (1 - f), applied to the estimate and both
// bounds and clamped to [0, 1].
func Corrected(iv Interval, f float64) Interval {
	if f <= 0 {
		return iv
	}
	if f >= 1 {
		return Interval{0, 0, 1}
	}
	c := func(h float64) float64 { return clamp01((h - f) / (1 - f)) }
	return Interval{Estimate: c(iv.Estimate), Low: c(iv.Low), High: c(iv.High)}
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// round4 keeps reports readable and stable across platforms.
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func (iv Interval) rounded() Interval {
	return Interval{round4(iv.Estimate), round4(iv.Low), round4(iv.High)}
}

// significanceLevel is the largest chance probability at which an overlap
// still counts as evidence.
const significanceLevel = 0.001

// poissonTail returns P(X >= x) for X ~ Poisson(lambda): the probability of
// seeing at least x matches when lambda are expected by chance.
func poissonTail(x int, lambda float64) float64 {
	if x <= 0 {
		return 1
	}
	if lambda <= 0 {
		return 0
	}
	if float64(x) <= lambda {
		return 1 // at or below the expectation: never significant
	}
	// Sum the terms from x upwards; they shrink geometrically once i > lambda.
	lg, _ := math.Lgamma(float64(x) + 1)
	term := math.Exp(float64(x)*math.Log(lambda) - lambda - lg)
	sum := term
	for i := x + 1; term > sum*1e-12 && i < x+100000; i++ {
		term *= lambda / float64(i)
		sum += term
	}
	return min(sum, 1)
}
