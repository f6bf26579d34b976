package provenance

import (
	"math"
	"math/bits"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// scorer is the running state of scoring records: counts that add up over
// records, so that the records of a sample can be shared out among workers
// and their scorers merged into the same sums whatever the split.
type scorer struct {
	*scoring
	matched []uint64 // per identified record, words bits: source matched
	kinds   [canon.KindCount]*kindStat
	rec     []int // per source: matching records
	joint   []int
	chanceR []fixed // per source: expected false or chance matches
	// chanceLo: per source, expected false matches and those of namesakes
	// only: the chance of values that belong to their holders (see
	// shareOf).
	chanceLo []fixed
	nullJnt  []fixed
	// pairable counts, per source, the records with two identifiers of
	// kinds the source holds: the only ones a joint match can be tested on.
	pairable []int
	ident    int // distinct identified records: the denominator
	// identRows counts the records with an identifier, dups those of them
	// that repeat an earlier record's identifiers.
	identRows int
	dups      int
	// frequentOnly counts the records whose identifiers are all frequent
	// values (see frequent.go): not identified.
	frequentOnly int
	total        int
	colVal       []int
	colNon       []int
	dates        dateStats
	fab          fabStats
	conf         conformance
	hashed       []fingerprint.Hashed
	ids          []fingerprint.Hashed
	held         held      // records read, until the frequent values are known
	freq         *countMin // the hashes of the distinct records read
	batch        batch     // records being looked up
	// classes counts the identified records by the kinds of their
	// identifiers (see classify), until settle turns them into expectations;
	// lastClass and lastCount are the run of the latest class, not yet in it.
	classes   map[uint64]int
	lastClass uint64
	lastCount int
	pairHits  []int // per source and number of identifiers hit (2 to MaxPairIdentifiers): records
	// srcFrequentOnly counts, per source, the records found in it on
	// values frequent in it only (see scoring.srcFreq).
	srcFrequentOnly []int
	rows            *rowLog                     // per record attribution (Options.Rows), or nil
	order           []int                       // the sources in report order (set by report)
	sig             []bool                      // per source: significant (set by report)
	frequent        frequentSet                 // the sample's frequent values (set by Score)
	kept            [len(decoyKinds)]keptValues // the values decoys are made of (decoys.go)
}

// kindStat accumulates one kind's values in the sample: those hashed
// (once per record) and, per source, those found.
type kindStat struct {
	hashed int
	hits   []int
}

func newScorer(sc *scoring, ncols int) *scorer {
	return &scorer{scoring: sc,
		rec: make([]int, sc.nsrc), joint: make([]int, sc.nsrc), pairable: make([]int, sc.nsrc),
		chanceR: make([]fixed, sc.nsrc), chanceLo: make([]fixed, sc.nsrc), nullJnt: make([]fixed, sc.nsrc),
		colVal: make([]int, ncols), colNon: make([]int, ncols),
		pairHits: make([]int, sc.nsrc*(fingerprint.MaxPairIdentifiers+1)), freq: &countMin{}, srcFrequentOnly: make([]int, sc.nsrc)}
}

// fixed is a sum of probabilities in fixed point (2^-32), so that sums
// added up in any order, by any number of workers, are the same to the
// last bit. It holds sums up to 2^31 (records), each term rounded by at
// most 2^-33.
type fixed int64

const fixedOne = 1 << 32

// fixedOf is p in fixed point.
func fixedOf(p float64) fixed { return fixed(math.Round(p * fixedOne)) }

func (f fixed) float() float64 { return float64(f) / fixedOne }

// merge adds u's counts to s's. The matched rows are appended: the report
// counts them, and the greedy cover does not depend on their order.
func (s *scorer) merge(u *scorer) {
	s.matched = append(s.matched, u.matched...)
	u.flushClass()
	s.flushClass()
	for c, n := range u.classes {
		if s.classes == nil {
			s.classes = map[uint64]int{}
		}
		s.classes[c] += n
	}
	for i, n := range u.pairHits {
		s.pairHits[i] += n
	}
	for k, ku := range u.kinds {
		if ku == nil {
			continue
		}
		ks := s.kind(canon.Kind(k))
		ks.hashed += ku.hashed
		for si := range ks.hits {
			ks.hits[si] += ku.hits[si]
		}
	}
	for si := 0; si < s.nsrc; si++ {
		s.rec[si] += u.rec[si]
		s.joint[si] += u.joint[si]
		s.pairable[si] += u.pairable[si]
		s.chanceR[si] += u.chanceR[si]
		s.chanceLo[si] += u.chanceLo[si]
		s.nullJnt[si] += u.nullJnt[si]
		s.srcFrequentOnly[si] += u.srcFrequentOnly[si]
	}
	s.ident += u.ident
	s.identRows += u.identRows
	s.dups += u.dups
	s.frequentOnly += u.frequentOnly
	s.total += u.total
	for i := range s.colVal {
		s.colVal[i] += u.colVal[i]
		s.colNon[i] += u.colNon[i]
	}
	s.dates.merge(&u.dates)
	s.fab.merge(&u.fab)
	s.conf.merge(&u.conf)
}

func (s *scorer) kind(k canon.Kind) *kindStat {
	if s.kinds[k] == nil {
		s.kinds[k] = &kindStat{hits: make([]int, s.nsrc)}
	}
	return s.kinds[k]
}

// Rows of a batch that have no row of matched.
const (
	rowNone      = -1 // a record without an identifier
	rowDuplicate = -2 // a record with the identifiers of an earlier one
)

func (s *scorer) add(enc *fingerprint.Encoder, rec []string) {
	s.total++
	s.hashed = enc.Encode(s.hashed[:0], rec)
	for i, v := range enc.Columns() {
		if v.Status != canon.Empty {
			s.colNon[i]++
		}
		if v.Status == canon.Valid {
			s.colVal[i]++
		}
	}
	s.ids = s.ids[:0]
	for _, h := range s.hashed {
		// A value repeated in one record (a phone in two columns) counts
		// once, in the denominator as in the hits.
		if !h.Kind.Strong() || !h.Status.Hashable() ||
			slices.ContainsFunc(s.ids, func(x fingerprint.Hashed) bool { return x.Hash == h.Hash }) {
			continue
		}
		s.ids = append(s.ids, h)
	}
	s.dates.add(s.hashed)
	s.fab.add(s.hashed, s.region)
	for _, h := range s.hashed {
		if i := slices.Index(decoyKinds[:], h.Kind); i >= 0 && h.Status == canon.Valid {
			s.kept[i].add(h.Hash, h.Form)
		}
	}
	if s.schema != nil {
		s.conf.add(s.schema, s.patterns, s.hashed)
	}
	if len(s.ids) == 0 {
		if s.rows != nil {
			s.held.add(heldNone, nil) // keeps its place among the rows
		}
		return
	}
	s.identRows++
	for _, id := range s.ids {
		s.freq.add(id.Hash)
	}
	s.held.add(heldFirst, s.ids) // until markDuplicates says otherwise
}

// match looks up the records held, once the sample's frequent values are
// known: each record's identifiers less the frequent ones. A record left
// with none is not identified; one left with the identifiers of an earlier
// record (they differed in a frequent value only) is a duplicate.
func (s *scorer) match(freq frequentSet, seen *recordSet) {
	h := &s.held
	start := int32(0)
	for r, end := range h.ends {
		st := h.state[r]
		s.ids = s.ids[:0]
		for i := start; i < end; i++ {
			if _, ok := freq.values[h.hashes[i]]; !ok {
				s.ids = append(s.ids, fingerprint.Hashed{Value: canon.Value{Kind: h.kinds[i]}, Hash: h.hashes[i]})
			}
		}
		start = end
		switch {
		case st == heldNone:
			s.queue(rowNone)
			continue
		case len(s.ids) == 0:
			s.frequentOnly++
			if st == heldDup {
				s.dups--
			}
			s.queue(rowNone)
			continue
		case st == heldDup:
			s.queue(rowDuplicate)
			continue
		case len(freq.values) > 0 && !seen.first(s.ids):
			// Without its frequent values the record is an earlier one
			// (seen holds every record's identifiers less those).
			s.dups++
			s.queue(rowDuplicate)
			continue
		}
		for _, id := range s.ids {
			s.kind(id.Kind).hashed++
		}
		s.ident++
		s.classify()
		row := len(s.matched) / s.words
		s.matched = append(s.matched, make([]uint64, s.words)...)
		s.batch.add(row, s.ids)
		if len(s.batch.rows) >= batchRecords || len(s.batch.probes) >= batchProbes {
			s.probe()
		}
	}
	s.probe()
	s.held = held{}
}

// queue adds a record that is not counted to the batch, for its row.
func (s *scorer) queue(row int) {
	if s.rows == nil {
		return
	}
	if row == rowNone {
		s.batch.add(rowNone, nil)
	} else {
		s.batch.add(row, s.ids)
	}
	if len(s.batch.rows) >= batchRecords || len(s.batch.probes) >= batchProbes {
		s.probe()
	}
}

// A batch holds the identifiers of the records a scorer has read but not
// yet looked up: looked up together, sorted by hash, each source's filters
// are read in address order instead of at random (a miss to memory a
// probe).
type batch struct {
	rows   []int32 // per record: its row of matched (-1: no identifier, kept with Options.Rows)
	ends   []int32 // per record: the end of its identifiers in probes
	probes []probe // the records' identifiers, one record after another
	// per record of the batch, for the source being probed: the
	// identifiers (bit i: the record's i-th; 63 for the 63rd and later)
	// and the kinds that hit.
	ids   []uint64
	kinds []uint16
	// per record of the batch, for the source being probed: an identifier
	// found in it on a value frequent in it
	frequent []bool
	// with Options.Rows, per record and source: the kinds matched and
	// rowJoint.
	found  []uint32
	counts []int32 // counting sort by the top bits
	sorted []probe // probes sorted by hash
}

// probe is one identifier of a batch's record.
type probe struct {
	hash uint64
	rec  int32 // in the batch
	kind canon.Kind
	idx  uint8 // among the record's identifiers, 63 for the 63rd and later
	dup  bool  // the record is a duplicate: not counted
}

// A batch is looked up once it holds batchRecords records or batchProbes
// identifiers: enough for the lookups of one source's filter to sweep it
// in order, few enough to stay in cache. (Variables for the tests.)
var (
	batchRecords = 1 << 16
	batchProbes  = 1 << 18
)

const (
	sortBits = 16      // the bits of a hash the probes are sorted by
	rowJoint = 1 << 31 // in batch.found: a joint match
)

func (b *batch) add(row int, ids []fingerprint.Hashed) {
	r := int32(len(b.rows))
	b.rows = append(b.rows, int32(row))
	dup := row == rowDuplicate
	if b.probes == nil {
		b.probes = make([]probe, 0, batchProbes)
	}
	for i, id := range ids {
		b.probes = append(b.probes, probe{hash: id.Hash, rec: r, kind: id.Kind, idx: uint8(min(i, 63)), dup: dup})
	}
	b.ends = append(b.ends, int32(len(b.probes)))
}

// sort orders the probes by the top bits of their hashes, the bits that
// pick a filter's block, by counting.
func (b *batch) sort() []probe {
	if b.counts == nil {
		b.counts = make([]int32, 1<<sortBits+1)
	}
	c := b.counts
	clear(c)
	for _, p := range b.probes {
		c[p.hash>>(64-sortBits)+1]++
	}
	for i := 1; i < len(c); i++ {
		c[i] += c[i-1]
	}
	b.sorted = slices.Grow(b.sorted[:0], len(b.probes))[:len(b.probes)]
	for _, p := range b.probes {
		k := p.hash >> (64 - sortBits)
		b.sorted[c[k]] = p
		c[k]++
	}
	return b.sorted
}

// probe looks the batch's identifiers up in every source and empties it.
func (s *scorer) probe() {
	b := &s.batch
	n := len(b.rows)
	if n == 0 {
		return
	}
	sorted := b.sort()
	b.ids = slices.Grow(b.ids[:0], n)[:n]
	b.kinds = slices.Grow(b.kinds[:0], n)[:n]
	b.frequent = slices.Grow(b.frequent[:0], n)[:n]
	if s.rows != nil {
		b.found = slices.Grow(b.found[:0], n*s.nsrc)[:n*s.nsrc]
		clear(b.found)
	}
	const stride = fingerprint.MaxPairIdentifiers + 1
	for si, src := range s.cat.Sources {
		fs, fq, at := &s.filters[si], &s.srcFreq[si], &s.srcFreqAt[si]
		var hits [canon.KindCount]int
		clear(b.ids)
		clear(b.kinds)
		clear(b.frequent)
		for _, p := range sorted {
			if f := fs[p.kind]; f != nil && f.Has(p.hash) {
				// A value many of the source's records hold identifies none
				// of them: it is no match.
				if q := fq[p.kind]; q != nil && q.Records(p.hash) >= at[p.kind] {
					b.frequent[p.rec] = true
					continue
				}
				b.ids[p.rec] |= 1 << p.idx
				b.kinds[p.rec] |= 1 << p.kind
				if !p.dup {
					hits[p.kind]++
				}
			}
		}
		for k, h := range hits {
			if h > 0 {
				s.kinds[k].hits[si] += h
			}
		}
		for r, m := range b.ids {
			if m == 0 {
				if b.frequent[r] && b.rows[r] >= 0 {
					s.srcFrequentOnly[si]++
				}
				continue
			}
			row := b.rows[r]
			if row >= 0 {
				s.rec[si]++
				s.matched[int(row)*s.words+si/64] |= 1 << (si % 64)
			}
			// Only identifiers the source holds can be in one of its
			// records together, so only pairs of those that hit are
			// probed; the pair filter's false positives are expected among
			// those pairs.
			start := int32(0)
			if r > 0 {
				start = b.ends[r-1]
			}
			ids := b.probes[start:b.ends[r]]
			var joint uint32
			if src.Pairs != nil && len(ids) <= fingerprint.MaxPairIdentifiers {
				if h := bits.OnesCount64(m); h > 1 && (row >= 0 || s.rows != nil) {
					if row >= 0 {
						s.pairHits[si*stride+h]++
					}
					if jointHit(src.Pairs, ids, m) {
						if row >= 0 {
							s.joint[si]++
						}
						joint = rowJoint
					}
				}
			}
			if s.rows != nil {
				b.found[r*s.nsrc+si] = uint32(b.kinds[r]) | joint
			}
		}
	}
	if s.rows != nil {
		for r, row := range b.rows {
			for si, f := range b.found[r*s.nsrc : (r+1)*s.nsrc] {
				if f != 0 {
					s.rows.match(si, f&^rowJoint, f&rowJoint != 0)
				}
			}
			s.rows.add(row != rowNone)
		}
	}
	b.rows, b.ends, b.probes = b.rows[:0], b.ends[:0], b.probes[:0]
}

// jointHit reports whether any two of the identifiers that mask picks out
// of ids are in the pair filter p.
func jointHit(p *fingerprint.Filter, ids []probe, mask uint64) bool {
	for a := mask; a != 0; a &= a - 1 {
		i := bits.TrailingZeros64(a)
		for c := a & (a - 1); c != 0; c &= c - 1 {
			if p.Has(fingerprint.PairHash(ids[i].hash, ids[bits.TrailingZeros64(c)].hash)) {
				return true
			}
		}
	}
	return false
}

// classify counts the record under the kinds of its identifiers, in order:
// what a record could match by false positives and chance depends on them
// alone, so those expectations are summed once per class (settle), not per
// record and source. A record of more identifiers than a class can name is
// settled at once.
func (s *scorer) classify() {
	if len(s.ids) > maxClassIDs {
		kinds := make([]canon.Kind, len(s.ids))
		for i, id := range s.ids {
			kinds[i] = id.Kind
		}
		s.settleClass(kinds, 1)
		return
	}
	c := uint64(len(s.ids)) << 60
	for i, id := range s.ids {
		c |= uint64(id.Kind) << (4 * i)
	}
	if c == s.lastClass && s.lastCount > 0 {
		s.lastCount++
		return
	}
	s.flushClass()
	s.lastClass, s.lastCount = c, 1
}

// maxClassIDs is the most identifiers a class key holds: 4 bits a kind
// below a 4-bit count.
const maxClassIDs = 15

func (s *scorer) flushClass() {
	if s.lastCount > 0 {
		if s.classes == nil {
			s.classes = map[uint64]int{}
		}
		s.classes[s.lastClass] += s.lastCount
		s.lastCount = 0
	}
}

// settle adds the expectations of the records classified so far to the
// per-source sums: false or chance matches (chanceR, and chanceLo for
// values that belong to their holders), joint false matches (nullJnt), and
// the records a joint match can be tested on (pairable). The sums are in
// fixed point, so settling classes of n records adds n times one record's
// term: the totals are those of adding record by record, in any order.
func (s *scorer) settle() {
	s.dates.flush()
	s.flushClass()
	kinds := make([]canon.Kind, 0, maxClassIDs)
	for c, n := range s.classes {
		kinds = kinds[:0]
		for i := range int(c >> 60) {
			kinds = append(kinds, canon.Kind(c>>(4*i)&15))
		}
		s.settleClass(kinds, n)
	}
	s.classes = nil
	const stride = fingerprint.MaxPairIdentifiers + 1
	for si := 0; si < s.nsrc; si++ {
		for h := 2; h < stride; h++ {
			if n := s.pairHits[si*stride+h]; n > 0 {
				s.nullJnt[si] += fixed(n) * fixedOf(1-math.Pow(1-s.fprPair[si], float64(h*(h-1)/2)))
			}
		}
		clear(s.pairHits[si*stride : (si+1)*stride])
	}
}

// settleClass adds n records whose identifiers have these kinds, in order.
func (s *scorer) settleClass(kinds []canon.Kind, n int) {
	for si, src := range s.cat.Sources {
		noChance, noChanceLo, held := 1.0, 1.0, 0
		for _, k := range kinds {
			if s.filters[si][k] == nil {
				continue
			}
			held++
			fpr := s.fprK[si][k]
			noChance *= 1 - min(1, fpr+s.chanceK[si][k])
			if assigned(k) {
				noChanceLo *= 1 - fpr
			} else {
				noChanceLo *= 1 - min(1, fpr+s.chanceK[si][k])
			}
		}
		s.chanceR[si] += fixed(n) * fixedOf(1-noChance)
		s.chanceLo[si] += fixed(n) * fixedOf(1-noChanceLo)
		if src.Pairs != nil && held > 1 && len(kinds) <= fingerprint.MaxPairIdentifiers {
			s.pairable[si] += n
		}
	}
}
