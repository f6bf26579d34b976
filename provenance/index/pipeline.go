package index

import (
	"context"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// pipeline reads recs, calling seen with every record in order, while a
// worker for each fork canonicalises, hashes and adds the records to its
// fork. The forks' state does not depend on which worker got which record.
func (bl *build) pipeline(ctx context.Context, recs sampleset.Records, region canon.Region, cols []canon.Column, seen func([]string)) error {
	encs := make([]*fingerprint.Encoder, len(bl.forks))
	hashed := make([][]fingerprint.Hashed, len(bl.forks))
	for w := range encs {
		encs[w] = fingerprint.NewEncoder(bl.h, region, cols)
	}
	return sampleset.Process(ctx, recs, len(bl.forks), seen, func(w int, rec []string) error {
		hashed[w] = encs[w].Encode(hashed[w][:0], rec)
		return bl.forks[w].Add(hashed[w])
	})
}
