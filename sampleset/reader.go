package sampleset

import (
	"errors"
	"fmt"
	"io"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Format is the layout of a dump.
type Format string

// Formats.
const (
	Delimited Format = "delimited"
	JSONLines Format = "jsonl"
	// XLSX is a sheet of an XLSX workbook.
	XLSX Format = "xlsx"
	// JSONArray is JSON text other than one object a line: top-level
	// arrays of objects, each element a record ("mongoexport --jsonArray"),
	// and objects spread over lines (pretty-printed), read as a stream.
	JSONArray Format = "json"
	// SQLDump is a table of a mysqldump or pg_dump file (INSERT statements
	// or COPY blocks).
	SQLDump Format = "sql"
)

// HeaderMode says whether the first record of a delimited file names the
// columns.
type HeaderMode uint8

const (
	// HeaderAuto decides with [SniffHeader].
	HeaderAuto HeaderMode = iota
	// HeaderPresent takes the first record as the header.
	HeaderPresent
	// HeaderAbsent takes every record as data; columns are named
	// "column 1", "column 2", ...
	HeaderAbsent
)

// Defaults of the Reader's limits.
const (
	DefaultMaxRecordBytes = 1 << 20
	DefaultMaxFields      = 4096
	DefaultSniffRecords   = 1000
)

// sniffWindow is how many bytes of the input decide its encoding and
// format; sniffBudget bounds the bytes of records held for sniffing.
const (
	sniffWindow = 64 << 10
	bufferSize  = 64 << 10
	sniffBudget = 4 << 20
)

// Info describes a file as read so far. Its JSON form is part of a
// [Profile]'s.
type Info struct {
	Format      Format       `json:"format"`      // one of the Format constants: "delimited", "jsonl", "json", ...
	Delimiter   string       `json:"delimiter"`   // "," ";" "\t" "|" ":" for delimited files; "" for one column
	Encoding    string       `json:"encoding"`    // e.g. "utf-8", "utf-16le", "windows-1251", "koi8-u", "ibm866", "iso-8859-5", "x-mac-cyrillic", "ibm855"
	Compression string       `json:"compression"` // "" or "gzip"
	HasHeader   bool         `json:"has_header"`
	Records     int64        `json:"records"` // records returned so far
	Skipped     int64        `json:"skipped"` // bad records skipped (SkipBad)
	Region      canon.Region `json:"region"`
	// ExtraKeys counts JSON values dropped because their key was not among
	// the columns (keys first seen after the sniffed records);
	// ExtraKeyNames lists the first few such keys.
	ExtraKeys     int64    `json:"extra_keys,omitempty"`
	ExtraKeyNames []string `json:"extra_key_names,omitempty"`
}

// maxExtraKeyNames bounds Info.ExtraKeyNames.
const maxExtraKeyNames = 16

// Reader reads records from a dump: delimited text, JSON lines or JSON
// text (arrays of objects), plain or gzip-compressed, in UTF-8, UTF-16 or
// a Cyrillic code page. Set its fields before the first call of Read or
// Columns; zero values mean "detect" or the default.
//
// Delimited text is read as encoding/csv reads it (with LazyQuotes off),
// but for two things. A quote inside a field that does not start with one
// (ab"c, ООО "Ромашка") is kept as it is, with any delimiter and in every
// record, where encoding/csv reports ErrBareQuote: leaked dumps are full
// of them. And a record is never shorter or longer than the columns: it is
// bad (ErrFieldCount). A line ending in "\r\n" loses both, the input's
// last line a final "\r" (as in encoding/csv); other carriage returns are
// data.
//
// JSON records are objects; nested objects are flattened to "a.b" keys,
// arrays kept as their compact JSON text, and MongoDB extended JSON
// wrappers, as mongoexport writes them ({"$oid": ...}, {"$date": ...},
// {"$numberLong": ...}, ...), replaced by the value they wrap: "_id", not
// "_id.$oid" (wrappers inside arrays are kept as written). A JSON array
// is read element by element, never whole.
//
// The first call of Read or Columns sniffs the input: it reads up to
// SniffRecords records (and at most a few MiB) ahead, which Read then
// returns before going on with the stream. Memory use is bounded by the
// limits, not by the input's length.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	// Name names the input in errors, usually its path.
	Name string
	// Encoding forces the text encoding: "utf-8", "utf-16le", "utf-16be",
	// "utf-16" (by its byte order mark, else big-endian), "windows-1251"
	// or "cp1251", "koi8-u", "koi8-r", "cp866" or "ibm866", "iso-8859-5",
	// "x-mac-cyrillic", "cp855" or "ibm855", or any other WHATWG label or
	// IANA name golang.org/x/text can decode ("Shift_JIS", "GB18030",
	// "csKOI8R", ...), in any letter case; "" detects it. An unknown name
	// fails with ErrUnknownEncoding.
	//
	// Detection reads the first 64 KiB: byte order marks, UTF-16 without
	// one, UTF-8, and else the Cyrillic code pages Windows-1251, KOI8-U,
	// CP866, ISO-8859-5, Mac Cyrillic and CP855, told apart by how
	// Cyrillic-like each decoding looks. When two of them read those
	// bytes as different text and neither is clearly more likely, the
	// Reader fails with ErrAmbiguousEncoding rather than guess.
	Encoding string
	// Format forces the format; "" detects it.
	Format Format
	// Comma forces the delimiter of a delimited file (an ASCII character
	// other than a quote or line break); 0 detects it. With ':' quotes are
	// not special and the last column takes the rest of the line, as
	// email:password lists need.
	Comma rune
	// Header says whether a delimited file's first record is a header.
	Header HeaderMode
	// Region, Map: see DetectOptions. A Region whose rules misread a
	// column's phones or national IDs that the values' own region reads
	// (fewer than half as many valid, where that region reads at least 80%)
	// makes the Reader fail with a *RegionError, unless ForceRegion.
	Region      canon.Region
	Map         map[string]canon.Kind
	ForceRegion bool
	// MaxRecordBytes limits one record's size (default 1 MiB).
	MaxRecordBytes int
	// MaxFields limits the number of fields in a record (default 4096).
	MaxFields int
	// SkipBad counts and skips bad records instead of failing.
	SkipBad bool
	// SniffRecords is how many records are read ahead to detect the
	// header and the columns' kinds (default 1000).
	SniffRecords int
	// ReuseRecord lets Read return a slice sharing its backing array with
	// the one the previous call returned, saving an allocation per record.
	// The strings themselves are never reused.
	ReuseRecord bool

	src       io.Reader
	started   bool
	err       error        // sticky: a configuration, I/O or decompression error
	regionErr *RegionError // set by detect: the Region given misreads a column

	info   Info
	enc    textEncoding
	lr     *lineReader
	delim  rowReader // a *delimParser, or a table's rows
	table  *table    // set for a table of a SQL dump or a sheet
	jsonp  *jsonParser
	cols   []canon.Column
	ncols  int
	keyIdx map[string]int
	extra  map[string]struct{}

	pending []sniffed // records read ahead by the sniff
	decided bool      // the header and columns are known
	rows    [][]string
	kvRows  [][]keyValue
	names   []string
	budget  int
	last    []string // the slice Read returned last (ReuseRecord)
	line    int      // the line the record Read returned last starts on
}

// sniffed is a record (or a bad one) read ahead.
type sniffed struct {
	rec  []string
	kvs  []keyValue
	line int
	err  error
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader { return &Reader{src: r} }

// rowReader yields records already split into fields, each with the
// 1-based line (or row) it starts at; io.EOF at the end, a *ParseError for
// a bad record, any other error for one that stops the reading.
type rowReader interface {
	read(dst []string) (rec []string, line int, err error)
}

// table is an input that comes split into records and fields by its own
// format, a SQL dump's table or a workbook's sheet, rather than as text
// for the Reader to decode and split.
type table struct {
	format   Format
	encoding string    // recorded in Info.Encoding
	header   []string  // the column names; nil: find the header as in a delimited file
	rows     rowReader // the records (the header row too when header is nil)
	// ragged: records may leave out trailing empty fields (a sheet's row
	// ends at its last non-empty cell): they are padded to the columns.
	ragged bool
}

// newTableReader returns a Reader of t's records, named name.
func newTableReader(name string, t *table) *Reader { return &Reader{Name: name, table: t} }

// Columns returns the columns, sniffing the input first if needed. It fails
// on an I/O error, on binary input, and, when SkipBad is off, while the
// first record is bad (call Read to pass over it).
func (r *Reader) Columns() ([]canon.Column, error) {
	if err := r.start(); err != nil {
		return nil, err
	}
	for !r.decided && r.SkipBad {
		// Only bad records were read ahead so far: skip them.
		r.info.Skipped += int64(len(r.pending))
		clear(r.pending)
		r.pending = r.pending[:0]
		if err := r.readAhead(); err != nil {
			return nil, err
		}
	}
	if !r.decided {
		// The sniff stopped at a bad record before any good one (and
		// SkipBad is off): report it. Read returns it too, and goes on.
		err := r.pending[0].err
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = r.Name
		}
		return nil, err
	}
	return r.cols, nil
}

// Info describes the input as read so far.
func (r *Reader) Info() Info { return r.info }

// Read returns the next record, aligned with Columns, or io.EOF at the end.
// A bad record yields a *ParseError (or, with SkipBad, is counted in
// Info.Skipped and passed over); Read may be called again after one.
// Empty lines are not records and are passed over without being counted.
// A delimited record whose field count differs from the columns' is bad
// (ErrFieldCount): records are never padded or cut.
func (r *Reader) Read() ([]string, error) {
	if err := r.start(); err != nil {
		return nil, err
	}
	for {
		if len(r.pending) == 0 && !r.decided {
			if err := r.readAhead(); err != nil {
				return nil, err
			}
			continue
		}
		rec, kvs, line, err := r.next()
		if err == nil {
			rec, err = r.align(rec, kvs, line)
		}
		if err == nil {
			r.info.Records++
			r.line = line
			return rec, nil
		}
		var pe *ParseError
		if !errors.As(err, &pe) || err == r.err {
			return nil, err // the end, or an error that sticks
		}
		pe.File = r.Name
		if !r.SkipBad {
			return nil, err
		}
		r.info.Skipped++
	}
}

// next returns the next record read ahead, or else from the stream: the
// fields of a delimited record or the members of a JSON line.
func (r *Reader) next() ([]string, []keyValue, int, error) {
	if len(r.pending) > 0 {
		s := r.pending[0]
		r.pending[0] = sniffed{}
		r.pending = r.pending[1:]
		return s.rec, s.kvs, s.line, s.err
	}
	if r.err != nil {
		return nil, nil, 0, r.err
	}
	if r.jsonp != nil {
		kvs, line, err := r.jsonp.read()
		return nil, kvs, line, r.fatal(err)
	}
	var dst []string
	if r.ReuseRecord {
		dst = r.last
	}
	rec, line, err := r.delim.read(dst)
	return rec, nil, line, r.fatal(err)
}

// fit pads a ragged table's record that leaves out trailing empty fields
// to the columns, and drops trailing empty fields past them.
func (r *Reader) fit(rec []string) []string {
	if r.table == nil || !r.table.ragged || r.ncols == 0 {
		return rec
	}
	for len(rec) > r.ncols && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	for len(rec) < r.ncols {
		rec = append(rec, "")
	}
	return rec
}

// fatal makes a non-parse error other than io.EOF sticky.
func (r *Reader) fatal(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		if r.Name != "" {
			err = fmt.Errorf("sampleset: %s: %w", r.Name, err)
		} else {
			err = fmt.Errorf("sampleset: %w", err)
		}
		r.err = err
	}
	return err
}

// align turns a parsed record into one aligned with the columns.
func (r *Reader) align(rec []string, kvs []keyValue, line int) ([]string, error) {
	if r.jsonp == nil {
		rec = r.fit(rec)
		if len(rec) != r.ncols {
			return nil, &ParseError{Line: line,
				Err: fmt.Errorf("%w: %d fields, want %d", ErrFieldCount, len(rec), r.ncols)}
		}
		r.last = rec
		return rec, nil
	}
	if r.ReuseRecord && cap(r.last) >= r.ncols {
		rec = r.last[:r.ncols]
		clear(rec)
	} else {
		rec = make([]string, r.ncols)
	}
	for _, kv := range kvs {
		if i, ok := r.keyIdx[kv.key]; ok {
			rec[i] = kv.value
			continue
		}
		r.info.ExtraKeys++
		if _, seen := r.extra[kv.key]; !seen && len(r.extra) < maxExtraKeyNames {
			r.extra[kv.key] = struct{}{}
			r.info.ExtraKeyNames = append(r.info.ExtraKeyNames, kv.key)
		}
	}
	r.last = rec
	return rec, nil
}
