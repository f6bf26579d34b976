package provenance

import (
	"math"
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
	nullRec []fixed // per source: expected false matches
	chanceR []fixed // per source: expected false or chance matches
	nullJnt []fixed
	// pairable counts, per source, the records with two identifiers of
	// kinds the source holds: the only ones a joint match can be tested on.
	pairable []int
	ident    int
	total    int
	colVal   []int
	colNon   []int
	dates    dateStats
	fab      fabStats
	conf     conformance
	hashed   []fingerprint.Hashed
	ids      []fingerprint.Hashed
	hits     []uint64 // the hashes of ids found in the source being probed
	sink     uint64   // keeps the loads of Touch
	rows     *rowLog  // per record attribution (Options.Rows), or nil
	order    []int    // the sources in report order (set by report)
	sig      []bool   // per source: significant (set by report)
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
		nullRec: make([]fixed, sc.nsrc), chanceR: make([]fixed, sc.nsrc), nullJnt: make([]fixed, sc.nsrc),
		colVal: make([]int, ncols), colNon: make([]int, ncols)}
}

// fixed is a sum of probabilities in fixed point (2^-32), so that sums
// added up in any order, by any number of workers, are the same to the
// last bit. It holds sums up to 2^31 (records), each term rounded by at
// most 2^-33.
type fixed int64

const fixedOne = 1 << 32

func (f *fixed) add(p float64) { *f += fixed(math.Round(p * fixedOne)) }

func (f fixed) float() float64 { return float64(f) / fixedOne }

// merge adds u's counts to s's. The matched rows are appended: the report
// counts them, and the greedy cover does not depend on their order.
func (s *scorer) merge(u *scorer) {
	s.matched = append(s.matched, u.matched...)
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
		s.nullRec[si] += u.nullRec[si]
		s.chanceR[si] += u.chanceR[si]
		s.nullJnt[si] += u.nullJnt[si]
	}
	s.ident += u.ident
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
		s.kind(h.Kind).hashed++
		s.ids = append(s.ids, h)
	}
	s.dates.add(s.hashed)
	s.fab.add(s.hashed, s.region)
	if s.schema != nil {
		s.conf.add(s.schema, s.patterns, s.hashed)
	}
	if len(s.ids) == 0 {
		if s.rows != nil {
			s.rows.add(false)
		}
		return
	}
	s.ident++
	row := len(s.matched)
	s.matched = append(s.matched, make([]uint64, s.words)...)
	// Start every probe's load before testing any: they overlap.
	var sink uint64
	for si := range s.cat.Sources {
		for _, id := range s.ids {
			if f := s.filters[si][id.Kind]; f != nil {
				sink += f.Touch(id.Hash)
			}
		}
	}
	s.sink += sink
	for si, src := range s.cat.Sources {
		none, noChance, held := 1.0, 1.0, 0
		s.hits = s.hits[:0]
		var kinds uint32
		for _, id := range s.ids {
			f := s.filters[si][id.Kind]
			if f == nil {
				continue
			}
			held++
			fpr := s.fprK[si][id.Kind]
			none *= 1 - fpr
			noChance *= 1 - min(1, fpr+s.chanceK[si][id.Kind])
			if f.Has(id.Hash) {
				s.kinds[id.Kind].hits[si]++
				s.hits = append(s.hits, id.Hash)
				kinds |= 1 << id.Kind
			}
		}
		s.nullRec[si].add(1 - none)
		s.chanceR[si].add(1 - noChance)
		if len(s.hits) > 0 {
			s.rec[si]++
			s.matched[row+si/64] |= 1 << (si % 64)
		}
		joint := false
		if src.Pairs != nil && held > 1 && len(s.ids) <= fingerprint.MaxPairIdentifiers {
			s.pairable[si]++
			// Only identifiers the source holds can be in one of its
			// records together, so only pairs of them are probed; the pair
			// filter's false positives are expected among those pairs.
			if n := len(s.hits); n > 1 {
				s.nullJnt[si].add(1 - math.Pow(1-s.fprPair[si], float64(n*(n-1)/2)))
				if jointHit(src.Pairs, s.hits) {
					s.joint[si]++
					joint = true
				}
			}
		}
		if s.rows != nil && kinds != 0 {
			s.rows.match(si, kinds, joint)
		}
	}
	if s.rows != nil {
		s.rows.add(true)
	}
}

// jointHit reports whether any two of ids are in the pair filter p.
func jointHit(p *fingerprint.Filter, ids []uint64) bool {
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if p.Has(fingerprint.PairHash(ids[i], ids[j])) {
				return true
			}
		}
	}
	return false
}
