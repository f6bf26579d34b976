package sampleset

import (
	"context"
	"io"
	"iter"

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
