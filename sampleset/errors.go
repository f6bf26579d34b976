package sampleset

import (
	"errors"
	"fmt"
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
	// ErrJSON means a JSON line is not one well-formed JSON object.
	ErrJSON = errors.New("sampleset: invalid JSON line")
	// ErrUnknownEncoding means Reader.Encoding names no supported encoding.
	ErrUnknownEncoding = errors.New("sampleset: unknown encoding")
	// ErrConfig means a Reader field holds an unusable value.
	ErrConfig = errors.New("sampleset: bad reader configuration")
)

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
