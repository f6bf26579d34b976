package fingerprint

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leakprov/leakprov/internal/untrusted"
)

// Description is what `leakprov inspect` shows of a signature: its
// metadata, whether it may be shared, and per kind its counts, sketch sizes
// and filter. Its JSON form is part of the CLI contract.
type Description struct {
	Meta Metadata `json:"meta"`
	// SHA256 is the SHA-256 of the signature file as read (see
	// Signature.FileSHA256), the figure reports cite; "" when not read
	// from a file.
	SHA256     string            `json:"sha256,omitempty"`
	DoNotShare bool              `json:"do_not_share"`
	Warning    string            `json:"warning,omitempty"`
	Kinds      []KindDescription `json:"kinds"`
	Pairs      *FilterStats      `json:"pairs,omitempty"`
}

// KindDescription describes the sketch of one kind.
type KindDescription struct {
	Kind        string       `json:"kind"`
	Values      uint64       `json:"values"`
	Valid       uint64       `json:"valid"`
	CheckFailed uint64       `json:"check_failed"`
	Distinct    uint64       `json:"distinct"`
	MinHash     int          `json:"minhash"`
	MinDate     string       `json:"min_date,omitempty"`
	MaxDate     string       `json:"max_date,omitempty"`
	Filter      *FilterStats `json:"filter,omitempty"`
}

// FilterStats describes a filter: its layout ("blocked" or "classic"),
// size, hash-function count, the share of bits set and the false-positive
// rate those bits give.
type FilterStats struct {
	Layout string  `json:"layout"`
	Bits   uint64  `json:"bits"`
	K      uint32  `json:"k"`
	Fill   float64 `json:"fill"`
	FPR    float64 `json:"fpr"`
}

func filterStats(f *Filter) *FilterStats {
	if f == nil {
		return nil
	}
	layout := "classic"
	if f.Blocked() {
		layout = "blocked"
	}
	return &FilterStats{Layout: layout, Bits: f.Bits(), K: f.K(), Fill: f.Fill(), FPR: f.FalsePositiveRate()}
}

// doNotShareWarning is the Description's warning for unkeyed signatures.
const doNotShareWarning = "unkeyed signature: anyone holding this file can test whether a guessed value (a phone number, an ID) is in the dump. Do not share it outside your team; use --key-file for signatures that leave it."

// Describe returns the description of s.
func (s *Signature) Describe() *Description {
	d := &Description{Meta: s.Meta, SHA256: s.FileSHA256(), Pairs: filterStats(s.Pairs), Kinds: []KindDescription{}}
	if s.Meta.HashMode == Unkeyed {
		d.DoNotShare, d.Warning = true, doNotShareWarning
	}
	for _, f := range s.Fields {
		d.Kinds = append(d.Kinds, KindDescription{Kind: f.Kind.String(), Values: f.Values, Valid: f.Valid,
			CheckFailed: f.CheckFailed, Distinct: f.DistinctCount(), MinHash: len(f.MinHash),
			MinDate: f.MinDate, MaxDate: f.MaxDate, Filter: filterStats(f.Filter)})
	}
	return d
}

// WriteText writes the description for a terminal. (Its JSON form is the
// CLI contract.)
func (d *Description) WriteText(w io.Writer) error {
	var b strings.Builder
	m := d.Meta
	text := untrusted.Text
	fmt.Fprintf(&b, "%s (snapshot %s)\n", text(m.Name), orDash(m.Snapshot))
	if m.Description != "" {
		fmt.Fprintf(&b, "  description: %s\n", text(m.Description))
	}
	if m.URL != "" {
		fmt.Fprintf(&b, "  url: %s\n", text(m.URL))
	}
	if d.SHA256 != "" {
		fmt.Fprintf(&b, "  file sha256 %s\n", text(d.SHA256))
	}
	fmt.Fprintf(&b, "  created %s by %s; normaliser v%d; hashing %s", m.Created.Format(time.RFC3339), text(m.Tool), m.CanonVersion, m.HashMode)
	if m.KeyID != "" {
		fmt.Fprintf(&b, " key %s", m.KeyID)
	}
	fmt.Fprintf(&b, "\n  region %s; %d records (%d skipped); fpr %g; capacity %d; MinHash scale 1/%d\n",
		orDash(string(m.Region)), m.Records, m.Skipped, m.FPR, m.Capacity, m.MinHashScale)
	if d.DoNotShare {
		fmt.Fprintf(&b, "  DO NOT SHARE: %s\n", d.Warning)
	}
	for _, in := range m.Inputs {
		fmt.Fprintf(&b, "  input %s sha256 %s, %d records (%d skipped), %s %s\n", text(in.Path), text(in.SHA256), in.Records, in.Skipped, text(in.Format), text(in.Encoding))
		for _, c := range in.Columns {
			fmt.Fprintf(&b, "    %-30s %s\n", text(c.Name), c.Kind)
		}
	}
	fmt.Fprintf(&b, "  %-16s %10s %10s %10s %10s %12s %6s\n", "kind", "values", "valid", "distinct", "minhash", "filter bits", "fpr")
	for _, k := range d.Kinds {
		bits, fpr := uint64(0), 0.0
		if k.Filter != nil {
			bits, fpr = k.Filter.Bits, k.Filter.FPR
		}
		fmt.Fprintf(&b, "  %-16s %10d %10d %10d %10d %12d %6.0e", k.Kind, k.Values, k.Valid, k.Distinct, k.MinHash, bits, fpr)
		if k.MinDate != "" {
			fmt.Fprintf(&b, "  dates %s..%s", k.MinDate, k.MaxDate)
		}
		b.WriteByte('\n')
	}
	if d.Pairs != nil {
		fmt.Fprintf(&b, "  pairs: %d bits, k %d, fill %.4f, fpr %.1e\n", d.Pairs.Bits, d.Pairs.K, d.Pairs.Fill, d.Pairs.FPR)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
