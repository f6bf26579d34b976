package sampleset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/regular"
)

// ErrChanged is wrapped by the error of a [Range] read after its file
// changed: its size or modification time is not what they were when the
// range was cut.
var ErrChanged = errors.New("sampleset: the file changed since it was split")

// Range is a run of whole records of a plain delimited file: those that
// start in bytes [Offset, End) of it, to be read apart from the rest of
// the file ([Range.NewReader]), by another goroutine, process or machine,
// exactly as the Reader that read the whole file read them: same
// encoding, delimiter, columns and limits. [Member.Ranges] cuts a file
// into ranges. A Range is a value: it may be copied, and used
// concurrently; MarshalBinary and UnmarshalBinary carry it between
// processes.
type Range struct {
	path       string
	offset     int64 // the byte the first record starts at
	end        int64 // the byte after the last record
	line       int   // the line the first record starts on
	size       int64 // the file's size and modification time when it was cut
	modTime    time.Time
	encoding   string
	comma      byte
	quotes     bool
	maxSplit   int
	maxBytes   int
	maxFields  int
	skipBad    bool
	hasHeader  bool
	region     canon.Region
	columns    []canon.Column
	dateOrders []canon.DateOrder
}

// Path returns the path of the range's file, as given to the Opener.
func (rg Range) Path() string { return rg.path }

// Offset and End return the bytes of the file the range's records take:
// [Offset, End).
func (rg Range) Offset() int64 { return rg.offset }

// End: see Offset.
func (rg Range) End() int64 { return rg.end }

// Line returns the line the range's first record starts on.
func (rg Range) Line() int { return rg.line }

// String names the range in logs: "users.csv bytes 0-1048576 (line 2)".
func (rg Range) String() string {
	return fmt.Sprintf("%s bytes %d-%d (line %d)", rg.path, rg.offset, rg.end, rg.line)
}

// splittable reports whether the member is a plain delimited file that
// can be cut into ranges: its own bytes, read whole, uncompressed, in
// UTF-8 or a single-byte code page, so that every byte of it is one line
// break or none and any line may be decoded apart.
func (m *Member) splittable() bool {
	r := m.Reader
	return m.plain != "" && r.info.Format == Delimited && r.info.Compression == "" && r.table == nil &&
		r.delim != nil && (r.enc.utf8 || r.enc.table != nil)
}

// Ranges reads the member's records to the end and cuts them into ranges
// of about size bytes (at least one record each) at record boundaries, in
// order. A record may span lines (a quoted field with line breaks): the
// cuts are made where the Reader itself started a record, never inside
// one, so that the ranges' records, read apart, are the member's records.
// It returns nil, and reads no further, when the member is not a plain
// delimited file that can be cut: a compressed file, an archive's entry,
// a table, JSON, UTF-16 or a multi-byte code page other than UTF-8.
//
// The member's Reader, SHA256 and Info are those of a member read to the
// end: call SHA256 for its hash, Info for its counts. Ranges fails with
// the Reader's error (a bad record when SkipBad is off) or ctx's.
func (m *Member) Ranges(ctx context.Context, size int64) ([]Range, error) {
	if !m.splittable() {
		return nil, nil
	}
	size = max(size, 1)
	r := m.Reader
	// The lines of every step-th record are kept, at most 2×maxCuts of
	// them (the step doubles, every other one dropped, when they are
	// more): cuts fall among them, at most a step of records past size.
	var lines []int
	step, n := 1, 0
	for _, err := range r.All(ctx) {
		if err != nil {
			return nil, err
		}
		if n%step == 0 {
			if len(lines) == 2*maxCuts {
				for i := range maxCuts {
					lines[i] = lines[2*i]
				}
				lines, step = lines[:maxCuts], 2*step
			}
			if n%step == 0 {
				lines = append(lines, r.line)
			}
		}
		n++
	}
	if _, _, err := m.SHA256(); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return []Range{}, nil
	}
	f, fi, err := regular.Open(m.plain)
	if err != nil {
		return nil, &MemberError{Path: m.Path, Err: err}
	}
	defer f.Close()
	if fi.Size() != m.Bytes() {
		return nil, &MemberError{Path: m.Path, Err: fmt.Errorf("%w: %d bytes read, %d now", ErrChanged, m.Bytes(), fi.Size())}
	}
	offsets, err := lineOffsets(f, lines)
	if err != nil {
		return nil, &MemberError{Path: m.Path, Err: err}
	}
	if lines[0] == 1 && len(r.enc.bom) > 0 {
		// The Reader dropped the byte order mark before the first line.
		var head [4]byte
		n, _ := f.ReadAt(head[:len(r.enc.bom)], 0)
		if bytes.Equal(head[:n], r.enc.bom) {
			offsets[0] = int64(n)
		}
	}
	// Cut at the first record kept, then at each record kept size bytes
	// or more past the last cut.
	cuts, cutLines := []int64{offsets[0]}, []int{lines[0]}
	for i := 1; i < len(lines); i++ {
		if offsets[i]-cuts[len(cuts)-1] >= size {
			cuts, cutLines = append(cuts, offsets[i]), append(cutLines, lines[i])
		}
	}
	tmpl := Range{path: m.plain, size: fi.Size(), modTime: fi.ModTime(), encoding: r.enc.name,
		comma: r.delim.(*delimParser).comma, quotes: r.delim.(*delimParser).quotes, maxSplit: r.delim.(*delimParser).maxSplit,
		maxBytes: r.MaxRecordBytes, maxFields: r.MaxFields, skipBad: r.SkipBad, hasHeader: r.info.HasHeader,
		region: r.info.Region, columns: make([]canon.Column, len(r.cols)), dateOrders: make([]canon.DateOrder, len(r.cols))}
	for i, c := range r.cols {
		tmpl.columns[i], tmpl.dateOrders[i] = c, c.DateOrder
	}
	out := make([]Range, len(cuts))
	for i := range cuts {
		rg := tmpl
		rg.offset, rg.line, rg.end = cuts[i], cutLines[i], fi.Size()
		if i+1 < len(cuts) {
			rg.end = cuts[i+1]
		}
		out[i] = rg
	}
	return out, nil
}

// maxCuts is about how many records Ranges keeps as places to cut: up to
// twice as many, evenly spaced.
const maxCuts = 1 << 16

// lineOffsets returns the byte offset at which each of lines (ascending,
// 1-based) starts in f.
func lineOffsets(f io.Reader, lines []int) ([]int64, error) {
	out := make([]int64, 0, len(lines))
	br := bufio.NewReaderSize(f, bufferSize)
	line, pos := 1, int64(0)
	for _, want := range lines {
		for line < want {
			chunk, err := br.ReadSlice('\n')
			pos += int64(len(chunk))
			switch err {
			case nil:
				line++
			case bufio.ErrBufferFull:
			case io.EOF:
				return nil, fmt.Errorf("%w: line %d is past the end", ErrChanged, want)
			default:
				return nil, err
			}
		}
		out = append(out, pos)
	}
	return out, nil
}

// NewReader returns a Reader of the range's records, read from f, the
// range's file (opened by the caller, who closes it): records numbered
// from the range's first line in errors, aligned with the columns of the
// whole file (Columns returns them, and Info its format, encoding and
// region, with Records and Skipped those of the range). Set ReuseRecord
// on it if wanted; its other fields are the whole file's Reader's. Reading
// fails with an error wrapping ErrChanged if f's size or modification time
// are not what they were when the range was cut.
func (rg Range) NewReader(f *os.File) *Reader {
	r := &Reader{Name: rg.path, Format: Delimited, Encoding: rg.encoding, Comma: rune(rg.comma), Header: HeaderAbsent,
		Region: rg.region, ForceRegion: true, MaxRecordBytes: rg.maxBytes, MaxFields: rg.maxFields, SkipBad: rg.skipBad,
		started: true, decided: true}
	r.info = Info{Format: Delimited, Encoding: rg.encoding, HasHeader: rg.hasHeader, Region: rg.region}
	if rg.comma != '\n' {
		r.info.Delimiter = string(rune(rg.comma))
	}
	r.cols = make([]canon.Column, len(rg.columns))
	for i, c := range rg.columns {
		c.DateOrder = rg.dateOrders[i]
		r.cols[i] = c
	}
	r.ncols = len(r.cols)
	fi, err := f.Stat()
	switch {
	case err != nil:
		r.err = fmt.Errorf("sampleset: %s: %w", rg.path, err)
		return r
	case fi.Size() != rg.size || !fi.ModTime().Equal(rg.modTime):
		r.err = fmt.Errorf("%w: %s: %d bytes modified %s, %d bytes modified %s when split",
			ErrChanged, rg.path, fi.Size(), fi.ModTime().UTC().Format(time.RFC3339Nano), rg.size, rg.modTime.UTC().Format(time.RFC3339Nano))
		return r
	}
	if r.enc, err = lookupEncoding(rg.encoding); err != nil {
		r.err = err
		return r
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, rg.offset, rg.end-rg.offset), bufferSize)
	r.lr = newLineReader(br, r.enc.table)
	r.lr.nextLine = rg.line
	r.delim = &delimParser{lr: r.lr, comma: rg.comma, quotes: rg.quotes, maxSplit: rg.maxSplit,
		maxBytes: rg.maxBytes, maxFields: rg.maxFields, checkUTF8: r.enc.utf8}
	return r
}

// rangeVersion is the version of Range's binary encoding.
const rangeVersion = 1

// rangeJSON is Range's binary encoding: JSON, led by a version.
type rangeJSON struct {
	Version    int            `json:"v"`
	Path       string         `json:"path"`
	Offset     int64          `json:"offset"`
	End        int64          `json:"end"`
	Line       int            `json:"line"`
	Size       int64          `json:"size"`
	ModTime    time.Time      `json:"mtime"`
	Encoding   string         `json:"encoding"`
	Comma      byte           `json:"comma"`
	Quotes     bool           `json:"quotes"`
	MaxSplit   int            `json:"max_split"`
	MaxBytes   int            `json:"max_bytes"`
	MaxFields  int            `json:"max_fields"`
	SkipBad    bool           `json:"skip_bad"`
	HasHeader  bool           `json:"has_header"`
	Region     canon.Region   `json:"region"`
	Columns    []canon.Column `json:"columns"`
	DateOrders []int          `json:"date_orders"`
}

// MarshalBinary encodes the range.
func (rg Range) MarshalBinary() ([]byte, error) {
	orders := make([]int, len(rg.dateOrders))
	for i, o := range rg.dateOrders {
		orders[i] = int(o)
	}
	return json.Marshal(rangeJSON{Version: rangeVersion, Path: rg.path, Offset: rg.offset, End: rg.end, Line: rg.line,
		Size: rg.size, ModTime: rg.modTime, Encoding: rg.encoding, Comma: rg.comma, Quotes: rg.quotes, MaxSplit: rg.maxSplit,
		MaxBytes: rg.maxBytes, MaxFields: rg.maxFields, SkipBad: rg.skipBad, HasHeader: rg.hasHeader, Region: rg.region,
		Columns: rg.columns, DateOrders: orders})
}

// ErrRangeEncoding is wrapped by UnmarshalBinary's errors.
var ErrRangeEncoding = errors.New("sampleset: bad range encoding")

// UnmarshalBinary decodes a range MarshalBinary encoded, checking every
// field before it sets the receiver.
func (rg *Range) UnmarshalBinary(data []byte) error {
	var j rangeJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: %v", ErrRangeEncoding, err)
	}
	switch {
	case j.Version != rangeVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrRangeEncoding, j.Version, rangeVersion)
	case j.Path == "":
		return fmt.Errorf("%w: no path", ErrRangeEncoding)
	case j.Offset < 0 || j.End < j.Offset || j.Size < j.End || j.Line < 1:
		return fmt.Errorf("%w: bytes %d-%d of %d at line %d", ErrRangeEncoding, j.Offset, j.End, j.Size, j.Line)
	case j.Comma == 0 || j.Comma == '"' || j.Comma == '\r' || j.Comma >= 0x80:
		return fmt.Errorf("%w: delimiter %q", ErrRangeEncoding, j.Comma)
	case j.MaxBytes <= 0 || j.MaxFields <= 0 || j.MaxSplit < 0:
		return fmt.Errorf("%w: limits %d bytes, %d fields, split %d", ErrRangeEncoding, j.MaxBytes, j.MaxFields, j.MaxSplit)
	case len(j.Columns) == 0 || len(j.Columns) > j.MaxFields || len(j.DateOrders) != len(j.Columns):
		return fmt.Errorf("%w: %d columns, %d date orders", ErrRangeEncoding, len(j.Columns), len(j.DateOrders))
	}
	if _, err := lookupEncoding(j.Encoding); err != nil {
		return fmt.Errorf("%w: %w", ErrRangeEncoding, err)
	}
	for _, c := range j.Columns {
		if !c.Kind.Valid() {
			return fmt.Errorf("%w: column %q of kind %d", ErrRangeEncoding, c.Name, c.Kind)
		}
	}
	orders := make([]canon.DateOrder, len(j.DateOrders))
	for i, o := range j.DateOrders {
		if o < 0 || o > int(canon.MonthFirst) {
			return fmt.Errorf("%w: date order %d", ErrRangeEncoding, o)
		}
		orders[i] = canon.DateOrder(o)
	}
	*rg = Range{path: j.Path, offset: j.Offset, end: j.End, line: j.Line, size: j.Size, modTime: j.ModTime,
		encoding: j.Encoding, comma: j.Comma, quotes: j.Quotes, maxSplit: j.MaxSplit, maxBytes: j.MaxBytes,
		maxFields: j.MaxFields, skipBad: j.SkipBad, hasHeader: j.HasHeader, region: j.Region,
		columns: j.Columns, dateOrders: orders}
	return nil
}
