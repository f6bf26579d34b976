package sampleset

import (
	"context"
	"io"
	"iter"
	"sync"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Records is a stream of records with their columns: a [*Reader], or a
// [*Set] drawn from one. Indexing, scoring and profiling all read through
// it.
type Records interface {
	// Columns returns the columns the records are aligned with.
	Columns() ([]canon.Column, error)
	// All iterates over the records.
	All(ctx context.Context) iter.Seq2[[]string, error]
	// Info describes the input as read so far.
	Info() Info
}

// ctxCheckEvery is how many records pass between checks of the context.
const ctxCheckEvery = 1024

// All returns an iterator over the records Read returns: each with a nil
// error, until the input ends; or, once, the error that stops the reading
// (a bad record when SkipBad is off, an I/O error, or ctx's error, checked
// every thousand records or so). A record is valid until the next
// iteration when ReuseRecord is set.
func (r *Reader) All(ctx context.Context) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		for n := 0; ; n++ {
			if n%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					yield(nil, err)
					return
				}
			}
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}

// processBatch is how many records go to a worker of Process at a time.
const processBatch = 512

// batch is records copied out of the reader for a worker: record i's
// fields are fields[ends[i-1]:ends[i]].
type batch struct {
	fields []string
	ends   []int
}

// Process reads recs on the calling goroutine and hands the records, in
// batches, to workers goroutines: work(w, rec) runs on goroutine w (0 ≤ w <
// workers), never concurrently with another call for the same w, and rec
// is valid until it returns. Which worker gets which record is not fixed,
// so work must add up to the same whatever the split. seen, when not nil,
// is called on the calling goroutine with every record as it is read, in
// input order. Process returns the first error of the reading (ctx's
// included) or of a work call, which stops the reading.
func Process(ctx context.Context, recs Records, workers int, seen func(rec []string), work func(w int, rec []string) error) error {
	workers = max(workers, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan *batch, 2*workers)
	free := make(chan *batch, 3*workers)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for bt := range todo {
				for i, start := 0, 0; i < len(bt.ends) && errs[w] == nil; i++ {
					if err := work(w, bt.fields[start:bt.ends[i]:bt.ends[i]]); err != nil {
						errs[w] = err
						cancel() // the reading stops; what is queued is drained
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
		defer close(todo)
		bt := &batch{}
		for rec, err := range recs.All(ctx) {
			if err != nil {
				return err
			}
			if seen != nil {
				seen(rec)
			}
			bt.fields = append(bt.fields, rec...)
			bt.ends = append(bt.ends, len(bt.fields))
			if len(bt.ends) == processBatch {
				todo <- bt
				select {
				case bt = <-free:
					bt.fields, bt.ends = bt.fields[:0], bt.ends[:0]
				default:
					bt = &batch{}
				}
			}
		}
		if len(bt.ends) > 0 {
			todo <- bt
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
