package fingerprint

import (
	"fmt"

	"github.com/axiomhq/hyperloglog"
)

// Distinct estimates how many distinct hashes a sketch was given: a dense
// HyperLogLog (github.com/axiomhq/hyperloglog, precision 14 by default), so
// that the estimate does not depend on the order of the hashes and sketches
// of shards merge exactly. It is not safe for concurrent writes; concurrent
// Estimate calls are safe.
type Distinct struct {
	sk *hyperloglog.Sketch
}

func newDistinct() *Distinct { return &Distinct{sk: hyperloglog.NewNoSparse()} }

// insert adds a hash.
func (d *Distinct) insert(h uint64) { d.sk.InsertHash(h) }

// Estimate returns the estimated number of distinct hashes.
func (d *Distinct) Estimate() uint64 {
	if d == nil || d.sk == nil {
		return 0
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
