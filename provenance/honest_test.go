package provenance

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	fpindex "github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// The tests of issue 11's items 7 (claims weighted by share), 8 (uncertain
// verdicts) and 9 (ties), each on a scenario of the project's generator
// (internal/synth, as internal/cmd/gendata makes the bundled ones) whose
// truth is worked out from the people behind each record.

// built is a scenario's catalog, sample and truth.
type built struct {
	cat    *Catalog
	sample []byte
	truth  synth.Truth
	region canon.Region
}

// buildScenario generates sc and indexes its sources, in the order given
// by order (nil: as listed), with the FPR of fpr[name] (default when
// absent), as `leakprov index` would.
func buildScenario(t testing.TB, sc synth.Scenario, order []string, fpr map[string]float64) built {
	t.Helper()
	res, err := sc.Build()
	require.NoErrorf(t, err, "build scenario %s", sc.Name)
	require.Len(t, res.Files, len(sc.Sources)+1, "scenario %s: a file per source and the sample", sc.Name)
	if order == nil {
		for _, s := range sc.Sources {
			order = append(order, s.Name)
		}
	}
	h := unkeyed(t)
	cat := &Catalog{}
	for _, name := range order {
		i := slices.IndexFunc(sc.Sources, func(s synth.SourceSpec) bool { return s.Name == name })
		require.GreaterOrEqualf(t, i, 0, "scenario %s has source %s", sc.Name, name)
		s := sc.Sources[i]
		sig, err := fpindex.Build(context.Background(), fpindex.Options{Name: s.Name, Snapshot: s.Snapshot, Region: sc.Region, Hasher: h, FPR: fpr[s.Name]},
			fpindex.Reader(s.File, bytes.NewReader(res.Files[i].Data)))
		require.NoErrorf(t, err, "index %s", s.Name)
		require.NoErrorf(t, cat.Add(sig, ""), "add %s", s.Name)
	}
	return built{cat: cat, sample: res.Files[len(res.Files)-1].Data, truth: res.Truth, region: sc.Region}
}

// rowShare is the share of the truth's identified rows for which match
// holds, of those for which of holds (nil: all identified rows).
func rowShare(tr synth.Truth, match, of func(synth.TruthRow) bool) float64 {
	n, x := 0, 0
	for _, r := range tr.Rows {
		if !r.Identified || of != nil && !of(r) {
			continue
		}
		n++
		if match(r) {
			x++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(x) / float64(n)
}

func matches(names ...string) func(synth.TruthRow) bool {
	return func(r synth.TruthRow) bool {
		for _, s := range r.Sources {
			if slices.Contains(names, s) {
				return true
			}
		}
		return false
	}
}

func explainedRow(r synth.TruthRow) bool { return len(r.Sources) > 0 }

func source(t testing.TB, r *Report, name string) SourceResult {
	t.Helper()
	i := slices.IndexFunc(r.Sources, func(s SourceResult) bool { return s.Name == name })
	require.GreaterOrEqualf(t, i, 0, "report has source %s", name)
	return r.Sources[i]
}

// UA people with what Reserve+ holds: name, birth date, RNOKPP, phone.
var reserveCols = []synth.Column{
	{Kind: canon.Name, Styles: []synth.Style{synth.FamilyFirst, synth.FamilyFirst | synth.WithPatronymic}},
	{Kind: canon.BirthDate, Styles: []synth.Style{synth.DateDots}},
	{Kind: canon.NationalID, Styles: []synth.Style{synth.IDPlain}},
	{Kind: canon.Phone, Styles: []synth.Style{synth.PhoneE164}},
}

// reserveScenario: a "Reserve+ hack" sample of 1,000 records drawn with
// the shares old and recent of a bank dump of 2015 and a shop dump of
// 2024 (after Reserve+ opened, 2024-05-18), the rest new people; every
// field is one Reserve+ holds.
func reserveScenario(old, recent float64) synth.Scenario {
	src := func(name, snapshot string, size int) synth.SourceSpec {
		return synth.SourceSpec{DumpSpec: synth.DumpSpec{Name: name, Snapshot: snapshot, File: name + ".csv", Lang: synth.Ukrainian,
			Columns: []synth.Column{{Kind: canon.Name}, {Kind: canon.Phone, Styles: []synth.Style{synth.PhoneNational}},
				{Kind: canon.BirthDate, Styles: []synth.Style{synth.DateDots}}, {Kind: canon.NationalID}}}, Size: size}
	}
	return synth.Scenario{
		Name: "reserve", Region: canon.UA, Seed: 2024_05_18,
		Sources: []synth.SourceSpec{src("bank-2015", "2015-03-01", 1500), src("shop-2024", "2024-09-01", 1500)},
		Sample: synth.SampleSpec{DumpSpec: synth.DumpSpec{File: "sample.csv", Lang: synth.Ukrainian, Columns: reserveCols},
			Size: 1000, Draws: []synth.Draw{{From: "bank-2015", Share: old}, {From: "shop-2024", Share: recent}}},
	}
}

// Item 7: 93% of a "Reserve+" leak from a dump of 2015 and 4% from one of
// 2024. The horizon (2024-09-01) is after the launch, which is all the
// predates-launch check used to look at, so the claim came out consistent.
// Weighed by records, 96% of the explained part predates Reserve+: the
// check fails, and says how much. A leak mostly from the 2024 dump still
// passes.
func TestPredatesLaunchWeighsTheExplainedRecords(t *testing.T) {
	schema, err := LoadSchema("reserve-plus")
	require.NoError(t, err, "built-in schema reserve-plus")
	for _, c := range []struct {
		old, recent float64
		passes      bool
	}{
		{0.93, 0.04, false},
		{0.15, 0.80, true},
	} {
		what := fmt.Sprintf("%.0f%% from 2015, %.0f%% from 2024", 100*c.old, 100*c.recent)
		b := buildScenario(t, reserveScenario(c.old, c.recent), nil, nil)
		rep := score(t, b.cat, b.sample, Options{Hasher: unkeyed(t), Schema: schema})
		require.Equalf(t, b.truth.Verdict, string(rep.Verdict), "%s: verdict", what)
		require.NotNilf(t, rep.Claim, "%s: claim", what)
		assert.Equalf(t, "2024-09-01", rep.Time.Horizon, "%s: the horizon is the 2024 dump's, after the launch: the old check passed on it", what)

		want := rowShare(b.truth, matches("bank-2015"), explainedRow)
		require.NotNilf(t, rep.Claim.BeforeLaunch, "%s: claim.before_launch", what)
		bl := *rep.Claim.BeforeLaunch
		assert.InDeltaf(t, want, bl.Estimate, 0.03, "%s: share of the explained records in dumps before the launch", what)
		assert.LessOrEqualf(t, bl.Low, want, "%s: its interval covers the truth %.4f: %+v", what, want, bl)
		assert.GreaterOrEqualf(t, bl.High, want, "%s: its interval covers the truth %.4f: %+v", what, want, bl)

		fs := findings(rep, "predates-launch")
		if rep.Verdict != Recycled {
			assert.Emptyf(t, fs, "%s: the finding is for a recycled verdict", what)
			continue
		}
		require.Lenf(t, fs, 1, "%s: one predates-launch finding", what)
		assert.Equalf(t, c.passes, fs[0].Passed, "%s: predates-launch passes (%s)", what, fs[0].Detail)
		assert.Containsf(t, fs[0].Detail, pct(bl.Estimate)+" of the explained records", "%s: the finding states the share", what)
		assert.Containsf(t, fs[0].Detail, "2024-05-18", "%s: and the launch", what)
		if !c.passes {
			assert.Falsef(t, rep.Claim.Consistent, "%s: the claim is inconsistent", what)
			// Every other check passes: only the time finding refutes it.
			for _, f := range rep.Claim.Findings {
				if f.Check != "predates-launch" {
					assert.Truef(t, f.Passed, "%s: %s passes (%s)", what, f.Check, f.Detail)
				}
			}
		}
		// The time evidence weighs the horizon the same way.
		require.Lenf(t, rep.Time.BySnapshot, 2, "%s: a step per snapshot", what)
		assert.Equalf(t, "2015-03-01", rep.Time.BySnapshot[0].Snapshot, "%s: oldest first", what)
		assert.InDeltaf(t, want, rep.Time.BySnapshot[0].Share.Estimate, 0.03, "%s: share already in the 2015 dump", what)
		assert.Equalf(t, Interval{1, 1, 1}, rep.Time.BySnapshot[1].Share, "%s: everything dated by the horizon", what)
		horizon := sentences(rep, "Freshness horizon")
		require.Lenf(t, horizon, 1, "%s: the horizon sentence", what)
		if want > 0.5 {
			assert.Containsf(t, horizon[0], "already in dumps from 2015-03-01 or earlier", "%s: the horizon sentence says how old most of it is", what)
		} else {
			assert.NotContainsf(t, horizon[0], "already in dumps", "%s: no such words when most is recent", what)
		}
	}
}

// A mixed leak that is mostly from before the launch says so in the
// evidence, with the share, though the finding is for recycled verdicts.
func TestBeforeLaunchSentenceOnAMixedLeak(t *testing.T) {
	schema, err := LoadSchema("reserve-plus")
	require.NoError(t, err, "built-in schema reserve-plus")
	b := buildScenario(t, reserveScenario(0.50, 0.05), nil, nil)
	rep := score(t, b.cat, b.sample, Options{Hasher: unkeyed(t), Schema: schema})
	require.Equal(t, Mixed, rep.Verdict, "55% explained")
	require.NotNil(t, rep.Claim.BeforeLaunch, "claim.before_launch")
	want := rowShare(b.truth, matches("bank-2015"), explainedRow)
	assert.InDelta(t, want, rep.Claim.BeforeLaunch.Estimate, 0.03, "share of the explained records before the launch")
	got := sentences(rep, "before Reserve+ opened (2024-05-18)")
	require.Len(t, got, 1, "the evidence says how much predates Reserve+: %q", rep.Evidence)
	assert.Contains(t, got[0], pct(rep.Claim.BeforeLaunch.Estimate), "with the share")
}

// Item 8: a leak 93% of which is known, scored in uniform samples of 100
// records. The interval of the explained share straddles 90% in nearly
// all of them, and some (14% in the issue) say mixed on the point
// estimate. Every verdict that differs from the whole leak's now says it is
// uncertain, with an evidence sentence naming the interval and threshold;
// the whole leak, 2,000 records, is certainly recycled.
func TestVerdictUncertainWhenTheIntervalStraddlesAThreshold(t *testing.T) {
	sc := synth.Scenario{
		Name: "ninety-three", Region: canon.UA, Seed: 93,
		Sources: []synth.SourceSpec{{DumpSpec: synth.DumpSpec{Name: "bank-2016", Snapshot: "2016-10-01", File: "bank.csv",
			Columns: []synth.Column{{Kind: canon.Name}, {Kind: canon.Phone}, {Kind: canon.BirthDate}, {Kind: canon.NationalID}}}, Size: 3000}},
		Sample: synth.SampleSpec{DumpSpec: synth.DumpSpec{File: "sample.csv", Columns: reserveCols},
			Size: 2000, Draws: []synth.Draw{{From: "bank-2016", Share: 0.93}}},
	}
	b := buildScenario(t, sc, nil, nil)
	require.Equal(t, 0.93, b.truth.Explained, "truth")
	h := unkeyed(t)
	whole := score(t, b.cat, b.sample, Options{Hasher: h})
	assert.Equal(t, Recycled, whole.Verdict, "the whole leak")
	assert.True(t, whole.VerdictCertain, "the whole leak's verdict is certain: %+v", whole.Explained)
	assert.Empty(t, sentences(whole, "uncertain"), "no word of uncertainty on a certain verdict")

	const draws = 200
	var wrong, uncertain, covered int
	for seed := uint64(1); seed <= draws; seed++ {
		set, err := sampleset.Sample(context.Background(), reader(b.sample, "sample.csv", canon.UA), 100, seed)
		require.NoErrorf(t, err, "seed %d: sample", seed)
		rep, err := Score(context.Background(), b.cat, set, Options{Hasher: h, Region: canon.UA})
		require.NoErrorf(t, err, "seed %d: score", seed)
		what := fmt.Sprintf("seed %d: explained %+v, verdict %s", seed, rep.Explained, rep.Verdict)
		if rep.Explained.Low <= 0.93 && 0.93 <= rep.Explained.High {
			covered++
		}
		allowed := rep.Thresholds.VerdictsWithin(rep.Explained)
		assert.Equalf(t, len(allowed) == 1, rep.VerdictCertain, "%s: certain exactly when one verdict is allowed (%v)", what, allowed)
		assert.Containsf(t, allowed, rep.Verdict, "%s: the verdict is among those allowed", what)
		if rep.Verdict != Recycled {
			wrong++
			assert.Falsef(t, rep.VerdictCertain, "%s: a verdict other than the leak's is never certain", what)
		}
		if rep.VerdictCertain {
			continue
		}
		uncertain++
		got := sentences(rep, "is uncertain")
		if assert.Lenf(t, got, 1, "%s: one evidence sentence on the uncertainty", what) {
			assert.Containsf(t, got[0], pct1(rep.Explained.Low)+"–"+pct1(rep.Explained.High), "%s: it names the interval", what)
			assert.Containsf(t, got[0], "the recycled threshold 90.0%", "%s: and the threshold", what)
			assert.Containsf(t, got[0], "mixed or recycled", "%s: and the verdicts it allows", what)
			assert.Equalf(t, got[0], rep.Evidence[1], "%s: right after the verdict's sentence", what)
		}
	}
	t.Logf("%d samples of 100: %d say mixed, %d uncertain, %d intervals cover 0.93", draws, wrong, uncertain, covered)
	assert.Positive(t, wrong, "some samples of 100 say mixed on the point estimate (the old failure)")
	assert.Less(t, wrong, draws/3, "most say recycled")
	assert.Greater(t, uncertain, draws/2, "most samples of 100 are uncertain at 93%")
	assert.GreaterOrEqual(t, covered, draws*90/100, "the interval covers the truth 0.93 (%d of %d)", covered, draws)
}

func TestVerdictsWithin(t *testing.T) {
	th := DefaultThresholds()
	for _, c := range []struct {
		iv   Interval
		want []Verdict
	}{
		{Interval{0.95, 0.92, 0.97}, []Verdict{Recycled}},
		{Interval{0.93, 0.86, 0.97}, []Verdict{Mixed, Recycled}},
		{Interval{0.88, 0.80, 0.92}, []Verdict{Mixed, Recycled}},
		{Interval{0.90, 0.90, 0.95}, []Verdict{Recycled}},
		{Interval{0.50, 0.40, 0.60}, []Verdict{Mixed}},
		{Interval{0.08, 0.04, 0.14}, []Verdict{New, Mixed}},
		{Interval{0.02, 0, 0.05}, []Verdict{New}},
		{Interval{0.10, 0.10, 0.10}, []Verdict{New}},
		{Interval{0.5, 0, 1}, []Verdict{New, Mixed, Recycled}},
	} {
		assert.Equalf(t, c.want, th.VerdictsWithin(c.iv), "%+v", c.iv)
	}
}

// tieScenario: bank-a's 2,000 people; bank-b, the same people (the same
// dump, indexed again under another name); social, 30% of them and 1,400
// others; branch, 500 of bank-a's people. The sample: 60% from bank-a,
// 20% from social, 20% new.
func tieScenario() synth.Scenario {
	cols := []synth.Column{{Kind: canon.Name}, {Kind: canon.Phone}, {Kind: canon.BirthDate}, {Kind: canon.NationalID}}
	src := func(name string, size int, shared ...synth.Draw) synth.SourceSpec {
		return synth.SourceSpec{DumpSpec: synth.DumpSpec{Name: name, Snapshot: "2016-01-01", File: name + ".csv", Columns: cols},
			Size: size, Shared: shared}
	}
	return synth.Scenario{
		Name: "ties", Region: canon.UA, Seed: 9,
		Sources: []synth.SourceSpec{
			src("bank-a", 2000),
			src("bank-b", 2000, synth.Draw{From: "bank-a", Share: 1}),
			src("social", 2000, synth.Draw{From: "bank-a", Share: 0.3}),
			src("branch", 500, synth.Draw{From: "bank-a", Share: 1}),
		},
		Sample: synth.SampleSpec{DumpSpec: synth.DumpSpec{File: "sample.csv", Columns: reserveCols},
			Size: 1500, Draws: []synth.Draw{{From: "bank-a", Share: 0.6}, {From: "social", Share: 0.2}}},
	}
}

// Item 9: the same dump indexed under two names gave the whole exclusive
// share to whichever came first; a source nested in another got none,
// without a word. Now the two are a tie group whose exclusive share each
// member shows, whatever the catalog's order, even when one of them was
// built with filters a hundred times less precise; and the nested source
// is named as such.
func TestTiesShareTheExclusiveShare(t *testing.T) {
	h := unkeyed(t)
	groupTruth := func(tr synth.Truth) float64 { return rowShare(tr, matches("bank-a", "bank-b"), nil) }
	var first *Report
	for _, c := range []struct {
		name  string
		order []string
		fpr   map[string]float64
	}{
		{"catalog order", nil, nil},
		{"bank-b first", []string{"bank-b", "social", "branch", "bank-a"}, nil},
		{"bank-b at 1% false positives", nil, map[string]float64{"bank-b": 0.01}},
	} {
		b := buildScenario(t, tieScenario(), c.order, c.fpr)
		tr := b.truth
		require.Equalf(t, tr.Sources["bank-a"], tr.Sources["bank-b"], "%s: the truth: bank-a and bank-b match the same records", c.name)
		rep := score(t, b.cat, b.sample, Options{Hasher: h})
		a, bb := source(t, rep, "bank-a"), source(t, rep, "bank-b")
		require.Truef(t, a.Significant && bb.Significant, "%s: both significant", c.name)

		require.Lenf(t, rep.Ties, 1, "%s: one tie group: %v", c.name, rep.Ties)
		assert.ElementsMatchf(t, []string{"bank-a", "bank-b"}, rep.Ties[0], "%s: the tie group", c.name)
		assert.Equalf(t, 1, a.TieGroup, "%s: bank-a's tie group", c.name)
		assert.Equalf(t, 1, bb.TieGroup, "%s: bank-b's tie group", c.name)
		assert.Zerof(t, source(t, rep, "social").TieGroup, "%s: social is in no tie", c.name)

		// Each member shows the group's exclusive share: what bank-a or
		// bank-b explains (picked first, the largest).
		assert.Equalf(t, a.Exclusive, bb.Exclusive, "%s: the members show one exclusive share", c.name)
		assert.InDeltaf(t, groupTruth(tr), a.Exclusive.Estimate, 0.03, "%s: the group's exclusive share", c.name)
		social := source(t, rep, "social")
		socialOnly := func(r synth.TruthRow) bool { return matches("social")(r) && !matches("bank-a")(r) }
		assert.InDeltaf(t, rowShare(tr, socialOnly, nil), social.Exclusive.Estimate, 0.03, "%s: social's own", c.name)
		// Counted once, the exclusive shares add up to the explained share.
		sum := a.Exclusive.Estimate + social.Exclusive.Estimate + source(t, rep, "branch").Exclusive.Estimate
		assert.InDeltaf(t, rep.Explained.Estimate, sum, 0.01, "%s: exclusive shares, the group once, add up to explained", c.name)

		// branch is nested in both: it explains nothing alone, and the
		// report says why.
		br := source(t, rep, "branch")
		assert.Equalf(t, []string{rep.Ties[0][0], rep.Ties[0][1]}, br.NestedIn, "%s: branch nested in the tie group's members", c.name)
		assert.Lessf(t, br.Exclusive.Estimate, 0.01, "%s: branch's exclusive share", c.name)
		assert.Lenf(t, sentences(rep, "branch is nested in"), 1, "%s: the evidence names branch nested", c.name)
		assert.Lenf(t, sentences(rep, "match the same records of the sample"), 1, "%s: and the tie", c.name)
		assert.Emptyf(t, source(t, rep, "social").NestedIn, "%s: social shares people, it is not nested", c.name)

		if first == nil {
			first = rep
			continue
		}
		for _, name := range []string{"bank-a", "bank-b", "social", "branch"} {
			if c.fpr == nil {
				assert.Equalf(t, source(t, first, name).Exclusive, source(t, rep, name).Exclusive, "%s: %s's exclusive share does not depend on the catalog's order", c.name, name)
			}
		}
	}
}

// Without groups, the greedy cover of the same scenario gives bank-a all
// the records it shares with bank-b and bank-b none: the failure the tie
// group removes (the cover without groups is what the report used to
// show). The cover runs here on the truth's own matched sets.
func TestGreedyCoverWithoutGroupsFavoursTheFirst(t *testing.T) {
	sc := tieScenario()
	res, err := sc.Build()
	require.NoError(t, err, "build the tie scenario")
	names := []string{"bank-a", "bank-b", "social", "branch"}
	s := scorerFromTruth(res.Truth, names)
	sig := []bool{true, true, true, true}
	excl, _, _ := s.greedyCover(sig, make([]int, len(names)))
	assert.Positive(t, excl[0], "bank-a, first, takes the records it shares with bank-b")
	assert.Zero(t, excl[1], "bank-b, the same dump, gets none")
	ov := s.overlaps(sig)
	group := ov.tieGroups(len(names))
	assert.Equal(t, []int{1, 1, 0, 0}, group, "bank-a and bank-b tie")
	assert.Equal(t, [][]int{nil, nil, nil, {0, 1}}, ov.nested(len(names), group), "branch is nested in bank-a and bank-b")
	excl, _, _ = s.greedyCover(sig, group)
	assert.Equal(t, excl[0], excl[1], "grouped, both show the group's share")
	assert.Positive(t, excl[1], "bank-b's share is the group's")
	assert.Zero(t, excl[3], "branch, nested, explains nothing alone")
}

// scorerFromTruth makes a scorer whose matched sets are the truth's: per
// identified row, the sources (of names) it matches.
func scorerFromTruth(tr synth.Truth, names []string) *scorer {
	s := newScorer(&scoring{nsrc: len(names), words: (len(names) + 63) / 64}, 0)
	for _, r := range tr.Rows {
		if !r.Identified {
			continue
		}
		row := make([]uint64, s.words)
		for si, name := range names {
			if slices.Contains(r.Sources, name) {
				row[si/64] |= 1 << (si % 64)
				s.rec[si]++
			}
		}
		s.matched = append(s.matched, row...)
		s.ident++
	}
	return s
}

// Ties need the same records, not the same size: two unrelated dumps of
// one size are no tie, and sources sharing some people (the bundled ua
// scenario: 30% of the bank in the social network) are none either.
func TestNoTieWithoutTheSameRecords(t *testing.T) {
	cols := []synth.Column{{Kind: canon.Name}, {Kind: canon.Phone}, {Kind: canon.BirthDate}}
	sc := synth.Scenario{
		Name: "apart", Region: canon.UA, Seed: 10,
		Sources: []synth.SourceSpec{
			{DumpSpec: synth.DumpSpec{Name: "x", Snapshot: "2015-01-01", File: "x.csv", Columns: cols}, Size: 1000},
			{DumpSpec: synth.DumpSpec{Name: "y", Snapshot: "2015-01-01", File: "y.csv", Columns: cols}, Size: 1000,
				Shared: []synth.Draw{{From: "x", Share: 0.5}}},
		},
		Sample: synth.SampleSpec{DumpSpec: synth.DumpSpec{File: "sample.csv", Columns: cols},
			Size: 600, Draws: []synth.Draw{{From: "x", Share: 0.4}, {From: "y", Share: 0.4}}},
	}
	b := buildScenario(t, sc, nil, nil)
	rep := score(t, b.cat, b.sample, Options{Hasher: unkeyed(t)})
	assert.Empty(t, rep.Ties, "no tie between sources sharing half their people")
	for _, s := range rep.Sources {
		assert.Zerof(t, s.TieGroup, "%s: no tie group", s.Name)
		assert.Emptyf(t, s.NestedIn, "%s: not nested", s.Name)
	}
	assert.Empty(t, sentences(rep, "match the same records"), "no tie sentence")
	assert.True(t, strings.HasPrefix(rep.Evidence[0], "Verdict"), "the verdict first")
}

// The HTML chart draws a tie group as one segment, "bank-a = bank-b", as
// wide as the group's exclusive share, so that the segments still add up
// to the explained share; the members' rows share its colour.
func TestHTMLChartDrawsATieGroupOnce(t *testing.T) {
	b := buildScenario(t, tieScenario(), nil, nil)
	rep := score(t, b.cat, b.sample, Options{Hasher: unkeyed(t)})
	require.Len(t, rep.Ties, 1, "the tie group")
	doc, err := html.Parse(strings.NewReader(renderHTML(t, rep)))
	require.NoError(t, err, "the page parses")
	segs, barW := chartSegments(t, "tie", doc)
	var labels []string
	total := 0.0
	for _, s := range segs {
		labels = append(labels, s.label)
		total += s.w
	}
	assert.Equal(t, []string{"bank-a = bank-b", "social", "branch", "unexplained (residual)"}, labels, "one segment for the group")
	// Counted once, the group's share and the others' add up to explained
	// (within the chance corrections of each), and with the residual to at
	// most the whole bar, so each segment is drawn at full scale; counted
	// twice, they would add up to 1.6 and every segment would shrink.
	assert.LessOrEqual(t, total, barW+0.02, "the segments fit the bar")
	assert.InDelta(t, source(t, rep, "bank-a").Exclusive.Estimate*barW, segs[0].w, 0.02, "the group's segment at full scale")
	assert.InDelta(t, rep.Residual.Estimate*barW, segs[len(segs)-1].w, 0.02, "the residual at full scale")
	v := newHTMLView(rep)
	assert.Equal(t, v.Colours[slices.IndexFunc(rep.Sources, func(s SourceResult) bool { return s.Name == "bank-a" })],
		v.Colours[slices.IndexFunc(rep.Sources, func(s SourceResult) bool { return s.Name == "bank-b" })], "the members share a colour")
}
