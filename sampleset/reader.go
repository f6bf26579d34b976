package sampleset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/text/transform"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Format is the layout of a dump.
type Format string

// Formats.
const (
	Delimited Format = "delimited"
	JSONLines Format = "jsonl"
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
	Format      Format       `json:"format"`
	Delimiter   string       `json:"delimiter"`   // "," ";" "\t" "|" ":" for delimited files; "" for one column
	Encoding    string       `json:"encoding"`    // e.g. "utf-8", "utf-16le", "windows-1251", "koi8-u", "ibm866"
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

// Reader reads records from a dump: delimited text or JSON lines, plain or
// gzip-compressed, in UTF-8, UTF-16 or a Cyrillic code page. Set its fields
// before the first call of Read or Columns; zero values mean "detect" or
// the default.
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
	// Encoding forces the text encoding ("utf-8", "utf-16le", "utf-16be",
	// "windows-1251" or "cp1251", "koi8-u", "koi8-r", "cp866" or "ibm866",
	// or any WHATWG label); "" detects it.
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
	// Region, Map: see DetectOptions.
	Region canon.Region
	Map    map[string]canon.Kind
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

	src     io.Reader
	started bool
	err     error // sticky: a configuration, I/O or decompression error

	info   Info
	enc    textEncoding
	lr     *lineReader
	delim  *delimParser
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
		return nil, r.pending[0].err
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

// start sniffs the input on the first call.
func (r *Reader) start() error {
	if r.started {
		return r.err
	}
	r.started = true
	err := r.sniff()
	var pe *ParseError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		pe.File = r.Name
	case errors.Is(err, ErrConfig), errors.Is(err, ErrUnknownEncoding):
	default:
		err = r.fatal(err)
	}
	r.err = err
	return err
}

// sniff detects compression, encoding, format, delimiter, header and
// columns, reading the first records ahead.
func (r *Reader) sniff() error {
	if r.MaxRecordBytes <= 0 {
		r.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if r.MaxFields <= 0 {
		r.MaxFields = DefaultMaxFields
	}
	if r.SniffRecords <= 0 {
		r.SniffRecords = DefaultSniffRecords
	}
	if r.src == nil {
		return fmt.Errorf("%w: no input (use NewReader)", ErrConfig)
	}
	if r.Header > HeaderAbsent {
		return fmt.Errorf("%w: Header %d", ErrConfig, r.Header)
	}
	if r.Format != "" && r.Format != Delimited && r.Format != JSONLines {
		return fmt.Errorf("%w: Format %q", ErrConfig, r.Format)
	}
	if r.Comma != 0 && (r.Comma >= 0x80 || r.Comma == '"' || r.Comma == '\r' || r.Comma == '\n' || r.Comma == 0) {
		return fmt.Errorf("%w: Comma %q", ErrConfig, r.Comma)
	}

	br := bufio.NewReaderSize(r.src, bufferSize)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		r.info.Compression = "gzip"
		br = bufio.NewReaderSize(gz, bufferSize)
	}
	win, err := br.Peek(sniffWindow)
	atEOF := err != nil
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}

	if r.Encoding != "" {
		r.enc, err = lookupEncoding(r.Encoding)
		if err != nil {
			return err
		}
	} else {
		r.enc = detectEncoding(win, atEOF)
	}
	r.info.Encoding = r.enc.name
	if len(r.enc.bom) > 0 && bytes.HasPrefix(win, r.enc.bom) {
		_, _ = br.Discard(len(r.enc.bom))
	}
	if r.enc.enc != nil {
		br = bufio.NewReaderSize(transform.NewReader(br, r.enc.enc.NewDecoder()), bufferSize)
	}
	win, err = br.Peek(sniffWindow)
	atEOF = err != nil
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return err
	}
	if isBinary(win) {
		return &ParseError{Line: 1, Err: fmt.Errorf("%w: the input is not text", ErrBinary)}
	}
	r.lr = newLineReader(br, r.enc.table)

	r.info.Format = r.Format
	if r.info.Format == "" {
		r.info.Format = detectFormat(win)
	}
	if r.info.Format == JSONLines {
		return r.sniffJSON()
	}
	return r.sniffDelimited(win, atEOF)
}

// isBinary reports whether the start of a decoded input is binary rather
// than text: control characters, NUL counting four times, make up more
// than one byte in twenty, and at least 16 of them. (A stray NUL in a text
// file is left for the record holding it to report.)
func isBinary(win []byte) bool {
	score := 0
	for _, c := range win {
		switch {
		case c == 0:
			score += 4
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1a, c == 0x7f:
			score++
		}
	}
	return score >= 16 && score*20 > len(win)
}

// detectFormat says JSON lines when the first non-blank line starts with
// '{' and holds a JSON object (or is too long to tell), else delimited.
func detectFormat(win []byte) Format {
	rest := win
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' {
			return Delimited
		}
		if rest == nil && len(win) == sniffWindow {
			return JSONLines // cut off by the window
		}
		if json.Valid(line) {
			return JSONLines
		}
		return Delimited
	}
	return Delimited
}

// sniffDelimited picks the delimiter and reads records ahead.
func (r *Reader) sniffDelimited(win []byte, atEOF bool) error {
	comma, maxSplit := byte(r.Comma), 0
	if comma == 0 {
		comma, maxSplit = sniffDelimiter(win, atEOF, r.SniffRecords)
	} else if comma == ':' {
		_, maxSplit = colonFit(win, atEOF, r.SniffRecords)
	}
	if comma != '\n' {
		r.info.Delimiter = string(rune(comma))
	}
	r.delim = &delimParser{
		lr:        r.lr,
		comma:     comma,
		quotes:    comma != ':',
		maxSplit:  maxSplit,
		maxBytes:  r.MaxRecordBytes,
		maxFields: r.MaxFields,
		checkUTF8: r.enc.utf8,
	}
	return r.readAhead()
}

// sniffJSON prepares to read JSON lines and reads records ahead.
func (r *Reader) sniffJSON() error {
	r.jsonp = &jsonParser{lr: r.lr, maxBytes: r.MaxRecordBytes, maxFields: r.MaxFields, checkUTF8: r.enc.utf8}
	r.keyIdx = make(map[string]int)
	r.extra = make(map[string]struct{})
	return r.readAhead()
}

// readAhead reads records ahead until it has SniffRecords good ones (or a
// few MiB of them), the input ends, or, when SkipBad is off, a record is
// bad; then it decides the header and columns, unless it stopped at a bad
// record before any good one: the next Read returns that record's error,
// and comes back here. Only an I/O error is returned.
func (r *Reader) readAhead() error {
	for len(r.rows)+len(r.kvRows) < r.SniffRecords && (r.budget < sniffBudget || len(r.rows)+len(r.kvRows) < 2) {
		var (
			rec  []string
			kvs  []keyValue
			line int
			err  error
		)
		if r.jsonp != nil {
			kvs, line, err = r.jsonp.read()
			if err == nil {
				kvs, err = r.addKeys(kvs, line)
			}
		} else {
			rec, line, err = r.delim.read(nil)
		}
		if err == io.EOF {
			break
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			if err := r.fatal(err); len(r.pending) == 0 && len(r.rows)+len(r.kvRows) == 0 {
				r.decided = true
				return err
			}
			break // delivered after the records read ahead
		}
		r.pending = append(r.pending, sniffed{rec: rec, kvs: kvs, line: line, err: err})
		if err != nil {
			if r.SkipBad && len(r.pending) < 2*r.SniffRecords {
				continue
			}
			if len(r.rows)+len(r.kvRows) == 0 {
				return nil // not decided yet
			}
			break
		}
		if kvs != nil {
			r.kvRows = append(r.kvRows, kvs)
			for _, kv := range kvs {
				r.budget += len(kv.key) + len(kv.value) + 32
			}
			continue
		}
		r.rows = append(r.rows, rec)
		for _, f := range rec {
			r.budget += len(f) + 16
		}
	}
	r.decide()
	return nil
}

// addKeys copies a JSON line's members read ahead and adds its new keys to
// the columns.
func (r *Reader) addKeys(kvs []keyValue, line int) ([]keyValue, error) {
	n := len(r.names)
	for _, kv := range kvs {
		if _, ok := r.keyIdx[kv.key]; ok {
			continue
		}
		if len(r.names) >= r.MaxFields {
			for _, k := range r.names[n:] {
				delete(r.keyIdx, k)
			}
			r.names = r.names[:n]
			return nil, &ParseError{Line: line,
				Err: fmt.Errorf("%w: over %d distinct keys", ErrTooManyFields, r.MaxFields)}
		}
		r.keyIdx[kv.key] = len(r.names)
		r.names = append(r.names, kv.key)
	}
	return append(make([]keyValue, 0, len(kvs)), kvs...), nil
}

// sniffHeader is SniffHeader; tests replace it.
var sniffHeader = SniffHeader

// decide settles the header and the columns from the records read ahead.
func (r *Reader) decide() {
	r.decided = true
	if r.jsonp != nil {
		r.info.HasHeader = true
		r.ncols = len(r.names)
		table := make([][]string, len(r.kvRows))
		for i, kvs := range r.kvRows {
			rec := make([]string, len(r.names))
			for _, kv := range kvs {
				rec[r.keyIdx[kv.key]] = kv.value
			}
			table[i] = rec
		}
		r.kvRows = nil
		r.detect(r.names, table)
		return
	}
	rows := r.rows
	r.rows = nil
	if len(rows) == 0 {
		return
	}
	switch r.Header {
	case HeaderPresent:
		r.info.HasHeader = true
	case HeaderAbsent:
		r.info.HasHeader = false
	default:
		r.info.HasHeader = sniffHeader(rows[0], rows[1:])
	}
	var names []string
	if r.info.HasHeader {
		names = rows[0]
		rows = rows[1:]
		// Drop the header from the records read ahead.
		for i, s := range r.pending {
			if s.err == nil {
				r.pending = append(r.pending[:i:i], r.pending[i+1:]...)
				break
			}
		}
	} else {
		names = make([]string, len(rows[0]))
		for i := range names {
			names[i] = "column " + strconv.Itoa(i+1)
		}
	}
	r.ncols = len(names)
	good := rows[:0:0]
	for _, row := range rows {
		if len(row) == len(names) {
			good = append(good, row)
		}
	}
	r.detect(names, good)
}

// detect runs DetectColumns.
func (r *Reader) detect(names []string, rows [][]string) {
	d := DetectColumns(names, r.info.HasHeader, rows, DetectOptions{Region: r.Region, Map: r.Map})
	r.cols = d.Columns
	r.info.Region = d.Region
}
