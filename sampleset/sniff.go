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
)

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
	case err == r.err: // already made sticky, and named
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
	if t := r.table; t != nil {
		r.info.Format, r.info.Encoding, r.delim = t.format, t.encoding, t.rows
		if t.header != nil {
			r.Header = HeaderPresent
		}
		return r.readAhead()
	}
	if r.src == nil {
		return fmt.Errorf("%w: no input (use NewReader)", ErrConfig)
	}
	if r.Header > HeaderAbsent {
		return fmt.Errorf("%w: Header %d", ErrConfig, r.Header)
	}
	if r.Format != "" && r.Format != Delimited && r.Format != JSONLines && r.Format != JSONArray {
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
	} else if r.enc, err = detectEncoding(win, atEOF); err != nil {
		return err
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
	if r.info.Format == JSONLines || r.info.Format == JSONArray {
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
// '{' and holds a JSON object (or is too long to tell); JSON text
// (JSONArray) when the input starts with a JSON array of objects (empty,
// or its first element well-formed or cut off by the window) or with an
// object spread over lines; else delimited ("[ID];[Name]" is delimited).
func detectFormat(win []byte) Format {
	rest := win
	for len(rest) > 0 {
		line, text := rest, rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		cut := len(win) == sniffWindow // more input follows the window
		switch line[0] {
		case '[':
			if jsonArrayStart(bytes.TrimLeft(text, " \t\r\n"), cut) {
				return JSONArray
			}
			return Delimited
		case '{':
		default:
			return Delimited
		}
		if rest == nil && cut {
			return JSONLines // cut off by the window
		}
		if json.Valid(line) {
			return JSONLines
		}
		if jsonValueStart(bytes.TrimLeft(text, " \t\r\n"), cut) {
			return JSONArray // an object over several lines
		}
		return Delimited
	}
	return Delimited
}

// jsonArrayStart reports whether b starts with a JSON array of objects:
// '[' then ']', or an object followed by ',', ']' or '{' (or the end of b
// when cut is set: the element may be cut off there).
func jsonArrayStart(b []byte, cut bool) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return false
	}
	if !dec.More() {
		tok, err := dec.Token()
		return err == nil && tok == json.Delim(']') || cut && errors.Is(err, io.EOF)
	}
	if nextValueByte(b[dec.InputOffset():]) != '{' {
		return false
	}
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return cut && errors.Is(err, io.ErrUnexpectedEOF)
	}
	// Then ',', ']' or, as leniently read, the next object.
	rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")
	return len(rest) == 0 && cut || len(rest) > 0 && bytes.IndexByte([]byte(",]{"), rest[0]) >= 0
}

// jsonValueStart reports whether b starts with one well-formed JSON value,
// which may be cut off at the end of b when cut is set.
func jsonValueStart(b []byte, cut bool) bool {
	var raw json.RawMessage
	err := json.NewDecoder(bytes.NewReader(b)).Decode(&raw)
	return err == nil || cut && errors.Is(err, io.ErrUnexpectedEOF)
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

// sniffJSON prepares to read JSON lines or JSON text and reads records
// ahead.
func (r *Reader) sniffJSON() error {
	r.jsonp = newJSONParser(r.lr, r.MaxRecordBytes, r.MaxFields, r.enc.utf8, r.info.Format == JSONArray)
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
	if r.regionErr != nil {
		return r.fatal(r.regionErr)
	}
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
	if t := r.table; t != nil && t.ragged {
		// Pad the rows read ahead alike, so the header sniff sees columns.
		for _, row := range rows {
			n := len(row)
			for n > 0 && row[n-1] == "" {
				n--
			}
			r.ncols = max(r.ncols, n)
		}
		for i := range rows {
			rows[i] = r.fit(rows[i])
		}
	}
	if len(rows) == 0 {
		if t := r.table; t != nil && t.header != nil {
			r.info.HasHeader, r.ncols = true, len(t.header)
			r.detect(t.header, nil)
		}
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
	if r.table != nil && r.table.header != nil {
		names = r.table.header
	} else if r.info.HasHeader {
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
		if row = r.fit(row); len(row) == len(names) {
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
	if r.Region != "" && !r.ForceRegion {
		if e := checkRegion(names, r.info.HasHeader, rows, r.Region); e != nil {
			e.File = r.Name
			r.regionErr = e
		}
	}
}
