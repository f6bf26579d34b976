package sampleset

import "github.com/leakprov/leakprov/fingerprint"

// DetectOptions configure [DetectColumns].
type DetectOptions struct {
	// Region resolves national formats; "" infers it from the values.
	Region fingerprint.Region
	// Map forces kinds: keys are column names, or 1-based column numbers
	// written in decimal ("3").
	Map map[string]fingerprint.Kind
}

// Detection is what [DetectColumns] found.
type Detection struct {
	Columns []Column
	// Region is the region given, or the one inferred from the values ("" if
	// none could be).
	Region fingerprint.Region
}

// DetectColumns decides each column's kind from its header name (if any)
// and from the values in rows; values win when they disagree (STUB).
func DetectColumns(names []string, hasHeader bool, rows [][]string, o DetectOptions) Detection {
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Column{Index: i, Name: n}
	}
	return Detection{Columns: cols, Region: o.Region}
}

// SniffHeader reports whether first, the first record of a delimited file,
// is a header rather than data, judging by rest, the records after it (STUB).
func SniffHeader(first []string, rest [][]string) bool { return true }
