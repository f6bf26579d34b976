package index

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// MaxCapacityRatio is how many times the records read a fixed capacity
// may be when Options.CheckCapacity is set. A shard's capacity is the
// whole dump's distinct values, which a hundred shards of one dump stay
// under; more than that is most likely a typo, and costs filters mostly
// empty (a capacity of 10^12 asks for 128 GiB per kind).
const MaxCapacityRatio = 100

// distinctSlack is the share by which a kind's distinct count may pass the
// capacity before CheckCapacity refuses it: the count is a HyperLogLog
// estimate, about 1% off, and a filter that holds 2% more values than it
// was sized for is still within a few tenths of its false-positive rate.
const distinctSlack = 0.02

// maxListedColumns bounds the columns an ErrNoIdentifiers error lists.
const maxListedColumns = 12

// checkIdentifiers refuses an input none of whose columns identifies a
// person: no strong kind, and no name with a birth date.
func checkIdentifiers(name string, cols []canon.Column, region canon.Region) error {
	var named, born bool
	for _, c := range cols {
		switch {
		case c.Kind.Strong():
			return nil
		case c.Kind == canon.Name || c.Kind.IsNamePart():
			named = true
		case c.Kind == canon.BirthDate:
			born = true
		}
	}
	if named && born {
		return nil
	}
	var list strings.Builder
	for i, c := range cols {
		if i == maxListedColumns {
			fmt.Fprintf(&list, ", and %d more", len(cols)-i)
			break
		}
		if i > 0 {
			list.WriteString(", ")
		}
		sc := c.Shareable(i, region) // a header that is really a record names no one
		list.WriteString(strconv.Quote(sc.Name) + " " + sc.Kind.String())
	}
	return fmt.Errorf("%s: %w: none holds a phone, email, national_id, passport, driver_licence, or a name with a birth_date, "+
		"so none of its records could ever be matched (columns: %s)", name, ErrNoIdentifiers, list.String())
}

// checkRecords refuses, before the filters are made, a capacity over
// MaxCapacityRatio times the records of the inputs.
func (bl *build) checkRecords(inputs []fingerprint.Input) error {
	c := bl.o.Capacity
	if !bl.o.CheckCapacity || c == 0 {
		return nil
	}
	var records uint64
	for _, in := range inputs {
		records += in.Records
	}
	if records > math.MaxUint64/MaxCapacityRatio || c <= MaxCapacityRatio*records {
		return nil
	}
	fpr := bl.o.FPR
	if fpr == 0 {
		fpr = fingerprint.DefaultFPR
	}
	// At least the bytes of a classic Bloom filter of c values at fpr.
	size := float64(c) * -math.Log(fpr) / (math.Ln2 * math.Ln2) / 8
	return fmt.Errorf("%w: %d is over %d times the %d records read: each kind's filter would take at least %s, nearly all of it empty; "+
		"give the distinct values of the whole dump (for one build, leave the capacity out)",
		ErrCapacity, c, MaxCapacityRatio, records, byteSize(size))
}

// checkDistinct refuses a signature built with a fixed capacity that one
// of its kinds, or its pairs, exceeds.
func (bl *build) checkDistinct(sig *fingerprint.Signature) error {
	c := bl.o.Capacity
	if !bl.o.CheckCapacity || c == 0 {
		return nil
	}
	check := func(what string, distinct, capacity uint64, f *fingerprint.Filter, need uint64) error {
		if f == nil || float64(distinct) <= float64(capacity)*(1+distinctSlack) {
			return nil
		}
		return fmt.Errorf("%w: %s holds about %d distinct values, more than %d: its filter would answer yes to %.2g of values never added (built for %g); "+
			"use a capacity of at least %d", ErrCapacity, what, distinct, capacity, f.FalsePositiveRate(), sig.Meta.FPR, need)
	}
	for _, f := range sig.Fields {
		d := f.DistinctCount()
		if err := check(f.Kind.String(), d, c, f.Filter, d+d/10); err != nil {
			return err
		}
	}
	// The pair filter holds 3×Capacity pairs.
	p := sig.PairsDistinct.Estimate()
	return check("the pair filter", p, 3*c, sig.Pairs, (p+p/10)/3+1)
}

// byteSize writes a size in bytes with a binary unit.
func byteSize(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return strconv.FormatFloat(b, 'f', 1, 64) + " " + units[i]
}
