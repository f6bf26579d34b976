package provenance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// Options configure Score. The zero value scores unkeyed, with the
// default thresholds and the sample's detected region.
type Options struct {
	// Hasher must hash like the catalog's sources (nil: unkeyed).
	Hasher *fingerprint.Hasher
	// Region resolves national formats; "" uses the region the reader
	// detected, then the sources' region.
	Region canon.Region
	// SamplePath names the sample in the report.
	SamplePath string
	// Thresholds; the zero value means DefaultThresholds.
	Thresholds Thresholds
	// Schema, when set, is the accused system checked by the claim findings.
	Schema *Schema
	// ClaimedRecords is the record count the leak's seller claims (0: none).
	ClaimedRecords int64
	// Workers is how many goroutines canonicalise, hash and probe while one
	// reads (default: GOMAXPROCS). The report does not depend on it.
	Workers int
	// ShowValues lets the report carry the sample's own values in full.
	// Without it, the sample's oldest and newest dates (time.oldest,
	// time.newest) keep the month only: a report is often published, and
	// the extreme birth dates of a leak point at people. With it, the
	// sample's frequent values are named (when recs can be read again:
	// Report.NameFrequentValues), and with Rows each record's fields are
	// appended to its row.
	ShowValues bool
	// Rows, when set, receives the per-record attribution as CSV once the
	// sample is scored: [RowColumns], one line per record. Scoring with Rows
	// runs on one worker, so that records keep their order.
	Rows io.Writer
	// Created is the time the report states it was made; zero means now.
	// Fix it (the CLI honours SOURCE_DATE_EPOCH) for reproducible reports.
	Created time.Time
}

// scoring is what every worker of one Score call reads and none writes:
// the catalog, each source's filters and rates, the schema. Only
// measureChance sets the chance rates, once the records are read and
// before they are looked up, on one goroutine.
type scoring struct {
	cat     *Catalog
	region  canon.Region
	nsrc    int
	words   int
	filters [][canon.KindCount]*fingerprint.Filter // per source and kind; nil when not held
	// per source and kind, the records holding each value (nil when the
	// signature has none, or when its counts cannot tell), and how many
	// make a value frequent (see sourceFrequentAt)
	srcFreq   [][canon.KindCount]*fingerprint.Frequent
	srcFreqAt [][canon.KindCount]uint64
	chanceK   [][canon.KindCount]float64
	fprK      [][canon.KindCount]float64 // per source and kind: filter false-positive rate
	fprPair   []float64
	schema    *Schema
	patterns  map[canon.Kind]*regexp.Regexp
	hasher    *fingerprint.Hasher // the sample's, for the decoys (decoys.go)
}

// ErrNoColumns is returned for a sample with no columns.
var ErrNoColumns = errors.New("provenance: sample has no columns")

// Score matches every record of the sample against the catalog and returns
// the report. It reads recs to the end, or stops with ctx's error when ctx
// is done. When recs is a *sampleset.Set smaller than its input, the
// report says how it was drawn (sample.sampling).
func Score(ctx context.Context, cat *Catalog, recs sampleset.Records, o Options) (*Report, error) {
	o.Thresholds = o.Thresholds.withDefaults()
	if err := o.Thresholds.Validate(); err != nil {
		return nil, err
	}
	sc, h, cols, err := prepare(cat, recs, o)
	if err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	tallies, err := readAll(ctx, sc, h, cols, recs, workers, o.Rows != nil)
	if err != nil {
		return nil, err
	}
	log := tallies[0].rows
	s := matchAll(tallies)
	var sampling *Sampling
	if set, ok := recs.(*sampleset.Set); ok && int64(set.Len()) < set.Info().Records {
		sampling = &Sampling{Size: set.Len(), Total: set.Info().Records, Seed: set.Seed()}
	}
	r := s.report(recs.Info(), cols, sampling, o)
	r.Sample.Files = files(recs, cols, o.SamplePath, s.region)
	if _, once := recs.(*sampleset.Reader); o.ShowValues && !once {
		if err := r.NameFrequentValues(ctx, recs, h); err != nil {
			return nil, err
		}
	}
	if log != nil {
		paths := make([]string, len(r.Sample.Files))
		for i, f := range r.Sample.Files {
			paths[i] = f.Path
		}
		rows, err := s.partRows(0, log, paths)
		if err != nil {
			return nil, err
		}
		if !o.ShowValues {
			recs = nil
		}
		if err := rows.WriteCSV(ctx, o.Rows, recs); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// readAll reads recs into the scorers of workers goroutines: the read
// phase of Score and ReadPart. With rows, one goroutine reads, so that the
// records keep their order, and its scorer keeps them (scorer.rows).
func readAll(ctx context.Context, sc *scoring, h *fingerprint.Hasher, cols []canon.Column, recs sampleset.Records, workers int, rows bool) ([]*scorer, error) {
	var seen func([]string)
	var log *rowLog
	if rows {
		workers = 1
		log, seen = keepRows(recs)
	}
	tallies := make([]*scorer, workers)
	encs := make([]*fingerprint.Encoder, workers)
	for w := range tallies {
		tallies[w] = newScorer(sc, len(cols))
		encs[w] = fingerprint.NewEncoder(h, sc.region, cols)
	}
	tallies[0].rows = log
	if err := sampleset.Process(ctx, recs, workers, seen, func(w int, rec []string) error {
		tallies[w].add(encs[w], rec)
		return nil
	}); err != nil {
		return nil, err
	}
	return tallies, nil
}

// prepare checks what Score checks and sets up the scoring of recs.
func prepare(cat *Catalog, recs sampleset.Records, o Options) (*scoring, *fingerprint.Hasher, []canon.Column, error) {
	if len(cat.Sources) == 0 {
		return nil, nil, nil, ErrEmptyCatalog
	}
	h := o.Hasher
	if h == nil {
		var err error
		if h, err = fingerprint.NewHasher(nil); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := cat.CheckHasher(h); err != nil {
		return nil, nil, nil, err
	}
	cols, err := recs.Columns()
	if err != nil {
		return nil, nil, nil, err
	}
	if len(cols) == 0 {
		if o.SamplePath != "" {
			return nil, nil, nil, fmt.Errorf("%s: %w", o.SamplePath, ErrNoColumns)
		}
		return nil, nil, nil, ErrNoColumns
	}
	sc, err := newScoring(cat, SampleRegion(cat, recs.Info(), o), o.Schema, h)
	return sc, h, cols, err
}

// SampleRegion is the region a sample is scored under: o.Region, else the
// one detected in the sample (info is its Info, that of its first member
// for a Joined), else that of the catalog's first source.
func SampleRegion(cat *Catalog, info sampleset.Info, o Options) canon.Region {
	switch {
	case o.Region != "":
		return o.Region
	case info.Region != "":
		return info.Region
	case len(cat.Sources) > 0:
		return cat.Sources[0].Meta.Region
	}
	return ""
}

// matchAll finds the frequent values and the duplicates among the records
// the tallies read, looks the records up (a goroutine a tally), and
// returns the first tally with the others merged into it, settled.
func matchAll(tallies []*scorer) *scorer {
	measureChance(tallies)
	freq := findFrequent(tallies)
	reduced := &recordSet{}
	var wg sync.WaitGroup
	for _, t := range tallies {
		wg.Go(func() { t.match(freq, reduced) })
	}
	wg.Wait()
	s := tallies[0]
	for _, t := range tallies[1:] {
		s.merge(t)
	}
	s.settle()
	s.frequent = freq
	return s
}

// newScoring sets up what every worker of one Score call reads: each
// source's filters and their false-positive and chance rates under region,
// and the schema (nil for none) with its patterns compiled.
func newScoring(cat *Catalog, region canon.Region, schema *Schema, h *fingerprint.Hasher) (*scoring, error) {
	var patterns map[canon.Kind]*regexp.Regexp
	if schema != nil {
		var err error
		if patterns, err = schema.compile(); err != nil {
			return nil, err
		}
	}
	sc := &scoring{cat: cat, region: region, nsrc: len(cat.Sources), schema: schema, patterns: patterns, hasher: h}
	sc.words = (sc.nsrc + 63) / 64
	sc.filters = make([][canon.KindCount]*fingerprint.Filter, sc.nsrc)
	sc.chanceK, sc.fprK = make([][canon.KindCount]float64, sc.nsrc), make([][canon.KindCount]float64, sc.nsrc)
	sc.fprPair = make([]float64, sc.nsrc)
	sc.srcFreq, sc.srcFreqAt = make([][canon.KindCount]*fingerprint.Frequent, sc.nsrc), make([][canon.KindCount]uint64, sc.nsrc)
	for si, src := range cat.Sources {
		for _, f := range src.Fields {
			if f.Kind.Strong() && f.Filter != nil {
				sc.filters[si][f.Kind] = f.Filter
				if at, ok := sourceFrequentAt(src.Meta.Records, f); ok {
					sc.srcFreq[si][f.Kind], sc.srcFreqAt[si][f.Kind] = f.Frequent, at
				}
				sc.chanceK[si][f.Kind] = chanceRate(f.Kind, region, f.DistinctCount())
				sc.fprK[si][f.Kind] = f.Filter.FalsePositiveRate()
			}
		}
		if src.Pairs != nil {
			sc.fprPair[si] = src.Pairs.FalsePositiveRate()
		}
	}
	return sc, nil
}

// files describes the members of a sample: those a *sampleset.Joined (or
// a *sampleset.Set drawn from one) lists, or else the one input.
func files(recs sampleset.Records, cols []canon.Column, path string, region canon.Region) []FileInfo {
	var ms []sampleset.MemberInfo
	if l, ok := recs.(interface{ Members() []sampleset.MemberInfo }); ok {
		ms = l.Members()
	}
	if len(ms) == 0 {
		ms = []sampleset.MemberInfo{{Path: path, Columns: cols, Info: recs.Info()}}
	}
	return fileInfos(ms, region)
}

// fileInfos describes members as the report lists them.
func fileInfos(ms []sampleset.MemberInfo, region canon.Region) []FileInfo {
	out := make([]FileInfo, len(ms))
	for i, m := range ms {
		out[i] = FileInfo{Path: m.Path, SHA256: m.SHA256, Format: string(m.Format), Encoding: m.Encoding, Compression: m.Compression,
			Records: m.Records, Skipped: m.Skipped, Columns: make([]canon.Column, len(m.Columns))}
		for k, c := range m.Columns {
			out[i].Columns[k] = c.Shareable(k, region)
		}
	}
	return out
}

// share turns x matches among n records, of which null were expected by
// false positives (and nothing else), into a corrected interval.
func share(x, n int, null float64) Interval { return shareOf(x, n, null, null) }

// shareOf turns x matches among n records into an interval corrected for
// the matches expected of records that are not in the source: nullLo if
// the values belong to their holders, so that a match of one is its
// holder's (false positives, and namesakes: the estimate and the high
// bound), null if every such value is as likely as any plausible one, as
// made-up values are (the low bound). The interval carries the
// correction's own uncertainty, which the sample cannot settle; the
// significance test takes null, so that made-up values are no evidence.
func shareOf(x, n int, null, nullLo float64) Interval {
	f, fLo := 0.0, 0.0
	if n > 0 {
		f, fLo = null/float64(n), nullLo/float64(n)
	}
	w := ModifiedWilson(x, n)
	iv := Corrected(w, fLo)
	iv.Low = min(iv.Low, Corrected(w, f).Low)
	return iv.rounded()
}

func (s *scorer) report(info sampleset.Info, cols []canon.Column, sampling *Sampling, o Options) *Report {
	r := &Report{ReportVersion: ReportVersion, Tool: fingerprint.Tool, Thresholds: o.Thresholds, NovelFields: []canon.Kind{}}
	r.stamp(o.Created)
	r.Sample = SampleInfo{Path: o.SamplePath, Records: s.total, Identified: s.identRows - s.frequentOnly, Distinct: s.ident, Duplicates: s.dups,
		FrequentValues: s.frequent.report(), FrequentOnly: s.frequentOnly, Skipped: info.Skipped,
		Region: string(s.region), Format: string(info.Format), Encoding: info.Encoding, Sampling: sampling}
	for i, c := range cols {
		v := 0.0
		if s.colNon[i] > 0 {
			v = round4(float64(s.colVal[i]) / float64(s.colNon[i]))
		}
		r.Sample.Columns = append(r.Sample.Columns, ColumnInfo{Column: c.Shareable(i, s.region), Valid: v})
	}
	if n := r.Sample.Identified; n > 0 {
		r.Sample.DuplicateShare = round4(float64(s.dups) / float64(n))
	}
	n := s.ident
	// A source is evidence only when its matches are too many for filter
	// false positives and chance collisions (the chance model) to explain.
	sig := make([]bool, s.nsrc)
	noChance, noChanceLo := 1.0, 1.0
	for si := range sig {
		sig[si] = poissonTail(s.rec[si], s.chanceR[si].float()) < significanceLevel
		if sig[si] && n > 0 {
			noChance *= 1 - s.chanceR[si].float()/float64(n)
			noChanceLo *= 1 - s.chanceLo[si].float()/float64(n)
		}
	}
	anyHit := 0
	for row := 0; row < len(s.matched); row += s.words {
		for si := range sig {
			if sig[si] && s.matched[row+si/64]&(1<<(si%64)) != 0 {
				anyHit++
				break
			}
		}
	}
	r.Explained = shareOf(anyHit, n, float64(n)*(1-noChance), float64(n)*(1-noChanceLo))
	r.Residual = Interval{round4(1 - r.Explained.Estimate), round4(1 - r.Explained.High), round4(1 - r.Explained.Low)}
	// Sources whose matched records are the same but for false positives
	// form a tie group, which the greedy cover treats as one source: the
	// share it explains alone is the group's, shown on every member.
	ov := s.overlaps(sig)
	group := ov.tieGroups(s.nsrc)
	nested := ov.nested(s.nsrc, group)
	excl, exclNull, exclNullLo := s.greedyCover(sig, group)
	for si, src := range s.cat.Sources {
		sr := SourceResult{Name: src.Meta.Name, Snapshot: src.Meta.Snapshot, Path: s.cat.Paths[si], Region: string(src.Meta.Region),
			Records:          shareOf(s.rec[si], n, s.chanceR[si].float(), s.chanceLo[si].float()),
			Joint:            share(s.joint[si], n, s.nullJnt[si].float()),
			Exclusive:        shareOf(excl[si], n, exclNull[si], exclNullLo[si]),
			JointTestable:    s.pairable[si],
			Fields:           map[canon.Kind]FieldResult{},
			SourceRecords:    src.Meta.Records,
			ExpectedByChance: round4(s.chanceR[si].float()),
			FrequentOnly:     s.srcFrequentOnly[si],
			Significant:      sig[si]}
		for _, k := range canon.StrongKinds {
			ks := s.kinds[k]
			if ks == nil || ks.hashed == 0 {
				continue
			}
			fr := FieldResult{Values: ks.hashed, Hits: ks.hits[si]}
			if f := src.Field(k); f != nil && f.Filter != nil {
				fr.Held = true
				fr.Interval = Corrected(ModifiedWilson(ks.hits[si], ks.hashed), s.fprK[si][k]).rounded()
				fr.Chance = s.chanceK[si][k]
			} else {
				fr.Interval = Interval{0, 0, round4(ModifiedWilson(0, ks.hashed).High)}
			}
			fr.AtChance = fr.Held && fr.Low <= fr.Chance
			sr.Fields[k] = fr
		}
		describeSource(&sr, src)
		r.Sources = append(r.Sources, sr)
	}
	// The sources by records matched, largest first; rows lists them so.
	s.order = make([]int, len(r.Sources))
	for i := range s.order {
		s.order[i] = i
	}
	sort.SliceStable(s.order, func(i, j int) bool {
		return r.Sources[s.order[i]].Records.Estimate > r.Sources[s.order[j]].Records.Estimate
	})
	unsorted := r.Sources
	r.Sources = make([]SourceResult, len(unsorted))
	for i, si := range s.order {
		r.Sources[i] = unsorted[si]
	}
	r.Ties = tieList(r.Sources, s.order, group, nested)
	s.sig = sig
	for _, k := range canon.StrongKinds {
		ks := s.kinds[k]
		if k == canon.NameBirthDate || ks == nil || ks.hashed == 0 {
			continue
		}
		novel := true
		for _, sr := range r.Sources {
			if sr.Fields[k].Estimate >= o.Thresholds.NovelBelow {
				novel = false
			}
		}
		if novel {
			r.NovelFields = append(r.NovelFields, k)
		}
	}
	// The verdict is the point estimate's; it is certain when every share
	// within the 95% interval gives the same verdict.
	r.Verdict, r.VerdictCertain = Insufficient, true
	if n >= o.Thresholds.MinIdentified {
		r.Verdict = o.Thresholds.verdictOf(r.Explained.Estimate)
		r.VerdictCertain = len(o.Thresholds.VerdictsWithin(r.Explained)) == 1
	}
	r.Time = s.dates.evidence(s.cat, r.Sources, o.ShowValues)
	r.Time.BySnapshot, r.Time.DatedRecords = s.datedCover(sig).steps()
	r.Fabrication = s.fab.resultAt(r.Created) // ages as of the report's time
	if o.Schema != nil {
		r.Claim = evaluateClaim(o.Schema, o.ClaimedRecords, s, r)
	}
	r.Evidence = evidence(r)
	return r
}

// greedyCover assigns each matched record to one of the eligible sources:
// repeatedly the source explaining most records not yet explained (the
// first in the catalog of those explaining as many). The sources of a tie
// group (group[si], from 1; 0 for none) count as one, matching the records
// any of them matches. It returns, per source, the records assigned to it
// (for a tie group's members, to the group) and the false or chance
// matches expected among all the records the source (or group) matches:
// null of values as likely as any plausible one, nullLo of values that
// belong to their holders (see shareOf).
func (s *scorer) greedyCover(eligible []bool, group []int) (excl []int, null, nullLo []float64) {
	// The units of the cover: a tie group, or a source in none; each with
	// a mask of its sources' bits.
	var masks [][]uint64
	var members [][]int
	unit := map[int]int{}
	for si := 0; si < s.nsrc; si++ {
		if !eligible[si] {
			continue
		}
		u, ok := unit[group[si]]
		if group[si] == 0 || !ok {
			u = len(masks)
			masks = append(masks, make([]uint64, s.words))
			members = append(members, nil)
			if group[si] != 0 {
				unit[group[si]] = u
			}
		}
		masks[u][si/64] |= 1 << (si % 64)
		members[u] = append(members[u], si)
	}
	matches := func(i int, mask []uint64) bool {
		row := s.matched[i*s.words : (i+1)*s.words]
		for w, m := range mask {
			if row[w]&m != 0 {
				return true
			}
		}
		return false
	}
	excl = make([]int, s.nsrc)
	nulls := func(lam []fixed) []float64 {
		null := make([]float64, s.nsrc)
		for si := range null {
			null[si] = lam[si].float()
		}
		for _, ms := range members {
			if len(ms) < 2 {
				continue
			}
			// A record matches the group by chance when it matches any
			// member so: 1 − Π(1 − λ/n), times n.
			none := 1.0
			for _, si := range ms {
				if s.ident > 0 {
					none *= 1 - min(1, lam[si].float()/float64(s.ident))
				}
			}
			for _, si := range ms {
				null[si] = float64(s.ident) * (1 - none)
			}
		}
		return null
	}
	null, nullLo = nulls(s.chanceR), nulls(s.chanceLo)
	covered := make([]bool, s.ident)
	picked := make([]bool, len(masks))
	for {
		best, bestN := -1, 0
		for u, mask := range masks {
			if picked[u] {
				continue
			}
			c := 0
			for i := 0; i < s.ident; i++ {
				if !covered[i] && matches(i, mask) {
					c++
				}
			}
			if c > bestN {
				best, bestN = u, c
			}
		}
		if best < 0 {
			return excl, null, nullLo
		}
		picked[best] = true
		for _, si := range members[best] {
			excl[si] = bestN
		}
		for i := 0; i < s.ident; i++ {
			if matches(i, masks[best]) {
				covered[i] = true
			}
		}
	}
}

// tieList fills each sorted source's TieGroup and NestedIn and returns the
// tie groups by name. order maps the sorted sources to the catalog's;
// group and nested are per catalog source. Groups are numbered again in
// the order of their first member in sorted.
func tieList(sorted []SourceResult, order []int, group []int, nested [][]int) [][]string {
	ties := [][]string{}
	number := map[int]int{}
	rank := make([]int, len(order)) // per catalog source: its place in sorted
	for i, si := range order {
		rank[si] = i
	}
	for i, si := range order {
		if g := group[si]; g != 0 {
			if number[g] == 0 {
				ties = append(ties, nil)
				number[g] = len(ties)
			}
			sorted[i].TieGroup = number[g]
			ties[number[g]-1] = append(ties[number[g]-1], sorted[i].Name)
		}
		if len(nested[si]) > 0 {
			in := slices.Clone(nested[si])
			slices.SortFunc(in, func(a, b int) int { return rank[a] - rank[b] })
			for _, sj := range in {
				sorted[i].NestedIn = append(sorted[i].NestedIn, sorted[rank[sj]].Name)
			}
		}
	}
	return ties
}
