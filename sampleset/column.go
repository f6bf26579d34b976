package sampleset

import (
	"strings"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Column describes one column of a dump: where it is, what it is called and
// what kind of field it holds.
type Column struct {
	// Index is the column's position in the records [Reader.Read] returns.
	Index int
	// Name is the header text; for JSON lines, the dotted key path; for a
	// file without a header, "column N" with N counted from 1.
	Name string
	// Kind is the detected (or mapped) field kind.
	Kind canon.Kind
	// DateOrder reads the column's ambiguous dates (birth_date only).
	DateOrder canon.DateOrder
}

// Fields appends the typed, non-empty values of rec to dst. Name parts
// (last, first, middle name columns) are assembled into one Name field when
// the record has no whole-name column; columns of kind Other are left out.
func Fields(dst []fingerprint.Field, cols []Column, rec []string) []fingerprint.Field {
	hasName := false
	for _, c := range cols {
		if c.Kind == canon.Name && c.Index < len(rec) && strings.TrimSpace(rec[c.Index]) != "" {
			hasName = true
		}
	}
	var parts [3]string
	for _, c := range cols {
		if c.Index >= len(rec) {
			continue
		}
		v := strings.TrimSpace(rec[c.Index])
		if v == "" || c.Kind == canon.Other {
			continue
		}
		switch c.Kind {
		case canon.LastName:
			parts[0] = v
			continue
		case canon.FirstName:
			parts[1] = v
			continue
		case canon.MiddleName:
			parts[2] = v
			continue
		}
		dst = append(dst, fingerprint.Field{Kind: c.Kind, Value: v, DateOrder: c.DateOrder})
	}
	if !hasName && (parts[0] != "" || parts[1] != "" || parts[2] != "") {
		var b strings.Builder
		for _, p := range parts {
			if p == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(p)
		}
		dst = append(dst, fingerprint.Field{Kind: canon.Name, Value: b.String()})
	}
	return dst
}
