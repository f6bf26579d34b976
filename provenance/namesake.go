package provenance

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Namesakes. Two people who share a name and a birth date are not one
// person, and how often they do depends on the population: names without
// patronymics, or birth dates piled on 1 January where the day was not
// known, make namesakes common, and a constant value space for the pair
// cannot know. The chance that a sample's name+birth_date is found in a
// source by a namesake is measured on the sample itself, by a permutation
// null: the names of the sample's records paired with other records'
// birth dates are pairs of the sample's own names and dates that belong
// to no record, and the share of them a source's filter holds (less its
// false positives) is the share of namesakes it holds for such people.
//
// The pairs are drawn from the namesakeKeep records whose pair hashes are
// the smallest, which any split of the records among workers or machines
// agrees on; each name is paired with the dates of the namesakeDecoys
// records after it in hash order, so the decoys, and the chance, are the
// same however the sample was read.

// Sizes of the permutation null (variables for the tests).
var (
	namesakeKeep   = 2048 // records kept
	namesakeDecoys = 8    // decoys made of each record's name
	namesakeMin    = 100  // records needed before the data decides
)

// namesakes keeps the name+birth_date forms of the records whose pair
// hashes are the smallest: at most namesakeKeep, each hash once.
type namesakes struct {
	e []namesake // in hash order
}

type namesake struct {
	hash uint64
	form []byte // canon.AppendNameBirthDate's: name, 0, date
}

// add offers a record's pair (hash and form); the form is copied when kept.
func (n *namesakes) add(hash uint64, form []byte) {
	if len(n.e) == namesakeKeep && hash >= n.e[len(n.e)-1].hash {
		return
	}
	i, found := slices.BinarySearchFunc(n.e, hash, func(x namesake, h uint64) int { return cmp.Compare(x.hash, h) })
	if found {
		return
	}
	if len(n.e) == namesakeKeep {
		n.e = n.e[:len(n.e)-1]
	}
	n.e = slices.Insert(n.e, i, namesake{hash: hash, form: bytes.Clone(form)})
}

// merge adds o's records to n's.
func (n *namesakes) merge(o *namesakes) {
	for _, x := range o.e {
		n.add(x.hash, x.form)
	}
}

// decoys returns the hashes of the pairs no record of the kept ones is:
// each record's name with the dates of the namesakeDecoys records after it
// (in hash order, around), less those that are a kept record's own pair.
// Nil when too few records were kept for the data to decide.
func (n *namesakes) decoys(h *fingerprint.Hasher) []uint64 {
	k := len(n.e)
	if k < namesakeMin {
		return nil
	}
	split := func(f []byte) (name, date []byte) {
		i := bytes.IndexByte(f, 0)
		return f[:i], f[i+1:]
	}
	var out []uint64
	var buf []byte
	for i, x := range n.e {
		name, own := split(x.form)
		for m := 1; m <= min(namesakeDecoys, k-1); m++ {
			_, date := split(n.e[(i+m)%k].form)
			if bytes.Equal(date, own) {
				continue
			}
			buf = canon.AppendNameBirthDate(buf[:0], name, date)
			d := h.Sum64(canon.NameBirthDate, buf)
			if _, real := slices.BinarySearchFunc(n.e, d, func(x namesake, h uint64) int { return cmp.Compare(x.hash, h) }); !real {
				out = append(out, d)
			}
		}
	}
	return out
}

// namesakeChance is the share of decoys a filter holds beyond its false
// positives: the chance that a sample's name+birth_date is found in it by
// a namesake.
func namesakeChance(f *fingerprint.Filter, decoys []uint64) float64 {
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

// measureNamesakes sets, before the scorers settle their expectations,
// each source's chance of a namesake from the decoys of the records every
// scorer kept: the larger of it and the value space's.
func measureNamesakes(tallies []*scorer) {
	all := &namesakes{}
	for _, t := range tallies {
		all.merge(&t.names)
	}
	sc := tallies[0].scoring
	decoys := all.decoys(sc.hasher)
	for si, src := range sc.cat.Sources {
		if f := sc.filters[si][canon.NameBirthDate]; f != nil {
			space := chanceRate(canon.NameBirthDate, sc.region, src.Field(canon.NameBirthDate).DistinctCount())
			sc.chanceK[si][canon.NameBirthDate] = max(space, namesakeChance(f, decoys))
		}
	}
}
