package provenance

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Chance from the data. What a value matches by chance depends on the
// source and on the population, which no constant value space knows: a
// dump of one operator's customers fills that operator's numbers and no
// other, IDs that encode a birth date are dense where the births are, and
// names without patronymics, or birth dates piled on 1 January where the
// day was not known, make namesakes common. So the chance of each kind is
// measured on the sample, with decoys: values shaped like the sample's that
// belong to no record of it, looked up in every source. The share of a
// kind's decoys a source's filter holds, less its false positives, is that
// source's chance for the kind (chanceK).
//
//   - name+birth_date, a permutation null: each name paired with the birth
//     dates of the decoysPer records after it (less the pairs that are a
//     kept record's own), a person as likely as any of the sample's;
//   - phone: the number with its last 7 digits (the subscriber's, under
//     the operator's code) drawn at random, the density of the source in
//     the sample's prefixes;
//   - national ID, passport, driver's licence: the last 5 digits drawn at
//     random and, for an ID, its check digit made right, the density of
//     the source among the IDs of people born the same day (an RNOKPP or
//     IIN), or in the same series of documents.
//
// Decoys are made of the decoyKeep values of each kind whose hashes are the
// smallest, which any split of the records among workers or machines
// agrees on, and drawn from those hashes: the same however the sample was
// read. Below decoyMin values of a kind, the value space's figure stands
// (chanceRate). E-mail addresses have no space to draw from: their chance
// is the value space's, nil.

// Sizes of the decoys (variables for the tests).
var (
	decoyKeep = 2048 // values kept of each kind
	decoysPer = 8    // decoys made of each value kept
	decoyMin  = 100  // values needed before the data decides
)

// decoyKinds are the kinds decoys are made for, in the read state's order.
var decoyKinds = [...]canon.Kind{canon.Phone, canon.NationalID, canon.Passport, canon.DriverLicence, canon.NameBirthDate}

// keptValues keeps the canonical forms of a kind's values whose hashes are
// the smallest: at most decoyKeep, each hash once. Values offered go to
// pending first and are sorted into e decoyKeep at a time (settle), so an
// offer costs a comparison and, when kept, an append: inserting each into
// e in order moved half of e every time.
type keptValues struct {
	e       []keptValue // in hash order, settled
	pending []keptValue // offered since the last settle, in offer order
}

type keptValue struct {
	hash uint64
	form []byte // the canonical form (for name+birth_date, canon.AppendNameBirthDate's)
}

// find looks a hash up among the settled values.
func (n *keptValues) find(hash uint64) (int, bool) {
	return slices.BinarySearchFunc(n.e, hash, func(x keptValue, h uint64) int { return cmp.Compare(x.hash, h) })
}

// add offers a value (hash and form); the form is copied when it may be
// kept.
func (n *keptValues) add(hash uint64, form []byte) {
	if len(n.e) == decoyKeep && hash > n.e[len(n.e)-1].hash {
		return
	}
	n.pending = append(n.pending, keptValue{hash: hash, form: bytes.Clone(form)})
	if len(n.pending) == decoyKeep {
		n.settle()
	}
}

// settle sorts the pending values into e: the decoyKeep smallest hashes of
// both, each once. Where two forms share a hash, the smaller form is kept,
// whatever the order they came in.
func (n *keptValues) settle() {
	if len(n.pending) == 0 {
		return
	}
	byValue := func(a, b keptValue) int { return cmp.Or(cmp.Compare(a.hash, b.hash), bytes.Compare(a.form, b.form)) }
	slices.SortFunc(n.pending, byValue)
	out := make([]keptValue, 0, min(decoyKeep, len(n.e)+len(n.pending)))
	i, j := 0, 0
	for len(out) < decoyKeep && (i < len(n.e) || j < len(n.pending)) {
		var x keptValue
		if j == len(n.pending) || i < len(n.e) && byValue(n.e[i], n.pending[j]) <= 0 {
			x = n.e[i]
			i++
		} else {
			x = n.pending[j]
			j++
		}
		if len(out) == 0 || out[len(out)-1].hash != x.hash {
			out = append(out, x)
		}
	}
	n.e, n.pending = out, nil
}

// merge adds o's values to n's (sharing their forms, which nothing
// changes).
func (n *keptValues) merge(o *keptValues) {
	o.settle()
	n.pending = append(n.pending, o.e...)
	n.settle()
}

// decoys returns the hashes of kind k's decoys (see above), none of them a
// kept value's. Nil when too few values were kept for the data to decide.
func (n *keptValues) decoys(k canon.Kind, region canon.Region, h *fingerprint.Hasher) []uint64 {
	n.settle()
	if len(n.e) < decoyMin {
		return nil
	}
	var out []uint64
	var buf []byte
	keep := func(form []byte) {
		d := h.Sum64(k, form)
		if _, real := n.find(d); !real {
			out = append(out, d)
		}
	}
	if k == canon.NameBirthDate {
		split := func(f []byte) (name, date []byte) {
			i := bytes.IndexByte(f, 0)
			return f[:i], f[i+1:]
		}
		for i, x := range n.e {
			name, own := split(x.form)
			for m := 1; m <= min(decoysPer, len(n.e)-1); m++ {
				if _, date := split(n.e[(i+m)%len(n.e)].form); !bytes.Equal(date, own) {
					buf = canon.AppendNameBirthDate(buf[:0], name, date)
					keep(buf)
				}
			}
		}
		return out
	}
	drawn := 5
	if k == canon.Phone {
		drawn = 7
	}
	for _, x := range n.e {
		for m := range decoysPer {
			if form, ok := redraw(k, region, x.form, drawn, x.hash+uint64(m)*0x9e3779b97f4a7c15); ok {
				keep(form)
			}
		}
	}
	return out
}

// redraw returns form with its last n digits drawn from seed, canonical
// and valid under region; for a national ID, the last digit (or two) then
// tried until the check passes. ok is false when form does not end in n
// digits, or no such value is valid.
func redraw(k canon.Kind, region canon.Region, form []byte, n int, seed uint64) (out []byte, ok bool) {
	if len(form) < n {
		return nil, false
	}
	d := bytes.Clone(form)
	tail := d[len(d)-n:]
	for i := range tail {
		if tail[i] < '0' || tail[i] > '9' {
			return nil, false
		}
		seed = splitmix(seed)
		tail[i] = '0' + byte(seed%10)
	}
	try := func() ([]byte, bool) {
		v, st := canon.Append(nil, k, string(d), canon.Options{Region: region})
		return v, st == canon.Valid
	}
	if v, ok := try(); ok || k != canon.NationalID {
		return v, ok
	}
	for c := range 110 { // the check digit made right, or the last two (an INN's)
		if c >= 10 && n < 2 {
			break
		}
		if c < 10 {
			tail[n-1] = '0' + byte(c)
		} else {
			tail[n-2], tail[n-1] = '0'+byte((c-10)/10), '0'+byte((c-10)%10)
		}
		if v, ok := try(); ok {
			return v, true
		}
	}
	return nil, false
}

// splitmix is SplitMix64's step: a well-mixed 64-bit sequence from a seed.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// decoyChance is the share of decoys a filter holds beyond its false
// positives: the chance that a value of the sample is found in it though
// no record of the source holds it.
func decoyChance(f *fingerprint.Filter, decoys []uint64) float64 {
	if f == nil || len(decoys) == 0 {
		return 0
	}
	hits := 0
	for _, d := range decoys {
		if f.Has(d) {
			hits++
		}
	}
	fpr := f.FalsePositiveRate()
	return clamp01((float64(hits)/float64(len(decoys)) - fpr) / (1 - fpr))
}

// measureChance sets, before the scorers settle their expectations, each
// source's chance of every decoy kind from the decoys of the values every
// scorer kept, where there are enough.
func measureChance(tallies []*scorer) {
	sc := tallies[0].scoring
	for i, k := range decoyKinds {
		all := &keptValues{}
		for _, t := range tallies {
			all.merge(&t.kept[i])
		}
		decoys := all.decoys(k, sc.region, sc.hasher)
		for si, src := range sc.cat.Sources {
			f := sc.filters[si][k]
			if f == nil {
				continue
			}
			c := chanceRate(k, sc.region, src.Field(k).DistinctCount())
			if decoys != nil {
				c = decoyChance(f, decoys)
			}
			sc.chanceK[si][k] = c
		}
	}
}
