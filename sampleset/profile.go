package sampleset

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/axiomhq/hyperloglog"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// Profile summarises a whole input: how it was read and, per column, what
// it holds. Its JSON form is part of the CLI contract (leakprov profile).
type Profile struct {
	Path string `json:"path"`
	Info
	Columns []ColumnProfile `json:"columns"`
}

// ColumnProfile summarises one column.
type ColumnProfile struct {
	canon.Column
	// Valid is the share of non-empty values whose canonical form is
	// valid (canon.Append returns Valid) under the column's DateOrder and
	// the detected region; 0 when all are empty.
	Valid float64 `json:"valid"`
	// Distinct estimates the number of distinct values (HyperLogLog) over
	// their canonical form, or the trimmed value when it has none.
	Distinct uint64 `json:"distinct"`
	// Empty counts empty (or all-space) values.
	Empty int64 `json:"empty"`
}

// ReadProfile reads r (a member's Reader, for one) to the end and profiles
// it. (It is not named Profile because the type is.) Bad records are
// skipped or fail as r.SkipBad says; reading stops with ctx's error when
// ctx is done.
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
	norm := canon.NewNormaliser(r.Info().Region, cols)
	for rec, err := range r.All(ctx) {
		if err != nil {
			return nil, err
		}
		vals, _ := norm.Normalise(rec)
		for i, v := range vals {
			a := &accs[i]
			switch {
			case v.Status == canon.Empty:
				a.empty++
				continue
			case v.Status == canon.Valid:
				a.valid++
			}
			a.nonEmpty++
			if v.Status.Hashable() {
				a.hll.Insert(v.Form)
			} else {
				a.hll.Insert([]byte(strings.TrimSpace(rec[i])))
			}
		}
	}
	p := &Profile{Path: r.Name, Info: r.Info(), Columns: make([]ColumnProfile, len(cols))}
	for i, c := range cols {
		a := accs[i]
		cp := ColumnProfile{Column: c, Distinct: a.hll.Estimate(), Empty: a.empty}
		if a.nonEmpty > 0 {
			cp.Valid = float64(a.valid) / float64(a.nonEmpty)
		}
		p.Columns[i] = cp
	}
	return p, nil
}

// WriteText writes the profile for a terminal. (Its JSON form is the CLI
// contract.)
func (p *Profile) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", untrusted.Text(p.Path))
	how := string(p.Format)
	if p.Format == Delimited {
		how += " " + strconv.Quote(p.Delimiter)
	}
	if p.Compression != "" {
		how += ", " + p.Compression
	}
	region := string(p.Region)
	if region == "" {
		region = "-"
	}
	fmt.Fprintf(&b, "  %s, %s, header %v, region %s\n", how, p.Encoding, p.HasHeader, region)
	fmt.Fprintf(&b, "  %d records, %d skipped\n\n", p.Records, p.Skipped)
	fmt.Fprintf(&b, "  %-32s %-16s %7s %10s %8s\n", "column", "kind", "valid", "distinct", "empty")
	for _, c := range p.Columns {
		fmt.Fprintf(&b, "  %-32s %-16s %6.1f%% %10d %8d\n", untrusted.Text(c.Name), c.Kind, 100*c.Valid, c.Distinct, c.Empty)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Profiles is the profiles of an input's members, or of several inputs'.
// Its JSON form, {"files": [...]}, is part of the CLI contract (leakprov
// profile of anything but one plain file).
type Profiles struct {
	Files []*Profile `json:"files"`
}

// WriteText writes the profiles one after another, a blank line between.
func (ps *Profiles) WriteText(w io.Writer) error {
	for i, p := range ps.Files {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := p.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}
