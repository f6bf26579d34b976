package index

import (
	"context"
	"sync"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// batchRecords is how many records go to a worker at a time.
const batchRecords = 512

// batch is records copied out of the reader for a worker: record i's
// fields are fields[ends[i-1]:ends[i]].
type batch struct {
	fields []string
	ends   []int
}

// pipeline reads recs on this goroutine, calling seen with every record,
// while the workers canonicalise, hash and add them to their forks. The
// forks' state does not depend on which worker got which record. It stops
// at the first error, of the reader, of a worker, or of ctx.
func (bl *build) pipeline(ctx context.Context, recs sampleset.Records, region canon.Region, cols []canon.Column, seen func([]string)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *batch, 2*len(bl.forks))
	free := make(chan *batch, 3*len(bl.forks))
	var wg sync.WaitGroup
	errs := make([]error, len(bl.forks))
	for w, fork := range bl.forks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			enc := fingerprint.NewEncoder(bl.h, region, cols)
			var hashed []fingerprint.Hashed
			for bt := range work {
				for i, start := 0, 0; i < len(bt.ends) && errs[w] == nil; i++ {
					hashed = enc.Encode(hashed[:0], bt.fields[start:bt.ends[i]])
					if err := fork.Add(hashed); err != nil {
						errs[w] = err
						cancel() // the reader stops; the rest is drained
					}
					start = bt.ends[i]
				}
				select {
				case free <- bt:
				default:
				}
			}
		}()
	}
	readErr := func() error {
		defer close(work)
		bt := &batch{}
		for rec, err := range recs.All(ctx) {
			if err != nil {
				return err
			}
			seen(rec)
			bt.fields = append(bt.fields, rec...)
			bt.ends = append(bt.ends, len(bt.fields))
			if len(bt.ends) == batchRecords {
				work <- bt
				select {
				case bt = <-free:
					bt.fields, bt.ends = bt.fields[:0], bt.ends[:0]
				default:
					bt = &batch{}
				}
			}
		}
		if len(bt.ends) > 0 {
			work <- bt
		}
		return nil
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return readErr
}
