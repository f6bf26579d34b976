package sampleset

import (
	"errors"
	"fmt"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Sentinel errors. A bad record is reported as a [*ParseError] whose Err
// wraps one of these, so check them with errors.Is.
var (
	// ErrRecordTooLarge means a record is longer than Reader.MaxRecordBytes.
	ErrRecordTooLarge = errors.New("sampleset: record too large")
	// ErrTooManyFields means a record has more than Reader.MaxFields fields
	// (for JSON lines: the file has more distinct keys than that).
	ErrTooManyFields = errors.New("sampleset: too many fields")
	// ErrFieldCount means a delimited record's field count differs from the
	// number of columns.
	ErrFieldCount = errors.New("sampleset: wrong number of fields")
	// ErrQuote means a quoted field is never closed, or its closing quote is
	// followed by something other than a delimiter or the end of the line.
	ErrQuote = errors.New("sampleset: bad quote")
	// ErrBinary means the input, or a record of it, holds binary data (NUL
	// bytes or mostly control characters) rather than text.
	ErrBinary = errors.New("sampleset: binary data")
	// ErrEncoding means a record holds bytes that are not valid in the
	// input's encoding (invalid UTF-8 in a file detected or declared UTF-8).
	ErrEncoding = errors.New("sampleset: invalid text encoding")
	// ErrJSON means a JSON record (a JSON line, or an element of a JSON
	// array) is not one well-formed JSON object, or a JSON array is broken
	// between its elements.
	ErrJSON = errors.New("sampleset: invalid JSON")
	// ErrUnknownEncoding means Reader.Encoding names no supported encoding.
	ErrUnknownEncoding = errors.New("sampleset: unknown encoding")
	// ErrAmbiguousEncoding means the input is in a Cyrillic code page but
	// which one cannot be told from its first bytes; Reader.Encoding
	// (--encoding) must name it. Like an I/O error it is not a
	// *ParseError, and it sticks.
	ErrAmbiguousEncoding = errors.New("sampleset: ambiguous encoding")
	// ErrSQL means a SQL dump is malformed: an unterminated string or
	// comment, unbalanced parentheses, or something other than a tuple
	// where the tuples of an INSERT statement are.
	ErrSQL = errors.New("sampleset: malformed SQL")
	// ErrXLSX means an XLSX workbook is malformed: not a zip archive, a
	// part it needs missing, bad XML, or a cell that cannot be read.
	ErrXLSX = errors.New("sampleset: malformed XLSX workbook")
	// ErrConfig means a Reader field holds an unusable value.
	ErrConfig = errors.New("sampleset: bad reader configuration")
)

// Errors of containers, checkable with errors.Is; they come wrapped in a
// [*MemberError] naming the container or member.
var (
	// ErrLimit means a container exceeds one of the Opener's [Limits].
	ErrLimit = errors.New("sampleset: container limit exceeded")
	// ErrUnsafeName means an archive entry's name is absolute or climbs
	// out of the archive with "..".
	ErrUnsafeName = errors.New("sampleset: unsafe name in archive")
	// ErrArchive means a compressed stream or an archive is malformed.
	ErrArchive = errors.New("sampleset: malformed archive or compressed stream")
	// ErrNoMembers means the inputs hold no table-like member at all (an
	// empty directory, an archive of images).
	ErrNoMembers = errors.New("sampleset: no table in the input")
)

// ErrRegion is wrapped by a *RegionError.
var ErrRegion = errors.New("sampleset: the region given does not fit the values")

// RegionError is returned by a Reader given a Region (without
// ForceRegion) whose rules read a column's phones or national IDs as
// invalid where the region the values point to reads them as valid: every
// value of that column would be misread, and scores against sources of the
// right region would be wrong without a word. It unwraps to ErrRegion.
type RegionError struct {
	File   string // Reader.Name
	Column string
	Kind   canon.Kind // what Detected reads the column as
	// Region is the region given, Valid the share of the column's values
	// valid as Kind under it; DetectedValid the share under Detected.
	Region        canon.Region
	Valid         float64
	Detected      canon.Region
	DetectedValid float64
}

func (e *RegionError) Error() string {
	return fmt.Sprintf("column %q: %.0f%% of its values are valid %s under region %s, %.0f%% under %s, which the values point to: the region given does not fit the dump",
		e.Column, 100*e.Valid, e.Kind, e.Region, 100*e.DetectedValid, e.Detected)
}

func (e *RegionError) Unwrap() error { return ErrRegion }

// ParseError is a bad record: where it is and what is wrong with it. The
// reader stays usable after a ParseError: the next Read continues with the
// record after the bad one.
type ParseError struct {
	// File is Reader.Name, the input's name ("" if unnamed).
	File string
	// Line is the 1-based line where the bad record starts (for a quote
	// error, the line of the record holding the opening quote).
	Line int
	// Column is the 1-based field number the error is about, or 0 when it
	// concerns the whole record.
	Column int
	// Err is the cause; it wraps one of the sentinel errors.
	Err error
}

// Error formats the error as "file:line:column: cause", leaving out the
// parts that are unknown.
func (e *ParseError) Error() string {
	name := e.File
	if name == "" {
		name = "input"
	}
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d: field %d: %v", name, e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", name, e.Line, e.Err)
}

// Unwrap returns the cause, so errors.Is(err, ErrQuote) works.
func (e *ParseError) Unwrap() error { return e.Err }

// MemberError is an error about one member of an input, or about the
// container holding it: Path names it as [Member.Path] does.
type MemberError struct {
	Path string
	Err  error
}

// Error formats the error as "path: cause".
func (e *MemberError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause, so errors.Is(err, ErrLimit) works.
func (e *MemberError) Unwrap() error { return e.Err }
