package sampleset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// XLSX workbooks (Office Open XML spreadsheets, ECMA-376) are zip archives
// of XML parts. Each worksheet becomes a table, streamed row by row from
// its part with encoding/xml; the parts a sheet's cells refer to (the
// shared strings and the styles, which say which numbers are dates) are
// read first, whole, within xlsxLimits.maxPartBytes.
//
// Cells are read as stored, not as displayed:
//
//   - numbers keep every digit stored: "380501234567" and
//     "3.80501234567E+11" both read as 380501234567; other numbers read in
//     the shortest decimal form that means the same float64 ("0.1", never
//     "1E-1"). Excel itself keeps 15 significant digits of a number typed
//     in, so a 16-digit card number entered as a number in Excel is stored,
//     and read, with its last digit 0; files written by other programs
//     keep all the digits they stored;
//   - numbers whose cell style has a date or time number format read as
//     "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when the time of day is not
//     midnight (see serialDate);
//   - shared and inline strings as their text (rich-text runs joined,
//     phonetic runs left out, _xHHHH_ escapes decoded); booleans as TRUE or
//     FALSE; error values as stored ("#N/A"); formulas as their cached
//     value, or empty if none is stored;
//   - rows with no value are not records; a row ends at its last value
//     (the table is ragged) and keeps the empty cells before its first.

// Bounds of workbooks, beyond the caller's limits.
const (
	defaultMaxPartBytes = 256 << 20
	// maxWorkbookEntries bounds the zip entries of a workbook.
	maxWorkbookEntries = 100_000
	// maxXMLDepth bounds the nesting of XML elements in a part
	// (worksheets nest six deep).
	maxXMLDepth = 64
	// maxSheetColumns and maxSheetRows are Excel's own bounds (XFD,
	// 1048576).
	maxSheetColumns = 16384
	maxSheetRows    = 1 << 20
)

// xlsxLimits bounds what reading a workbook may cost. A zero field means
// its default.
type xlsxLimits struct {
	// maxBytes bounds the bytes inflated from the workbook's parts, all
	// the parts read together (default DefaultMaxBytes).
	maxBytes int64
	// maxPartBytes bounds one part read whole into memory: the workbook,
	// its relationships, the styles and the shared strings (default 256
	// MiB). Sheets are streamed, bounded by maxBytes and maxRatio only.
	maxPartBytes int64
	// maxRatio bounds the bytes a part may inflate to per byte stored,
	// once past its first MiB (default DefaultMaxRatio).
	maxRatio float64
	// maxRecordBytes and maxFields bound one row as the Reader's fields
	// of the same names bound a record (defaults DefaultMaxRecordBytes and
	// DefaultMaxFields).
	maxRecordBytes int
	maxFields      int
}

func (l xlsxLimits) withDefaults() xlsxLimits {
	if l.maxBytes <= 0 {
		l.maxBytes = DefaultMaxBytes
	}
	if l.maxPartBytes <= 0 {
		l.maxPartBytes = defaultMaxPartBytes
	}
	if l.maxRatio <= 0 {
		l.maxRatio = DefaultMaxRatio
	}
	if l.maxRecordBytes <= 0 {
		l.maxRecordBytes = DefaultMaxRecordBytes
	}
	if l.maxFields <= 0 {
		l.maxFields = DefaultMaxFields
	}
	return l
}

// tokenLimit bounds one XML token (a text or a tag) of a part, so that
// the XML decoder never buffers more: a cell's text beyond maxRecordBytes
// is a bad record, beyond twice that the part is refused.
func (l xlsxLimits) tokenLimit() int { return 2*l.maxRecordBytes + 64<<10 }

// oleMagic starts an OLE compound file: an encrypted workbook, or a
// legacy .xls one.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// workbook is an open XLSX file. It is not safe for concurrent use, but
// the tables of its sheets may be read at the same time as each other.
type workbook struct {
	name     string // the workbook's path, naming it in errors
	lim      xlsxLimits
	files    map[string]*zip.File // by xlsxPartName
	date1904 bool
	names    []string    // sheet names, in workbook order
	parts    []*zip.File // each sheet's part, nil when missing
	partName []string    // each sheet's part name
	dateXF   []bool      // cell style index → a date or time format
	sst      sharedStrings

	inflated atomic.Int64 // bytes inflated from all parts so far

	mu     sync.Mutex
	open   map[*sheetRows]struct{}
	closed bool
}

// xlsxPartName normalises a zip entry name for lookup: part names are
// case-insensitive, and some writers use backslashes.
func xlsxPartName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// isXLSX reports whether a zip archive, by its member names, is an XLSX
// workbook: it holds [Content_Types].xml and xl/workbook.xml.
func isXLSX(names []string) bool {
	var types, book bool
	for _, n := range names {
		switch xlsxPartName(n) {
		case "[content_types].xml":
			types = true
		case "xl/workbook.xml":
			book = true
		}
	}
	return types && book
}

// Relationship types end with these names, in both the transitional
// (schemas.openxmlformats.org) and strict (purl.oclc.org) namespaces.
const (
	relWorksheet     = "/worksheet"
	relStyles        = "/styles"
	relSharedStrings = "/sharedStrings"
)

// openWorkbook opens the XLSX workbook of size bytes in ra, named name in
// errors, and reads its sheet list, styles and shared strings. Its errors
// are *MemberErrors wrapping ErrXLSX for a malformed workbook and
// ErrLimit for one past lim.
func openWorkbook(name string, ra io.ReaderAt, size int64, lim xlsxLimits) (*workbook, error) {
	w := &workbook{name: name, lim: lim.withDefaults(), open: make(map[*sheetRows]struct{})}
	head := make([]byte, len(oleMagic))
	if n, _ := ra.ReadAt(head, 0); n == len(head) && bytes.Equal(head, oleMagic) {
		return nil, w.errorf(name, ErrXLSX, "an OLE compound file, not a zip archive: a password-protected workbook or a legacy .xls one, which cannot be read")
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, w.errorf(name, ErrXLSX, "not a zip archive: %w", err)
	}
	if len(zr.File) > maxWorkbookEntries {
		return nil, w.errorf(name, ErrLimit, "%d zip entries (at most %d)", len(zr.File), maxWorkbookEntries)
	}
	w.files = make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		if n := xlsxPartName(f.Name); w.files[n] == nil {
			w.files[n] = f
		}
	}
	if w.files["[content_types].xml"] == nil {
		return nil, w.errorf(name, ErrXLSX, "[Content_Types].xml is missing")
	}
	const bookPart = "xl/workbook.xml"
	type sheetRef struct{ name, rid string }
	var refs []sheetRef
	err = w.readPart(bookPart, true, func(p *xmlPart, el xml.StartElement) error {
		switch {
		case el.Name.Local == "workbookPr" && p.parent() == "workbook":
			w.date1904 = xmlBool(attr(el, "date1904"))
		case el.Name.Local == "sheet" && p.parent() == "sheets":
			ref := sheetRef{name: attr(el, "name")}
			for _, a := range el.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					ref.rid = a.Value
				}
			}
			refs = append(refs, ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	type rel struct{ typ, target string }
	rels := make(map[string]rel)
	var stylesPart, sstPart string // the first of their type
	err = w.readPart("xl/_rels/workbook.xml.rels", true, func(p *xmlPart, el xml.StartElement) error {
		if el.Name.Local != "Relationship" || strings.EqualFold(attr(el, "TargetMode"), "External") {
			return nil
		}
		r := rel{attr(el, "Type"), resolveTarget(bookPart, attr(el, "Target"))}
		if id := attr(el, "Id"); rels[id] == (rel{}) {
			rels[id] = r
		}
		switch {
		case strings.HasSuffix(r.typ, relStyles) && stylesPart == "":
			stylesPart = r.target
		case strings.HasSuffix(r.typ, relSharedStrings) && sstPart == "":
			sstPart = r.target
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	stylesPart, sstPart = cmp.Or(stylesPart, "xl/styles.xml"), cmp.Or(sstPart, "xl/sharedStrings.xml")
	for _, ref := range refs {
		r, ok := rels[ref.rid]
		if ok && !strings.HasSuffix(r.typ, relWorksheet) {
			continue // a chart sheet or a dialog sheet: no cells
		}
		w.names = append(w.names, ref.name)
		w.partName = append(w.partName, r.target)
		if ok {
			w.parts = append(w.parts, w.files[xlsxPartName(r.target)])
		} else {
			w.parts = append(w.parts, nil)
		}
	}
	if err := w.readStyles(stylesPart); err != nil {
		return nil, err
	}
	if err := w.readSharedStrings(sstPart); err != nil {
		return nil, err
	}
	return w, nil
}

// resolveTarget returns the part name a relationship of part from points
// to.
func resolveTarget(from, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return path.Clean(path.Join(path.Dir(from), target))
}

// errorf returns a *MemberError about the member at pth, wrapping
// sentinel.
func (w *workbook) errorf(pth string, sentinel error, format string, args ...any) error {
	return &MemberError{Path: pth, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// readPart reads the part name (a missing part is an error if required,
// else nothing to read) whole, calling fn on each start element.
func (w *workbook) readPart(name string, required bool, fn func(*xmlPart, xml.StartElement) error) error {
	f := w.files[xlsxPartName(name)]
	if f == nil {
		if required {
			return w.errorf(w.name, ErrXLSX, "%s is missing", name)
		}
		return nil
	}
	p, err := w.openPart(f, w.name, f.Name, w.lim.maxPartBytes)
	if err != nil {
		return err
	}
	defer p.close()
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return p.fail(err)
		}
		if el, ok := tok.(xml.StartElement); ok {
			if err := fn(p, el); err != nil {
				return err
			}
		}
	}
}

// readStyles reads which cell styles (cellXfs) have a date or time number
// format.
func (w *workbook) readStyles(name string) error {
	var xfs []int
	custom := make(map[int]string)
	err := w.readPart(name, false, func(p *xmlPart, el xml.StartElement) error {
		switch {
		case el.Name.Local == "numFmt" && p.parent() == "numFmts":
			if id, err := strconv.Atoi(attr(el, "numFmtId")); err == nil {
				custom[id] = attr(el, "formatCode")
			}
		case el.Name.Local == "xf" && p.parent() == "cellXfs":
			id, err := strconv.Atoi(attr(el, "numFmtId"))
			if err != nil {
				id = 0
			}
			xfs = append(xfs, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.dateXF = make([]bool, len(xfs))
	for i, id := range xfs {
		w.dateXF[i] = isDateFormat(id, custom)
	}
	return nil
}

// sharedStrings is a workbook's shared string table: string i is
// data[ends[i-1]:ends[i]].
type sharedStrings struct {
	data []byte
	ends []int
}

func (s *sharedStrings) len() int { return len(s.ends) }

func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := 0
	if i > 0 {
		start = s.ends[i-1]
	}
	return string(s.data[start:s.ends[i]]), true
}

// readSharedStrings reads the shared string table, if there is one.
func (w *workbook) readSharedStrings(name string) error {
	var buf []byte
	return w.readPart(name, false, func(p *xmlPart, el xml.StartElement) error {
		if el.Name.Local != "si" || p.parent() != "sst" {
			return nil
		}
		var err error
		if buf, _, err = p.richText(buf[:0], math.MaxInt); err != nil {
			return p.fail(err)
		}
		w.sst.data = append(w.sst.data, decodeXEscapes(string(buf))...)
		w.sst.ends = append(w.sst.ends, len(w.sst.data))
		return nil
	})
}

// sheets returns the names of the worksheets, in workbook order.
func (w *workbook) sheets() []string { return slices.Clone(w.names) }

// sheet returns a table streaming the rows of sheet i. Its rows close the
// sheet's part when they reach its end or a fatal error; Close closes the
// parts of sheets not read to the end.
func (w *workbook) sheet(i int) (*table, error) {
	if i < 0 || i >= len(w.names) {
		return nil, fmt.Errorf("sampleset: %s: no sheet %d (the workbook has %d)", w.name, i, len(w.names))
	}
	member := w.name + "!" + w.names[i]
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return nil, fmt.Errorf("sampleset: %s: the workbook is closed", member)
	}
	f := w.parts[i]
	if f == nil {
		return nil, w.errorf(member, ErrXLSX, "the sheet's part %s is missing", cmp.Or(w.partName[i], "(no relationship)"))
	}
	if declared, left := declaredSize(f), w.lim.maxBytes-w.inflated.Load(); declared > left {
		return nil, w.errorf(member, ErrLimit, "the sheet's part %s declares %d bytes, over the %d left of the %d-byte limit",
			f.Name, declared, max(left, 0), w.lim.maxBytes)
	}
	if declared, stored := declaredSize(f), int64(min(f.CompressedSize64, math.MaxInt64)); declared > ratioGrace && float64(declared) > w.lim.maxRatio*float64(max(stored, 1)) {
		return nil, w.errorf(member, ErrLimit, "the sheet's part %s declares %d bytes stored in %d (more than %g times: a compression bomb?)",
			f.Name, declared, stored, w.lim.maxRatio)
	}
	p, err := w.openPart(f, member, f.Name, 0)
	if err != nil {
		return nil, err
	}
	rows := &sheetRows{wb: w, p: p, lim: w.lim}
	for rows.depth == 0 && !rows.done {
		tok, err := p.next()
		switch {
		case err == io.EOF:
			rows.finish() // no <sheetData>: an empty sheet
		case err != nil:
			p.close()
			return nil, p.fail(err)
		default:
			if el, ok := tok.(xml.StartElement); ok && el.Name.Local == "sheetData" && p.depth == 2 {
				rows.depth = p.depth
			}
		}
	}
	w.mu.Lock()
	if !rows.done {
		w.open[rows] = struct{}{}
	}
	w.mu.Unlock()
	return &table{format: XLSX, encoding: p.encoding, rows: rows, ragged: true}, nil
}

// Close closes the parts of the sheets not read to the end; their tables
// fail from then on.
func (w *workbook) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	for r := range w.open {
		r.p.close()
		if r.err == nil {
			r.err = fmt.Errorf("sampleset: %s: the workbook is closed", r.p.member)
		}
		delete(w.open, r)
	}
	return nil
}

// xmlPart is a part being read: its bytes inflated and counted against the
// limits, guarded, and decoded as XML.
type xmlPart struct {
	member   string // the member it belongs to, for errors
	name     string // the part name
	encoding string
	rc       io.ReadCloser
	d        *xml.Decoder
	stack    []string // local names of the open elements
	depth    int
	row      int // the last row read, for errors (0: none)
}

// openPart opens zip entry f, the part name of member, for reading;
// maxPart bounds its inflated bytes (0: only the workbook's limits do).
func (w *workbook) openPart(f *zip.File, member, name string, maxPart int64) (*xmlPart, error) {
	if f.Flags&0x1 != 0 {
		return nil, w.errorf(member, ErrXLSX, "%s is encrypted", name)
	}
	if maxPart > 0 && declaredSize(f) > maxPart {
		return nil, w.errorf(member, ErrLimit, "%s declares %d bytes, over the %d-byte limit of a part read whole",
			name, f.UncompressedSize64, maxPart)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, w.errorf(member, ErrXLSX, "%s: %w", name, err)
	}
	p := &xmlPart{member: member, name: name, encoding: "utf-8", rc: rc}
	in := &inflater{r: rc, wb: w, p: p, max: maxPart, stored: int64(min(f.CompressedSize64, math.MaxInt64))}
	br := bufio.NewReaderSize(in, 4096)
	var src io.Reader = br
	switch head, _ := br.Peek(3); {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		p.encoding = "utf-16le"
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		p.encoding = "utf-16be"
		src = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	}
	p.d = xml.NewDecoder(&xmlGuard{r: src, p: p, limit: w.lim.tokenLimit()})
	p.d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		l := strings.ToLower(label)
		if strings.HasPrefix(l, "utf-16") || l == "utf8" || l == "us-ascii" || l == "ascii" {
			return r, nil // decoded already, or UTF-8 as it is
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		p.encoding = l
		return enc.NewDecoder().Reader(r), nil
	}
	return p, nil
}

// declaredSize is the size a zip entry declares it inflates to.
func declaredSize(f *zip.File) int64 { return int64(min(f.UncompressedSize64, math.MaxInt64)) }

func (p *xmlPart) close() {
	if p.rc != nil {
		p.rc.Close()
		p.rc = nil
	}
}

// next returns the next token, keeping track of the open elements.
func (p *xmlPart) next() (xml.Token, error) {
	tok, err := p.d.Token()
	if err != nil {
		return nil, err
	}
	switch el := tok.(type) {
	case xml.StartElement:
		if p.depth++; p.depth > maxXMLDepth {
			return nil, fmt.Errorf("%w: elements nested over %d deep", ErrXLSX, maxXMLDepth)
		}
		p.stack = append(p.stack, el.Name.Local)
	case xml.EndElement:
		p.depth--
		p.stack = p.stack[:len(p.stack)-1]
	}
	return tok, nil
}

// parent returns the local name of the element holding the one whose
// start next returned last ("" at the root).
func (p *xmlPart) parent() string {
	if len(p.stack) < 2 {
		return ""
	}
	return p.stack[len(p.stack)-2]
}

// skip passes over the rest of the element whose start next returned
// last.
func (p *xmlPart) skip() error {
	for end := p.depth - 1; p.depth > end; {
		if _, err := p.next(); err != nil {
			return noEOF(err)
		}
	}
	return nil
}

// noEOF turns an end of input inside an element into an error.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// text appends the text of the element whose start next returned last to
// buf, up to limit bytes; past that it reports false and reads on to the
// element's end.
func (p *xmlPart) text(buf []byte, limit int) ([]byte, bool, error) {
	ok := true
	for end := p.depth - 1; p.depth > end; {
		tok, err := p.next()
		if err != nil {
			return buf, ok, noEOF(err)
		}
		if cd, isText := tok.(xml.CharData); isText && p.depth == end+1 {
			if len(buf)+len(cd) > limit {
				ok = false
				continue
			}
			buf = append(buf, cd...)
		}
	}
	return buf, ok, nil
}

// richText appends the text of a string item (<si> of the shared strings,
// <is> of a cell) to buf: its <t>, or the <t> of its runs <r>, but not
// those of its phonetic runs <rPh>.
func (p *xmlPart) richText(buf []byte, limit int) ([]byte, bool, error) {
	ok := true
	for end := p.depth - 1; p.depth > end; {
		tok, err := p.next()
		if err != nil {
			return buf, ok, noEOF(err)
		}
		el, isStart := tok.(xml.StartElement)
		if !isStart {
			continue
		}
		switch el.Name.Local {
		case "t":
			var fits bool
			if buf, fits, err = p.text(buf, limit); err != nil {
				return buf, ok, err
			}
			ok = ok && fits
		case "r":
			// its <t> comes next
		default:
			if err := p.skip(); err != nil {
				return buf, ok, err
			}
		}
	}
	return buf, ok, nil
}

// fail turns an error of reading the part into one naming the member,
// the part and the row (a *MemberError, wrapping ErrXLSX unless it is one
// already).
func (p *xmlPart) fail(err error) error {
	var me *MemberError
	if errors.As(err, &me) {
		return err
	}
	where := p.name
	if p.row > 0 {
		where += fmt.Sprintf(", row %d", p.row)
	}
	if errors.Is(err, ErrXLSX) {
		return &MemberError{Path: p.member, Err: fmt.Errorf("%s: %w", where, err)}
	}
	return &MemberError{Path: p.member, Err: fmt.Errorf("%w: %s: %w", ErrXLSX, where, noEOF(err))}
}

// inflater counts the bytes inflated from a part against the limits, and
// marks a corrupt entry as a malformed workbook.
type inflater struct {
	r      io.Reader
	wb     *workbook
	p      *xmlPart
	n      int64
	max    int64
	stored int64
}

func (in *inflater) Read(b []byte) (int, error) {
	n, err := in.r.Read(b)
	in.n += int64(n)
	total := in.wb.inflated.Add(int64(n))
	lim := in.wb.lim
	switch {
	case in.max > 0 && in.n > in.max:
		return n, in.wb.errorf(in.p.member, ErrLimit, "%s inflates to over %d bytes, the limit of a part read whole", in.p.name, in.max)
	case total > lim.maxBytes:
		return n, in.wb.errorf(in.p.member, ErrLimit, "%s: over %d bytes inflated from the workbook", in.p.name, lim.maxBytes)
	case in.n > ratioGrace && float64(in.n) > lim.maxRatio*float64(max(in.stored, 1)):
		return n, in.wb.errorf(in.p.member, ErrLimit, "%s: %d bytes stored inflate to over %d (more than %g times: a compression bomb?)",
			in.p.name, in.stored, in.n, lim.maxRatio)
	}
	if err != nil && err != io.EOF {
		err = in.wb.errorf(in.p.member, ErrXLSX, "%s: %w", in.p.name, err)
	}
	return n, err
}

// xmlGuard follows the lexical structure of the XML it passes on to bound
// every token (a text, a tag, a comment, a CDATA section, a processing
// instruction) to limit bytes, so that the decoder never buffers more,
// and refuses document type declarations, which parts may not hold.
type xmlGuard struct {
	r            io.Reader
	p            *xmlPart
	limit        int
	run          int // bytes of the current token
	state        uint8
	quote        byte
	prev1, prev2 byte // the bytes before, for the ends of comments etc.
}

// States of xmlGuard.
const (
	gText     uint8 = iota
	gOpen           // after '<'
	gBang           // after "<!"
	gBangDash       // after "<!-"
	gTag            // in a start or end tag
	gQuote          // in an attribute value
	gComment
	gCDATA
	gPI
)

func (g *xmlGuard) Read(b []byte) (int, error) {
	n, err := g.r.Read(b)
	for i, c := range b[:n] {
		g.run++
		switch g.state {
		case gText:
			if c == '<' {
				g.state, g.run = gOpen, 1
			}
		case gOpen:
			switch c {
			case '!':
				g.state = gBang
			case '?':
				g.state, c = gPI, 0
			case '>':
				g.state, g.run = gText, 0
			case '"', '\'':
				g.state, g.quote = gQuote, c
			default:
				g.state = gTag
			}
		case gBang:
			switch c {
			case '-':
				g.state = gBangDash
			case '[':
				g.state, c = gCDATA, 0
			default:
				return i, g.p.wbErr(ErrXLSX, "%s: a document type declaration (<!DOCTYPE>), which a workbook part may not hold", g.p.name)
			}
		case gBangDash:
			g.state, c = gComment, 0
		case gComment:
			if c == '>' && g.prev1 == '-' && g.prev2 == '-' {
				g.state, g.run = gText, 0
			}
		case gCDATA:
			if c == '>' && g.prev1 == ']' && g.prev2 == ']' {
				g.state, g.run = gText, 0
			}
		case gPI:
			if c == '>' && g.prev1 == '?' {
				g.state, g.run = gText, 0
			}
		case gTag:
			switch c {
			case '"', '\'':
				g.state, g.quote = gQuote, c
			case '>':
				g.state, g.run = gText, 0
			}
		case gQuote:
			if c == g.quote {
				g.state = gTag
			}
		}
		// A terminator's bytes never come from the opener: "<!-->" does
		// not end a comment, "<?>" no instruction.
		g.prev2, g.prev1 = g.prev1, c
		if c == 0 {
			g.prev2 = 0
		}
		if g.run > g.limit {
			return i, g.p.wbErr(ErrLimit, "%s holds an XML text or tag of over %d bytes", g.p.name, g.limit)
		}
	}
	return n, err
}

// wbErr is a *MemberError about the part's member.
func (p *xmlPart) wbErr(sentinel error, format string, args ...any) error {
	return &MemberError{Path: p.member, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// attr returns the value of el's attribute of local name name.
func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// xmlBool reads an xsd:boolean.
func xmlBool(s string) bool {
	s = strings.TrimSpace(s)
	return s == "1" || s == "true"
}

// sheetRows reads the rows of a sheet, from inside its <sheetData>.
type sheetRows struct {
	wb    *workbook
	p     *xmlPart
	lim   xlsxLimits
	depth int // of <sheetData>
	done  bool
	err   error // sticky
	buf   []byte
}

// finish marks the end of the sheet and closes its part.
func (s *sheetRows) finish() {
	s.done = true
	s.p.close()
	s.wb.mu.Lock()
	delete(s.wb.open, s)
	s.wb.mu.Unlock()
}

// fatal makes err, an error that ends the reading of the sheet, sticky.
func (s *sheetRows) fatal(err error) error {
	s.err = s.p.fail(err)
	s.finish()
	return s.err
}

// read returns the next row with a value, its row number, or io.EOF; a
// row that cannot be read is a *ParseError, after which reading goes on.
func (s *sheetRows) read(dst []string) ([]string, int, error) {
	if s.err != nil {
		return nil, 0, s.err
	}
	for !s.done {
		tok, err := s.p.next()
		if err == io.EOF {
			return nil, 0, s.fatal(io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, 0, s.fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != "row" || s.p.depth != s.depth+1 {
				if err := s.p.skip(); err != nil {
					return nil, 0, s.fatal(err)
				}
				continue
			}
			rec, perr, err := s.row(el, dst[:0])
			if err != nil {
				return nil, 0, s.fatal(err)
			}
			if perr != nil {
				return nil, s.p.row, perr
			}
			if len(rec) > 0 {
				return rec, s.p.row, nil
			}
		case xml.EndElement:
			if s.p.depth < s.depth {
				s.finish() // </sheetData>: what follows holds no cells
			}
		}
	}
	return nil, 0, io.EOF
}

// row reads the cells of a <row>: the record (empty when the row holds no
// value), or a *ParseError for a bad row, or an error that ends the sheet.
func (s *sheetRows) row(el xml.StartElement, rec []string) ([]string, *ParseError, error) {
	var perr *ParseError
	bad := func(col int, err error) {
		if perr == nil {
			perr = &ParseError{Line: s.p.row, Column: col, Err: err}
		}
	}
	s.p.row++
	if r := attr(el, "r"); r != "" {
		n, err := strconv.Atoi(strings.TrimSpace(r))
		if err != nil || n < 1 || n > maxSheetRows {
			bad(0, fmt.Errorf("%w: row number %q", ErrXLSX, r))
		} else {
			s.p.row = n
		}
	}
	size, col := 0, 0
	for end := s.p.depth - 1; s.p.depth > end; {
		tok, err := s.p.next()
		if err != nil {
			return nil, nil, noEOF(err)
		}
		c, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if c.Name.Local != "c" {
			if err := s.p.skip(); err != nil {
				return nil, nil, err
			}
			continue
		}
		ref := attr(c, "r")
		next := col + 1
		if ref != "" {
			n, ok := refColumn(ref)
			switch {
			case !ok:
				bad(next, fmt.Errorf("%w: cell reference %q", ErrXLSX, ref))
			case n <= col:
				bad(n, fmt.Errorf("%w: cell %s comes after column %d", ErrXLSX, ref, col))
			default:
				next = n
			}
		}
		col = next
		v, err := s.cell(c, ref, col)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				bad(col, pe.Err)
				continue
			}
			return nil, nil, err
		}
		if v == "" || perr != nil {
			continue
		}
		switch {
		case col > s.lim.maxFields || col > maxSheetColumns:
			bad(col, fmt.Errorf("%w: a value in column %d, over %d", ErrTooManyFields, col, min(s.lim.maxFields, maxSheetColumns)))
			continue
		case size+len(v)+col-len(rec) > s.lim.maxRecordBytes:
			bad(col, fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, s.lim.maxRecordBytes))
			continue
		}
		size += len(v) + col - len(rec)
		for len(rec) < col-1 {
			rec = append(rec, "")
		}
		rec = append(rec, v)
	}
	if perr != nil {
		return nil, perr, nil
	}
	return rec, nil, nil
}

// refColumn returns the 1-based column of a cell reference such as "AB12".
func refColumn(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		if col = col*26 + int(c-'a'+1); col > maxSheetColumns {
			return 0, false
		}
	}
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col, true
}

// cell reads a <c> element: its value as text, or a *ParseError.
func (s *sheetRows) cell(el xml.StartElement, ref string, col int) (string, error) {
	typ, style := attr(el, "t"), 0
	if st := attr(el, "s"); st != "" {
		if n, err := strconv.Atoi(st); err == nil {
			style = n
		}
	}
	limit := s.lim.maxRecordBytes
	var v, is []byte
	hasIS, fits := false, true
	for end := s.p.depth - 1; s.p.depth > end; {
		tok, err := s.p.next()
		if err != nil {
			return "", noEOF(err)
		}
		c, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		var f bool
		switch c.Name.Local {
		case "v":
			v, f, err = s.p.text(s.buf[:0], limit)
			s.buf = v
		case "is":
			hasIS = true
			is, f, err = s.p.richText(nil, limit)
		default:
			f, err = true, s.p.skip()
		}
		if err != nil {
			return "", err
		}
		fits = fits && f
	}
	if !fits {
		return "", &ParseError{Err: fmt.Errorf("%w: cell %s holds over %d bytes", ErrRecordTooLarge, cellName(ref, col), limit)}
	}
	raw := string(bytes.TrimSpace(v))
	switch typ {
	case "s":
		if raw == "" {
			return "", nil
		}
		i, err := strconv.Atoi(raw)
		str, ok := s.wb.sst.get(i)
		if err != nil || !ok {
			return "", &ParseError{Err: fmt.Errorf("%w: cell %s: shared string %q, but the workbook has %d",
				ErrXLSX, cellName(ref, col), raw, s.wb.sst.len())}
		}
		return str, nil
	case "inlineStr":
		if hasIS {
			return decodeXEscapes(string(is)), nil
		}
		return decodeXEscapes(string(v)), nil
	case "str":
		return decodeXEscapes(string(v)), nil
	case "b":
		switch raw {
		case "1", "true":
			return "TRUE", nil
		case "0", "false":
			return "FALSE", nil
		}
		return raw, nil
	case "e":
		return raw, nil
	case "d":
		return isoDate(raw), nil
	}
	if raw == "" {
		return "", nil
	}
	if style >= 0 && style < len(s.wb.dateXF) && s.wb.dateXF[style] {
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			if d, ok := serialDate(f, s.wb.date1904); ok {
				return d, nil
			}
		}
	}
	return plainNumber(raw), nil
}

// cellName names a cell in errors.
func cellName(ref string, col int) string {
	if ref != "" {
		return ref
	}
	return "in column " + strconv.Itoa(col)
}

// plainNumber writes a number as stored in a cell without an exponent: an
// integer with exactly the digits stored ("3.80501234567E+11" is
// "380501234567"), any other number in the shortest decimal form that
// parses to the same float64. Text that is not a number, and integers
// over 400 digits long, are returned as they are.
func plainNumber(s string) string {
	i, neg := 0, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart, frac := s[start:i], ""
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		frac = s[fs:i]
	}
	if intPart == "" && frac == "" {
		return s
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		es, eneg := i, false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
			es = i
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == es || i-es > 6 {
			return s
		}
		exp, _ = strconv.Atoi(s[es:i])
		if eneg {
			exp = -exp
		}
	}
	if i != len(s) {
		return s
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	point := len(intPart) + exp - (len(intPart) + len(frac) - len(digits))
	digits = strings.TrimRight(digits, "0")
	switch {
	case digits == "":
		return "0"
	case point >= len(digits):
		if point > 400 {
			return s
		}
		out := digits + strings.Repeat("0", point-len(digits))
		if neg {
			out = "-" + out
		}
		return out
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// isDateFormat reports whether number format id, with the workbook's
// custom format codes, shows dates or times.
func isDateFormat(id int, custom map[int]string) bool {
	if code, ok := custom[id]; ok {
		return isDateCode(code)
	}
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateCode reports whether a number format code shows dates or times:
// it holds d, m, y, h or s outside quoted text, escaped characters and
// brackets, or an elapsed-time bracket such as [h] or [mm].
func isDateCode(code string) bool {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			if i+1 < len(code) {
				_, size := utf8.DecodeRuneInString(code[i+1:])
				i += size
			}
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				return false
			}
			if in := strings.ToLower(code[i+1 : i+1+j]); in != "" && strings.Trim(in, "hms") == "" {
				return true
			}
			i += j + 1
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

// Excel's serial dates: 1 is 1900-01-01 in the 1900 date system, which
// counts a 29 February 1900 that never was (serial 60); 0 is 1904-01-01
// in the 1904 one.
var (
	epoch1900 = time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// serialDate writes an Excel serial date as "YYYY-MM-DD", or
// "YYYY-MM-DD HH:MM:SS" when its time of day, rounded to the second, is
// not midnight. Serial 60 of the 1900 system is "1900-02-29", the day
// Excel counts and no calendar has; serials under 1 of the 1900 system,
// which hold a time of day but no date, are "HH:MM:SS". Negative serials
// and serials past 9999-12-31 are no dates (false).
func serialDate(serial float64, date1904 bool) (string, bool) {
	if math.IsNaN(serial) || serial < 0 || serial >= 2958466 {
		return "", false
	}
	secs := int64(math.Round(serial * 86400))
	days, clock := int(secs/86400), secs%86400
	hms := fmt.Sprintf("%02d:%02d:%02d", clock/3600, clock/60%60, clock%60)
	var date string
	switch {
	case date1904:
		date = epoch1904.AddDate(0, 0, days).Format(time.DateOnly)
	case days == 0:
		return hms, true
	case days == 60:
		date = "1900-02-29"
	case days < 60:
		date = epoch1900.AddDate(0, 0, days).Format(time.DateOnly)
	default:
		date = epoch1900.AddDate(0, 0, days-1).Format(time.DateOnly)
	}
	if len(date) != len(time.DateOnly) || date > "9999-12-31" {
		return "", false
	}
	if clock == 0 {
		return date, true
	}
	return date + " " + hms, true
}

// isoDate writes the ISO 8601 date of a t="d" cell as serialDate does, or
// returns it as it is when it is none.
func isoDate(s string) string {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.Round(time.Second)
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t.Format(time.DateOnly)
			}
			return t.Format(time.DateTime)
		}
	}
	return s
}

// decodeXEscapes decodes the _xHHHH_ escapes of OOXML strings (ST_Xstring),
// each a UTF-16 code unit: "_x000D_" is a carriage return, "_x005F_" an
// underscore (so "_x005F_x0041_" is the text "_x0041_"). A lone surrogate
// becomes U+FFFD.
func decodeXEscapes(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	high := rune(-1) // a high surrogate waiting for its low one
	flush := func() {
		if high >= 0 {
			b.WriteRune(utf8.RuneError)
			high = -1
		}
	}
	for i := 0; i < len(s); {
		if u, ok := xEscape(s[i:]); ok {
			switch {
			case u >= 0xd800 && u < 0xdc00:
				flush()
				high = u
			case u >= 0xdc00 && u < 0xe000:
				if high >= 0 {
					b.WriteRune(0x10000 + (high-0xd800)<<10 + (u - 0xdc00))
					high = -1
				} else {
					b.WriteRune(utf8.RuneError)
				}
			default:
				flush()
				b.WriteRune(u)
			}
			i += 7
			continue
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String()
}

// xEscape decodes an _xHHHH_ escape at the start of s.
func xEscape(s string) (rune, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return 0, false
	}
	u, err := strconv.ParseUint(s[2:6], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(u), true
}
