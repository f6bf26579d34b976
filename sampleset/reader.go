package sampleset

import (
	"errors"
	"io"

	"github.com/leakprov/leakprov/fingerprint"
)

// Format is the layout of a dump.
type Format string

// Formats.
const (
	Delimited Format = "delimited"
	JSONLines Format = "jsonl"
)

// Info describes a file as read so far.
type Info struct {
	Format      Format
	Delimiter   string // "," ";" "\t" "|" ":" for delimited files
	Encoding    string // e.g. "utf-8", "windows-1251", "koi8-u"
	Compression string // "" or "gzip"
	HasHeader   bool
	Records     int64 // records returned so far
	Skipped     int64 // bad records skipped (SkipBad)
	Region      fingerprint.Region
}

// Reader reads records from a dump (STUB: the reader work replaces this).
type Reader struct {
	// Name names the input in errors, usually its path.
	Name string
	// Encoding forces the text encoding; "" detects it.
	Encoding string
	// Region, Map: see DetectOptions.
	Region fingerprint.Region
	Map    map[string]fingerprint.Kind
	// MaxRecordBytes limits one record's size (default 1 MiB).
	MaxRecordBytes int
	// MaxFields limits the number of fields in a record (default 4096).
	MaxFields int
	// SkipBad counts and skips bad records instead of failing.
	SkipBad bool
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader { return &Reader{} }

// Columns returns the columns, sniffing the input first if needed.
func (r *Reader) Columns() ([]Column, error) { return nil, errors.New("not implemented") }

// Read returns the next record, aligned with Columns, or io.EOF.
func (r *Reader) Read() ([]string, error) { return nil, io.EOF }

// Info describes the input as read so far.
func (r *Reader) Info() Info { return Info{} }
