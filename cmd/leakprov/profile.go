package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakprov/leakprov/sampleset"
)

// profileText writes a profile for a terminal.
func profileText(w io.Writer, p *sampleset.Profile) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", p.Path)
	how := string(p.Format)
	if p.Format == sampleset.Delimited {
		how += " " + strconv.Quote(p.Delimiter)
	}
	if p.Compression != "" {
		how += ", " + p.Compression
	}
	fmt.Fprintf(&b, "  %s, %s, header %v, region %s\n", how, p.Encoding, p.HasHeader, orDash(string(p.Region)))
	fmt.Fprintf(&b, "  %d records, %d skipped\n\n", p.Records, p.Skipped)
	fmt.Fprintf(&b, "  %-32s %-16s %7s %10s %8s\n", "column", "kind", "valid", "distinct", "empty")
	for _, c := range p.Columns {
		fmt.Fprintf(&b, "  %-32s %-16s %6.1f%% %10d %8d\n", c.Name, c.Kind, 100*c.Valid, c.Distinct, c.Empty)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
