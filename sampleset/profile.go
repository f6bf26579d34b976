package sampleset

import (
	"context"
	"io"
	"strings"

	"github.com/axiomhq/hyperloglog"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Profile summarises a whole input: how it was read and, per column, what
// it holds. Its JSON form is part of the CLI contract (leakprov profile).
type Profile struct {
	Path        string          `json:"path"`
	Format      Format          `json:"format"`
	Delimiter   string          `json:"delimiter"`
	Encoding    string          `json:"encoding"`
	Compression string          `json:"compression"`
	HasHeader   bool            `json:"has_header"`
	Records     int64           `json:"records"`
	Skipped     int64           `json:"skipped"`
	Region      canon.Region    `json:"region"`
	Columns     []ColumnProfile `json:"columns"`
}

// ColumnProfile summarises one column.
type ColumnProfile struct {
	Name string     `json:"name"`
	Kind canon.Kind `json:"kind"`
	// Valid is the share of non-empty values whose canonical form is
	// valid (canon.Append returns Valid) under the column's
	// DateOrder and the detected region; 0 when all are empty.
	Valid float64 `json:"valid"`
	// Distinct estimates the number of distinct values (HyperLogLog) over
	// their canonical form, or the trimmed value when it has none.
	Distinct uint64 `json:"distinct"`
	// Empty counts empty (or all-space) values.
	Empty int64 `json:"empty"`
}

// ReadProfile reads r to the end and profiles it. (It is not named Profile
// because the type is.) Bad records are skipped or fail as r.SkipBad says;
// ctx is checked every few hundred records.
func ReadProfile(ctx context.Context, r *Reader) (*Profile, error) {
	cols, err := r.Columns()
	if err != nil {
		return nil, err
	}
	type acc struct {
		nonEmpty, valid, empty int64
		hll                    *hyperloglog.Sketch
	}
	accs := make([]acc, len(cols))
	for i := range accs {
		accs[i].hll = hyperloglog.New14()
	}
	region := r.Info().Region
	var buf []byte
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for i, c := range cols {
			if c.Index < 0 || c.Index >= len(rec) {
				continue
			}
			a := &accs[i]
			v := strings.TrimSpace(rec[c.Index])
			if v == "" {
				a.empty++
				continue
			}
			a.nonEmpty++
			var st canon.Status
			buf, st = canon.Append(buf[:0], c.Kind, v, canon.Options{Region: region, DateOrder: c.DateOrder})
			if st == canon.Valid {
				a.valid++
			}
			if !st.Hashable() {
				buf = append(buf[:0], v...)
			}
			a.hll.Insert(buf)
		}
	}
	info := r.Info()
	p := &Profile{
		Path:        r.Name,
		Format:      info.Format,
		Delimiter:   info.Delimiter,
		Encoding:    info.Encoding,
		Compression: info.Compression,
		HasHeader:   info.HasHeader,
		Records:     info.Records,
		Skipped:     info.Skipped,
		Region:      info.Region,
		Columns:     make([]ColumnProfile, len(cols)),
	}
	for i, c := range cols {
		a := accs[i]
		cp := ColumnProfile{Name: c.Name, Kind: c.Kind, Distinct: a.hll.Estimate(), Empty: a.empty}
		if a.nonEmpty > 0 {
			cp.Valid = float64(a.valid) / float64(a.nonEmpty)
		}
		p.Columns[i] = cp
	}
	return p, nil
}
