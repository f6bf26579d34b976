package fingerprint

import (
	"fmt"
	"math/bits"

	"github.com/axiomhq/hyperloglog"
)

// Distinct estimates how many distinct hashes a sketch was given: a dense
// HyperLogLog (github.com/axiomhq/hyperloglog, precision 14 by default), so
// that the estimate does not depend on the order of the hashes and sketches
// of shards merge exactly. It is not safe for concurrent writes; concurrent
// Estimate calls are safe.
type Distinct struct {
	sk *hyperloglog.Sketch
	// est is the estimate of a decoded sketch, computed once as it is
	// checked (known): an estimate reads every register.
	est   uint64
	known bool
}

// newDistinct returns an empty sketch of precision hllPrecision.
func newDistinct() *Distinct { return &Distinct{sk: hyperloglog.NewNoSparse()} }

// insert adds a hash.
func (d *Distinct) insert(h uint64) {
	d.known = false
	d.sk.InsertHash(h)
}

// Estimate returns the estimated number of distinct hashes.
func (d *Distinct) Estimate() uint64 {
	if d == nil || d.sk == nil {
		return 0
	}
	if d.known {
		return d.est
	}
	return d.sk.Estimate()
}

func (d *Distinct) clone() *Distinct {
	if d == nil {
		return nil
	}
	return &Distinct{sk: d.sk.Clone()}
}

// union returns the union of a and b, either of which may be nil.
func unionDistinct(a, b *Distinct) (*Distinct, error) {
	switch {
	case a == nil:
		return b.clone(), nil
	case b == nil:
		return a.clone(), nil
	}
	c := a.clone()
	if err := c.sk.Merge(b.sk); err != nil {
		return nil, fmt.Errorf("%w: distinct counts: %v", ErrIncompatible, err)
	}
	return c, nil
}

// hllPrecision is the precision of the sketches newDistinct makes.
const hllPrecision = 14

// registers are the registers of a dense HyperLogLog of precision 14 as a
// Builder fills them, the way hyperloglog's InsertHash does (a hash's
// register from its top 14 bits, its rank from the leading zeros of the
// rest, each register the largest rank it was given) without a call per
// hash. fold hands them to a sketch.
type registers [1 << hllPrecision]uint8

// insert adds a hash.
func (r *registers) insert(h uint64) {
	i := h >> (64 - hllPrecision)
	rho := uint8(bits.LeadingZeros64(h<<hllPrecision|1<<(hllPrecision-1))) + 1
	if rho > r[i] {
		r[i] = rho
	}
}

// merge takes the larger of each register of r and o into r.
func (r *registers) merge(o *registers) {
	for i, v := range o {
		r[i] = max(r[i], v)
	}
}

// fold inserts into d's sketch one hash for every register of r that was
// given any, of that register and rank, so that the sketch's registers are
// what inserting every hash given to r would have made them.
func (r *registers) fold(d *Distinct) {
	for i, rho := range r {
		if rho == 0 {
			continue
		}
		x := uint64(i) << (64 - hllPrecision)
		if rho <= 64-hllPrecision {
			x |= 1 << (64 - hllPrecision - rho)
		}
		d.sk.InsertHash(x)
	}
}
