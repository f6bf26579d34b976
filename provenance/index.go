package provenance

import (
	"context"
	"io"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/sampleset"
)

// Index adds every record of recs to b, canonicalised and hashed by enc:
// the loop behind `leakprov index`. Name parts are assembled into names
// (sampleset.Fields). It returns the columns it read, for the signature's
// metadata, and checks ctx every few thousand records.
func Index(ctx context.Context, b *fingerprint.Builder, enc *fingerprint.Encoder, recs Records) ([]sampleset.Column, error) {
	cols, err := recs.Columns()
	if err != nil {
		return nil, err
	}
	var fields []fingerprint.Field
	var hashed []fingerprint.Hashed
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := recs.Read()
		if err == io.EOF {
			return cols, nil
		}
		if err != nil {
			return nil, err
		}
		fields = sampleset.Fields(fields[:0], cols, rec)
		hashed = enc.Encode(hashed[:0], fields)
		if err := b.Add(hashed); err != nil {
			return nil, err
		}
	}
}
