package sampleset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// SQL dumps
//
// A sqlDump reads the tables of a mysqldump or pg_dump file from a stream,
// one after another, without ever holding more than one tuple (bounded by
// maxRecordBytes and maxFields) and a fixed buffer:
//
//   - INSERT [IGNORE] INTO / REPLACE INTO t [(columns)] VALUES (...),(...);
//     in MySQL's syntax (backslash escapes, "strings", `identifiers`,
//     _binary and _utf8mb4 introducers, 0x and X'' hex, b'' bits, # and
//     /*!...*/ comments) and PostgreSQL's (standard-conforming strings with
//     '' doubled, E'' escape strings, "identifiers", ::casts);
//   - COPY t (columns) FROM stdin; blocks in the text format, up to \.;
//   - CREATE TABLE, for the column names of INSERTs without a column list;
//   - every other statement (SET, ALTER, CREATE INDEX, functions with $$
//     bodies, procedures between DELIMITER commands, psql \ commands) is
//     skipped, its strings, comments and dollar quotes honoured.
//
// A table's data is one member however many INSERT statements in a row
// hold it; statements that are not data (LOCK TABLES, ALTER, SET, ...) may
// come between them. Another table's data, a CREATE TABLE or a different
// column list ends it. A table whose data comes again later, after another
// table's, is a further member named "t#2", "t#3", ...
//
// The columns of a table are its INSERT's or COPY's column list, else its
// CREATE TABLE's column names, else "column 1", "column 2", ... as many as
// the first good tuple has fields. A table whose CREATE TABLE was seen but
// that has no data is returned, with its columns and no records, after the
// last table with data (pg_dump puts every CREATE TABLE before all data, so
// an empty table can only be known at the end).
//
// Member names are the table names as written, schema-qualified ones
// joined with ".", with PostgreSQL's default schema "public." left out:
// `shop`.`users` is "shop.users", public.users is "users".
//
// Values: NULL and DEFAULT are empty fields; numbers and other bare words
// (true, CURRENT_TIMESTAMP) are kept as written, and so are expressions in
// parentheses and function calls; hex literals (0x.., X'..') and _binary
// strings are decoded, kept as text when they are valid UTF-8 without
// control characters and else written as lower-case hex digits; bit
// literals (b'0101', 0b0101) are written as decimal numbers. Any other
// value must be valid UTF-8 (ErrEncoding). MySQL's \% and \_ keep their
// backslash, as MySQL does.
//
// Errors: a bad tuple (or COPY line) is a *ParseError at the line where it
// starts, Column the 1-based field, wrapping ErrSQL, ErrEncoding,
// ErrRecordTooLarge, ErrTooManyFields or ErrFieldCount; the next read
// continues with the next tuple, or, when the statement's structure is
// lost, with the next statement. Malformed statements outside any table's
// data are reported as *ParseErrors of the next table's rows, before its
// records (or by next itself after the last table).
//
// Known limits: the content of MySQL's /*!...*/ conditional comments is
// skipped, so a dump made with NO_BACKSLASH_ESCAPES in sql_mode is read
// with backslash escapes; string mode follows "SET standard_conforming_strings"
// and the "-- PostgreSQL database dump" / "-- MySQL dump" header comments
// (MySQL's by default); COPY in csv or binary format is refused.

// Bounds of the SQL reader's state, besides the tuple limits.
const (
	sqlBufSize     = 64 << 10 // the input buffer
	maxIdentBytes  = 1024     // one identifier (MySQL and PostgreSQL allow 64)
	maxSchemaBytes = 8 << 20  // the CREATE TABLE column lists remembered
	maxSeenTables  = 1 << 16  // the table names remembered for "t#2" names
	maxQueued      = 1000     // bad tuples held while a table's width is unknown
	maxDelimiter   = 16       // a DELIMITER command's delimiter
	maxKeyword     = 64       // bytes of a keyword compared
)

// sqlState is where a table's data stands.
type sqlState uint8

const (
	stDone       sqlState = iota // no more data for the current table
	stBetween                    // between statements
	stTuples                     // before a tuple of an INSERT
	stAfterTuple                 // after a tuple: ',' or the end of the statement
	stCopy                       // at the start of a COPY data line
)

// Modes of skipTo.
const (
	skipStmt  = iota // to the end of the statement, delimiter consumed
	skipExpr         // to ',' or ')' at depth 0, not consumed
	skipGroup        // a parenthesised group, closing ')' consumed
)

// sqlHead is a statement's head: the start of a table's data, or a
// CREATE TABLE (already recorded).
type sqlHead struct {
	create bool
	copy   bool
	key    string   // the table's member name
	cols   []string // the column list; nil: none
	line   int
	bad    error // a COPY whose data cannot be read (its block is skipped)
}

// sqlRun is the table whose rows are being read.
type sqlRun struct {
	key    string
	eff    []string // the header its statements give: column list or CREATE TABLE
	header []string // the header: eff, or derived from the first tuple
	state  sqlState
}

// sqlQueued is a row or error read ahead.
type sqlQueued struct {
	rec  []string
	line int
	err  error
}

// sqlDump reads the tables of a mysqldump or pg_dump file, one after
// another, from a stream. See the comment at the top of this file.
type sqlDump struct {
	name      string
	r         io.Reader
	maxBytes  int
	maxFields int

	// the input buffer
	buf      []byte
	pos, end int
	line     int // line of buf[pos]
	p1, p2   byte
	rerr     error // the read error (io.EOF at the end)
	fatal    error // a read error other than io.EOF: sticky
	tap      bool  // consumed bytes are appended to rec (raw text)

	// dialect
	delim []byte
	pg    bool // PostgreSQL: dollar quotes, nested comments, no # comments
	std   bool // standard-conforming strings: '\' is literal in '...'
	stop  [256]bool

	// tables
	schema      map[string][]string
	created     []string
	schemaBytes int
	seen        map[string]int
	leftover    int
	head        *sqlHead
	run         sqlRun
	gen         int
	queue       []sqlQueued
	pending     []error // errors outside any table, for the next one

	// the tuple being read
	rec      []byte
	ends     []int
	keep     bool // fields are kept (false while draining or past a limit)
	keepRows bool
	limit    int
	field    int
	first    error // the tuple's first error, reported at its end
	tok      []byte
	tmp      []byte
}

// newSQLDump returns a reader of the tables of the dump r, named name in
// errors. A tuple may hold at most maxRecordBytes bytes of field content
// and maxFields fields (0: the Reader's defaults).
func newSQLDump(name string, r io.Reader, maxRecordBytes, maxFields int) *sqlDump {
	if maxRecordBytes <= 0 {
		maxRecordBytes = DefaultMaxRecordBytes
	}
	if maxFields <= 0 {
		maxFields = DefaultMaxFields
	}
	d := &sqlDump{
		name: name, r: r, maxBytes: maxRecordBytes, maxFields: maxFields,
		buf: make([]byte, sqlBufSize), line: 1, p1: '\n', p2: '\n',
		schema: make(map[string][]string), seen: make(map[string]int),
		keepRows: true,
	}
	d.setDelimiter([]byte{';'})
	return d
}

// sqlRows is the rowReader of one table; it ends when next is called.
type sqlRows struct {
	d   *sqlDump
	gen int
}

// read returns the table's next record; io.EOF once next has moved on.
func (r *sqlRows) read(dst []string) ([]string, int, error) {
	d := r.d
	if r.gen != d.gen {
		return nil, 0, io.EOF
	}
	if len(d.queue) > 0 {
		q := d.queue[0]
		d.queue[0] = sqlQueued{}
		d.queue = d.queue[1:]
		return q.rec, q.line, q.err
	}
	return d.readRow(dst)
}

// next returns the next table's name and a *table for newTableReader;
// io.EOF after the last table. Calling next again drains whatever is left
// of the previous table's rows first. The error is io.EOF, a read error
// (which sticks), or, after the last table only, a *ParseError about a
// malformed statement; next may be called again after one.
func (d *sqlDump) next() (string, *table, error) {
	if d.fatal != nil {
		return "", nil, d.fatal
	}
	d.drain()
	if d.fatal != nil {
		return "", nil, d.fatal
	}
	d.gen++
	d.queue = nil
	d.run = sqlRun{}
	for {
		h := d.head
		d.head = nil
		if h == nil {
			var err error
			h, err = d.statement()
			if err == io.EOF {
				return d.leftOver()
			}
			if err != nil {
				if d.fatal != nil {
					return "", nil, d.fatal
				}
				d.pending = append(d.pending, err)
				if len(d.pending) >= maxQueued {
					return "", nil, d.popPending()
				}
				continue
			}
		}
		if h.create {
			continue
		}
		if h.bad != nil {
			if err := d.skipCopyData(); err != nil {
				return "", nil, err
			}
			d.pending = append(d.pending, h.bad)
			continue
		}
		return d.start(h)
	}
}

// popPending returns the first error held for the next table, named.
func (d *sqlDump) popPending() error {
	err := d.pending[0]
	d.pending = d.pending[1:]
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = d.name
	}
	return err
}

// leftOver returns the tables created without data, then the errors held,
// then io.EOF.
func (d *sqlDump) leftOver() (string, *table, error) {
	for d.leftover < len(d.created) {
		key := d.created[d.leftover]
		d.leftover++
		if d.seen[key] > 0 {
			continue
		}
		cols, ok := d.schema[key]
		if !ok {
			continue
		}
		d.run = sqlRun{key: key, eff: cols, header: cols, state: stDone}
		d.queue = d.takePending(nil)
		return d.memberName(key), d.newTable(cols), nil
	}
	if len(d.pending) > 0 {
		return "", nil, d.popPending()
	}
	return "", nil, io.EOF
}

// takePending moves the errors held for the next table into its queue.
func (d *sqlDump) takePending(q []sqlQueued) []sqlQueued {
	for _, err := range d.pending {
		line := 0
		var pe *ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		q = append(q, sqlQueued{line: line, err: err})
	}
	d.pending = nil
	return q
}

func (d *sqlDump) newTable(header []string) *table {
	return &table{format: SQLDump, encoding: "utf-8", header: header, rows: &sqlRows{d: d, gen: d.gen}}
}

// start begins the table whose data h heads.
func (d *sqlDump) start(h *sqlHead) (string, *table, error) {
	eff := d.effective(h)
	d.run = sqlRun{key: h.key, eff: eff, header: eff, state: stTuples}
	if h.copy {
		d.run.state = stCopy
	}
	d.queue = d.takePending(d.queue[:0])
	name := d.memberName(h.key)
	if eff == nil {
		// No column names: as many as the first good tuple has fields.
		for n := 0; n < maxQueued; n++ {
			rec, line, err := d.readRow(nil)
			if err == io.EOF {
				break
			}
			if d.fatal != nil {
				return "", nil, d.fatal
			}
			d.queue = append(d.queue, sqlQueued{rec: rec, line: line, err: err})
			if err == nil {
				d.run.header = sqlColumnNames(len(rec))
				break
			}
		}
		if d.run.header == nil {
			d.run.header = []string{}
		}
	}
	return name, d.newTable(d.run.header), nil
}

// sqlColumnNames returns "column 1", ... "column n".
func sqlColumnNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "column " + strconv.Itoa(i+1)
	}
	return names
}

// effective returns the header h's statement gives its table.
func (d *sqlDump) effective(h *sqlHead) []string {
	if h.cols != nil {
		return h.cols
	}
	return d.schema[h.key]
}

// memberName returns key, or key#n for the n-th member of that table.
func (d *sqlDump) memberName(key string) string {
	n, ok := d.seen[key]
	if !ok && len(d.seen) >= maxSeenTables {
		return key
	}
	n++
	d.seen[key] = n
	if n == 1 {
		return key
	}
	return key + "#" + strconv.Itoa(n)
}

// drain reads what is left of the current table without keeping it.
func (d *sqlDump) drain() {
	d.keepRows = false
	defer func() { d.keepRows = true }()
	d.queue = nil
	for d.run.state != stDone && d.fatal == nil {
		_, _, err := d.readRow(nil)
		if err == io.EOF {
			return
		}
	}
}

// readRow returns the current table's next tuple or COPY line.
func (d *sqlDump) readRow(dst []string) ([]string, int, error) {
	for {
		if d.fatal != nil {
			return nil, 0, d.fatal
		}
		switch d.run.state {
		case stDone:
			return nil, 0, io.EOF

		case stTuples:
			line := d.line
			if err := d.skipSpace(false); err != nil {
				return d.stmtError(err, line)
			}
			c, ok := d.peek()
			if !ok || c != '(' {
				line = d.line
				d.run.state = stBetween
				err := d.syntax(line, 0, "expected '(' to start a tuple, found %s", d.describe(c, ok))
				if err2 := d.endStatement(); err2 != nil {
					return d.stmtError(err2, line)
				}
				return nil, line, err
			}
			line, err := d.tuple()
			if d.run.state == stTuples {
				d.run.state = stAfterTuple
			}
			if err != nil {
				return nil, line, err
			}
			return d.record(dst, line)

		case stAfterTuple:
			line := d.line
			if err := d.skipSpace(false); err != nil {
				return d.stmtError(err, line)
			}
			c, ok := d.peek()
			switch {
			case !ok:
				d.run.state = stBetween
				continue
			case c == ',':
				d.skip(1)
				d.run.state = stTuples
				continue
			case c == d.delim[0] && d.atDelim():
				d.skip(len(d.delim))
				d.run.state = stBetween
				continue
			}
			line = d.line
			if isIdentByte(c) {
				w := d.keyword()
				if eqFold(w, "ON") || eqFold(w, "RETURNING") {
					d.run.state = stBetween
					if err := d.endStatement(); err != nil {
						return d.stmtError(err, line)
					}
					continue
				}
			}
			d.run.state = stBetween
			err := d.syntax(line, 0, "expected ',' or the end of the statement after a tuple, found %s", d.describe(c, ok))
			if err2 := d.endStatement(); err2 != nil {
				return d.stmtError(err2, line)
			}
			return nil, line, err

		case stCopy:
			line, done, err := d.copyLine()
			if done {
				d.run.state = stBetween
			}
			if err != nil {
				return nil, line, err
			}
			if done {
				continue
			}
			return d.record(dst, line)

		case stBetween:
			h, err := d.statement()
			if err == io.EOF {
				d.run.state = stDone
				return nil, 0, io.EOF
			}
			if err != nil {
				if d.fatal != nil {
					return nil, 0, d.fatal
				}
				var pe *ParseError
				line := 0
				if errors.As(err, &pe) {
					line = pe.Line
				}
				return nil, line, err
			}
			if !h.create && h.key == d.run.key && slices.Equal(d.effective(h), d.run.eff) {
				if h.bad != nil {
					if err := d.skipCopyData(); err != nil {
						return nil, 0, err
					}
					return nil, h.line, h.bad
				}
				d.run.state = stTuples
				if h.copy {
					d.run.state = stCopy
				}
				continue
			}
			if !h.create {
				d.head = h
			}
			d.run.state = stDone
			return nil, 0, io.EOF
		}
	}
}

// stmtError turns an error found between tuples into the row error: the
// statement's structure is lost, so the rest of it is skipped.
func (d *sqlDump) stmtError(err error, line int) ([]string, int, error) {
	d.run.state = stBetween
	if d.fatal != nil {
		return nil, 0, d.fatal
	}
	return nil, line, d.wrap(err, line, 0)
}

// record turns the tuple read into fresh strings appended to dst[:0], and
// checks its field count against the table's columns.
func (d *sqlDump) record(dst []string, line int) ([]string, int, error) {
	if h := d.run.header; h != nil && len(d.ends) != len(h) {
		return nil, line, &ParseError{Line: line,
			Err: fmt.Errorf("%w: %d fields, want %d", ErrFieldCount, len(d.ends), len(h))}
	}
	if !d.keepRows {
		return nil, line, nil
	}
	s := string(d.rec)
	rec := dst[:0]
	if cap(rec) < len(d.ends) {
		rec = make([]string, 0, len(d.ends))
	}
	prev := 0
	for _, e := range d.ends {
		rec = append(rec, s[prev:e])
		prev = e
	}
	return rec, line, nil
}

// --- errors

// syntax returns a *ParseError wrapping ErrSQL.
func (d *sqlDump) syntax(line, column int, format string, args ...any) error {
	return &ParseError{Line: line, Column: column, Err: fmt.Errorf("%w: "+format, append([]any{ErrSQL}, args...)...)}
}

// wrap makes err a *ParseError at line and column unless it is one.
func (d *sqlDump) wrap(err error, line, column int) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		return err
	}
	return &ParseError{Line: line, Column: column, Err: err}
}

// describe names what was found instead of what was expected.
func (d *sqlDump) describe(c byte, ok bool) string {
	switch {
	case !ok:
		return "the end of the input"
	case c == d.delim[0] && d.atDelim():
		return "the end of the statement"
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("byte %#02x", c)
	}
	return strconv.QuoteRune(rune(c))
}

// ioErr returns the read error other than io.EOF, if any, and makes it
// sticky.
func (d *sqlDump) ioErr() error {
	if d.rerr != nil && d.rerr != io.EOF {
		if d.fatal == nil {
			d.fatal = d.rerr
		}
		return d.fatal
	}
	return nil
}

// --- the input buffer

// fill tries to have at least n (at most len(buf)) bytes buffered from pos
// and returns how many are.
func (d *sqlDump) fill(n int) int {
	if d.end-d.pos >= n || d.rerr != nil {
		return d.end - d.pos
	}
	if d.pos > 0 {
		copy(d.buf, d.buf[d.pos:d.end])
		d.end -= d.pos
		d.pos = 0
	}
	for empty := 0; d.end < n && d.rerr == nil; {
		m, err := d.r.Read(d.buf[d.end:])
		d.end += m
		switch {
		case err != nil:
			d.rerr = err
		case m == 0:
			if empty++; empty >= 100 {
				d.rerr = io.ErrNoProgress
			}
		}
	}
	d.ioErr()
	return d.end - d.pos
}

// peek returns the next byte without consuming it; false at the end.
func (d *sqlDump) peek() (byte, bool) {
	if d.pos < d.end || d.fill(1) > 0 {
		return d.buf[d.pos], true
	}
	return 0, false
}

// peekAt returns the byte i places ahead (i < 256).
func (d *sqlDump) peekAt(i int) (byte, bool) {
	if d.pos+i < d.end || d.fill(i+1) > i {
		return d.buf[d.pos+i], true
	}
	return 0, false
}

// avail returns up to n bytes ahead.
func (d *sqlDump) avail(n int) []byte {
	m := d.fill(n)
	return d.buf[d.pos : d.pos+min(m, n)]
}

// skip consumes n buffered bytes.
func (d *sqlDump) skip(n int) {
	b := d.buf[d.pos : d.pos+n]
	switch {
	case n >= 2:
		d.line += bytes.Count(b, newline)
		d.p2, d.p1 = b[n-2], b[n-1]
	case n == 1:
		if b[0] == '\n' {
			d.line++
		}
		d.p2, d.p1 = d.p1, b[0]
	}
	if d.tap {
		d.add(b)
	}
	d.pos += n
}

var newline = []byte{'\n'}

// scanTo consumes bytes up to the first one in stop, which it returns
// unconsumed; false at the end of the input. With emit, the bytes are
// added to the tuple.
func (d *sqlDump) scanTo(stop *[256]bool, emit bool) (byte, bool) {
	for {
		if d.pos >= d.end && d.fill(1) == 0 {
			return 0, false
		}
		b := d.buf[d.pos:d.end]
		i := 0
		for i < len(b) && !stop[b[i]] {
			i++
		}
		if emit && !d.tap {
			d.add(b[:i])
		}
		d.skip(i)
		if i < len(b) {
			return b[i], true
		}
	}
}

// --- the tuple buffer

// add appends b to the tuple, if it is kept and fits the limit.
func (d *sqlDump) add(b []byte) {
	if !d.keep || len(b) == 0 {
		return
	}
	if len(d.rec)+len(b) > d.limit {
		d.overflow()
		return
	}
	if cap(d.rec)-len(d.rec) < len(b) {
		d.grow(len(b))
	}
	d.rec = append(d.rec, b...)
}

func (d *sqlDump) addByte(c byte) {
	if !d.keep {
		return
	}
	if len(d.rec)+1 > d.limit {
		d.overflow()
		return
	}
	if len(d.rec) == cap(d.rec) {
		d.grow(1)
	}
	d.rec = append(d.rec, c)
}

// grow makes room for n more bytes without ever exceeding the limit.
func (d *sqlDump) grow(n int) {
	c := min(max(2*cap(d.rec), len(d.rec)+n, 256), d.limit)
	nb := make([]byte, len(d.rec), c)
	copy(nb, d.rec)
	d.rec = nb
}

// overflow stops keeping a tuple past the limit.
func (d *sqlDump) overflow() {
	d.keep = false
	d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, d.limit)})
}

// note records the tuple's first error.
func (d *sqlDump) note(err error) {
	if d.first == nil {
		d.first = err
	}
}

// truncate drops what the tuple holds past n.
func (d *sqlDump) truncate(n int) {
	if len(d.rec) > n {
		d.rec = d.rec[:n]
	}
}

// --- lexing

var (
	stopSpace   [256]bool // not whitespace
	stopNL      = stopSet("\n")
	stopComment = stopSet("*/")
	stopDollar  = stopSet("$")
	stopCopy    = stopSet("\t\n\r\\")
	stopWord    [256]bool // not a byte of a bare value
	stopIdent   [256]bool // not a byte of a bare identifier
	// the ends of quoted strings, without and with backslash escapes
	stopQuote   = [3][256]bool{stopSet("'"), stopSet("\""), stopSet("`")}
	stopQuoteBS = [3][256]bool{stopSet("'\\"), stopSet("\"\\"), stopSet("`\\")}
)

// quoteIndex is the index of quote q in stopQuote.
func quoteIndex(q byte) int {
	switch q {
	case '"':
		return 1
	case '`':
		return 2
	}
	return 0
}

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		stopSpace[c] = !isSpace(b)
		stopIdent[c] = !isIdentByte(b)
		stopWord[c] = !isIdentByte(b) && b != '.' && b != '+' && b != '-'
	}
}

func stopSet(s string) [256]bool {
	var t [256]bool
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func eqFold(b []byte, s string) bool { return len(b) == len(s) && bytes.EqualFold(b, []byte(s)) }

// setDelimiter sets the statement delimiter and the bytes skipTo stops at.
func (d *sqlDump) setDelimiter(delim []byte) {
	d.delim = append([]byte(nil), delim...)
	d.stop = stopSet("'\"`-#/$(),")
	d.stop[d.delim[0]] = true
}

// atDelim reports whether the delimiter is next (its first byte known to be).
func (d *sqlDump) atDelim() bool {
	if len(d.delim) == 1 {
		return true
	}
	return bytes.Equal(d.avail(len(d.delim)), d.delim)
}

// endStatement skips to the end of the statement.
func (d *sqlDump) endStatement() error {
	_, err := d.skipTo(skipStmt)
	return err
}

// dashComment reports whether "--" starting a comment is next.
func (d *sqlDump) dashComment() bool {
	if c, ok := d.peekAt(1); !ok || c != '-' {
		return false
	}
	c, ok := d.peekAt(2)
	return d.pg || !ok || c <= ' ' || c == 0x7f
}

// skipSpace skips whitespace and comments. At top level, header comments
// tell the dialect.
func (d *sqlDump) skipSpace(top bool) error {
	for {
		c, ok := d.peek()
		if !ok {
			return d.ioErr()
		}
		switch {
		case isSpace(c):
			d.scanTo(&stopSpace, false)
		case c == '-' && d.dashComment(), c == '#' && !d.pg:
			if top {
				d.headerComment()
			}
			d.lineComment()
		case c == '/':
			if n, _ := d.peekAt(1); n != '*' {
				return nil
			}
			if err := d.blockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// headerComment takes the dialect from a dump's header comment.
func (d *sqlDump) headerComment() {
	b := d.avail(128)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	switch {
	case bytes.Contains(b, []byte("PostgreSQL database")):
		d.pg, d.std = true, true
	case bytes.Contains(b, []byte("MySQL dump")), bytes.Contains(b, []byte("MariaDB dump")):
		d.pg, d.std = false, false
	}
}

// lineComment skips the rest of the line.
func (d *sqlDump) lineComment() {
	if _, ok := d.scanTo(&stopNL, false); ok {
		d.skip(1)
	}
}

// blockComment skips a /* */ comment (nested in PostgreSQL).
func (d *sqlDump) blockComment() error {
	line := d.line
	d.skip(2)
	depth := 1
	for {
		c, ok := d.scanTo(&stopComment, false)
		if !ok {
			if err := d.ioErr(); err != nil {
				return err
			}
			return fmt.Errorf("%w: comment starting at line %d not closed", ErrSQL, line)
		}
		n, _ := d.peekAt(1)
		switch {
		case c == '*' && n == '/':
			d.skip(2)
			if depth--; depth == 0 {
				return nil
			}
		case c == '/' && n == '*' && d.pg:
			d.skip(2)
			depth++
		default:
			d.skip(1)
		}
	}
}

// quoted consumes a string or quoted identifier whose opening quote q is
// next, adding its content to the tuple (when kept). escapes: backslash
// escapes, PostgreSQL's (E'...') with pgEsc, else MySQL's.
func (d *sqlDump) quoted(q byte, escapes, pgEsc bool) error {
	line := d.line
	d.skip(1)
	stop := &stopQuote[quoteIndex(q)]
	if escapes {
		stop = &stopQuoteBS[quoteIndex(q)]
	}
	for {
		c, ok := d.scanTo(stop, true)
		if !ok {
			if err := d.ioErr(); err != nil {
				return err
			}
			what := "string"
			if q == '`' {
				what = "identifier"
			}
			return fmt.Errorf("%w: %s starting at line %d not closed by %c", ErrSQL, what, line, q)
		}
		if c == q {
			d.skip(1)
			if n, ok := d.peek(); ok && n == q {
				d.skip(1)
				if !d.tap {
					d.addByte(q)
				}
				continue
			}
			return nil
		}
		d.skip(1) // the backslash
		e, ok := d.peek()
		if !ok {
			continue // reported as not closed
		}
		if d.tap {
			// Raw text: the escaped byte as it is.
			d.skip(1)
			continue
		}
		if pgEsc {
			d.pgEscape(e)
			continue
		}
		d.skip(1)
		switch e {
		case '0':
			d.addByte(0)
		case 'b':
			d.addByte('\b')
		case 'n':
			d.addByte('\n')
		case 'r':
			d.addByte('\r')
		case 't':
			d.addByte('\t')
		case 'Z':
			d.addByte(0x1a)
		case '%', '_':
			d.addByte('\\')
			d.addByte(e)
		default:
			d.addByte(e)
		}
	}
}

// pgEscape decodes an escape of a PostgreSQL E'...' string, the byte after the
// backslash next.
func (d *sqlDump) pgEscape(e byte) {
	d.skip(1)
	switch e {
	case 'b':
		d.addByte('\b')
	case 'f':
		d.addByte('\f')
	case 'n':
		d.addByte('\n')
	case 'r':
		d.addByte('\r')
	case 't':
		d.addByte('\t')
	case 'x':
		if v, n := d.digits(16, 2); n > 0 {
			d.addByte(byte(v))
		} else {
			d.addByte('x')
		}
	case 'u', 'U':
		width := 4
		if e == 'U' {
			width = 8
		}
		v, n := d.digits(16, width)
		if n < width || !utf8.ValidRune(rune(v)) {
			d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: bad \\%c escape", ErrEncoding, e)})
			return
		}
		var b [utf8.UTFMax]byte
		d.add(b[:utf8.EncodeRune(b[:], rune(v))])
	default:
		if e >= '0' && e <= '7' {
			d.digits(8, 2)
			d.addByte(d.octalValue(e))
			return
		}
		d.addByte(e)
	}
}

// digits consumes up to n digits in base (8 or 16) and returns their value
// and count; their values are left in tmp, for octalValue.
func (d *sqlDump) digits(base, n int) (uint32, int) {
	var v uint32
	i := 0
	d.tmp = d.tmp[:0]
	for ; i < n; i++ {
		c, ok := d.peek()
		if !ok {
			break
		}
		var x byte
		switch {
		case c >= '0' && c <= '7', base == 16 && c >= '8' && c <= '9':
			x = c - '0'
		case base == 16 && c >= 'a' && c <= 'f':
			x = c - 'a' + 10
		case base == 16 && c >= 'A' && c <= 'F':
			x = c - 'A' + 10
		default:
			return v, i
		}
		d.skip(1)
		d.tmp = append(d.tmp, x)
		v = v*uint32(base) + uint32(x)
	}
	return v, i
}

// octalValue is the byte of the octal escape whose first digit is e and
// whose further digits digits read.
func (d *sqlDump) octalValue(e byte) byte {
	v := uint32(e - '0')
	for _, x := range d.tmp {
		v = v*8 + uint32(x)
	}
	return byte(v)
}

// dollar skips a PostgreSQL dollar-quoted string if one starts at the '$'
// next, else the '$'.
func (d *sqlDump) dollar() error {
	line := d.line
	b := d.avail(maxKeyword + 2)
	end := -1
	for i := 1; i < len(b); i++ {
		c := b[i]
		if c == '$' {
			end = i
			break
		}
		if !(isIdentByte(c) && c != '$') || i == 1 && isDigit(c) {
			break
		}
	}
	if end < 0 {
		d.skip(1)
		return nil
	}
	tag := append(d.tok[:0], b[:end+1]...)
	d.tok = tag
	d.skip(end + 1)
	for {
		if _, ok := d.scanTo(&stopDollar, false); !ok {
			if err := d.ioErr(); err != nil {
				return err
			}
			return fmt.Errorf("%w: %s string starting at line %d not closed", ErrSQL, tag, line)
		}
		if bytes.Equal(d.avail(len(tag)), tag) {
			d.skip(len(tag))
			return nil
		}
		d.skip(1)
	}
}

// skipTo consumes SQL text, taking strings, comments and parentheses as
// units, to the end of the statement (skipStmt: delimiter consumed), or to
// a ',' or ')' at depth 0 (skipExpr: not consumed), or over the
// parenthesised group next (skipGroup). It returns the byte it stopped at:
// the delimiter's first byte, ',' or ')'; 0 at the end of the input.
func (d *sqlDump) skipTo(mode int) (byte, error) {
	depth := 0
	for {
		c, ok := d.scanTo(&d.stop, false)
		if !ok {
			return 0, d.ioErr()
		}
		switch {
		case c == d.delim[0] && d.atDelim():
			if mode == skipStmt {
				d.skip(len(d.delim))
			}
			return c, nil
		case c == '(':
			d.skip(1)
			depth++
		case c == ')':
			if depth == 0 && mode == skipExpr {
				return c, nil
			}
			d.skip(1)
			if depth > 0 {
				depth--
			}
			if depth == 0 && mode == skipGroup {
				return c, nil
			}
		case c == ',':
			if depth == 0 && mode == skipExpr {
				return c, nil
			}
			d.skip(1)
		case c == '\'':
			eString := (d.p1 == 'E' || d.p1 == 'e') && !isIdentByte(d.p2)
			if err := d.quoted(c, !d.std || eString, eString); err != nil {
				return 0, err
			}
		case c == '"':
			if err := d.quoted(c, !d.std, false); err != nil {
				return 0, err
			}
		case c == '`':
			if err := d.quoted(c, false, false); err != nil {
				return 0, err
			}
		case c == '-' && d.dashComment(), c == '#' && !d.pg:
			d.lineComment()
		case c == '/':
			if n, _ := d.peekAt(1); n == '*' {
				if err := d.blockComment(); err != nil {
					return 0, err
				}
			} else {
				d.skip(1)
			}
		case c == '$' && d.pg && !isIdentByte(d.p1):
			if err := d.dollar(); err != nil {
				return 0, err
			}
		default:
			d.skip(1)
		}
	}
}

// keyword consumes a bare word and returns its first bytes (valid until
// the next call); empty if no word is next.
func (d *sqlDump) keyword() []byte {
	d.tok = d.tok[:0]
	for {
		if d.pos >= d.end && d.fill(1) == 0 {
			return d.tok
		}
		b := d.buf[d.pos:d.end]
		i := 0
		for i < len(b) && !stopIdent[b[i]] {
			i++
		}
		if room := maxKeyword - len(d.tok); room > 0 {
			d.tok = append(d.tok, b[:min(i, room)]...)
		}
		d.skip(i)
		if i < len(b) {
			return d.tok
		}
	}
}

// ident reads an identifier, bare or quoted. ok is false when none is next.
func (d *sqlDump) ident() (name string, quoted, ok bool, err error) {
	c, more := d.peek()
	if !more || !(c == '`' || c == '"' || isIdentByte(c)) {
		return "", false, false, d.ioErr()
	}
	d.rec, d.keep, d.limit, d.first = d.rec[:0], true, maxIdentBytes, nil
	if c == '`' || c == '"' {
		if err := d.quoted(c, false, false); err != nil {
			return "", true, true, err
		}
		quoted = true
	} else {
		d.scanTo(&stopIdent, true)
	}
	if d.first != nil {
		return "", quoted, true, fmt.Errorf("%w: identifier over %d bytes", ErrSQL, maxIdentBytes)
	}
	if len(d.rec) == 0 {
		return "", quoted, true, fmt.Errorf("%w: empty identifier", ErrSQL)
	}
	if !utf8.Valid(d.rec) {
		return "", quoted, true, fmt.Errorf("%w: identifier is not UTF-8", ErrEncoding)
	}
	return string(d.rec), quoted, true, nil
}

// qualified reads the rest of a table name whose first part is read.
func (d *sqlDump) qualified(first string) (string, error) {
	parts := []string{first}
	for len(parts) < 4 {
		if err := d.skipSpace(false); err != nil {
			return "", err
		}
		if c, ok := d.peek(); !ok || c != '.' {
			break
		}
		d.skip(1)
		if err := d.skipSpace(false); err != nil {
			return "", err
		}
		s, _, ok, err := d.ident()
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("%w: expected a name after '.'", ErrSQL)
		}
		parts = append(parts, s)
	}
	if len(parts) == 2 && parts[0] == "public" {
		parts = parts[1:]
	}
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, p...)
	}
	return string(b), nil
}

// columnList reads "(a, b, ...)", the '(' next.
func (d *sqlDump) columnList() ([]string, error) {
	d.skip(1)
	cols := []string{}
	for {
		if err := d.skipSpace(false); err != nil {
			return nil, err
		}
		if c, ok := d.peek(); ok && c == ')' && len(cols) == 0 {
			d.skip(1)
			return cols, nil
		}
		s, _, ok, err := d.ident()
		if err != nil {
			return nil, err
		}
		if !ok {
			c, more := d.peek()
			return nil, fmt.Errorf("%w: expected a column name, found %s", ErrSQL, d.describe(c, more))
		}
		if len(cols) >= d.maxFields {
			return nil, fmt.Errorf("%w: over %d columns", ErrTooManyFields, d.maxFields)
		}
		cols = append(cols, s)
		if err := d.skipSpace(false); err != nil {
			return nil, err
		}
		c, more := d.peek()
		switch {
		case more && c == ',':
			d.skip(1)
		case more && c == ')':
			d.skip(1)
			return cols, nil
		default:
			return nil, fmt.Errorf("%w: expected ',' or ')' in the column list, found %s", ErrSQL, d.describe(c, more))
		}
	}
}

// --- statements

// statement reads statements up to the head of the next table's data or
// CREATE TABLE; io.EOF at the end. A malformed statement is skipped and
// reported as a *ParseError.
func (d *sqlDump) statement() (*sqlHead, error) {
	for {
		if err := d.skipSpace(true); err != nil {
			return nil, d.wrap(err, d.line, 0)
		}
		c, ok := d.peek()
		if !ok {
			if err := d.ioErr(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		line := d.line
		var h *sqlHead
		var err error
		switch {
		case c == d.delim[0] && d.atDelim():
			d.skip(len(d.delim))
			continue
		case c == '\\':
			// A psql meta-command (\connect, \restrict): one line.
			d.pg = true
			d.lineComment()
			continue
		case !isIdentByte(c):
			err = d.endStatement()
		default:
			w := d.keyword()
			switch {
			case eqFold(w, "INSERT"), eqFold(w, "REPLACE"):
				h, err = d.insertHead(line)
			case eqFold(w, "COPY"):
				h, err = d.copyHead(line)
			case eqFold(w, "CREATE"):
				h, err = d.createHead(line)
			case eqFold(w, "SET"):
				err = d.setStatement()
			case eqFold(w, "DELIMITER"):
				err = d.delimiterCommand()
			default:
				err = d.endStatement()
			}
		}
		if d.fatal != nil {
			return nil, d.fatal
		}
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				// Skip what is left of the statement, unless the
				// error was the end of the input.
				if _, more := d.peek(); more {
					if err2 := d.endStatement(); err2 != nil && d.fatal != nil {
						return nil, d.fatal
					}
				}
			}
			return nil, d.wrap(err, line, 0)
		}
		if h != nil {
			return h, nil
		}
	}
}

// tableName reads a statement's table name, the first word read being
// possibly a modifier that skipWords lists.
func (d *sqlDump) tableName(skipWords ...string) (string, error) {
	for {
		if err := d.skipSpace(false); err != nil {
			return "", err
		}
		s, quoted, ok, err := d.ident()
		if err != nil {
			return "", err
		}
		if !ok {
			c, more := d.peek()
			return "", fmt.Errorf("%w: expected a table name, found %s", ErrSQL, d.describe(c, more))
		}
		if !quoted && slices.ContainsFunc(skipWords, func(w string) bool { return eqFold([]byte(s), w) }) {
			continue
		}
		return d.qualified(s)
	}
}

// insertHead reads INSERT ... VALUES up to the first tuple; nil for an
// INSERT that holds no tuples (INSERT ... SELECT, DEFAULT VALUES, SET).
func (d *sqlDump) insertHead(line int) (*sqlHead, error) {
	key, err := d.tableName("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO")
	if err != nil {
		return nil, err
	}
	h := &sqlHead{key: key, line: line}
	if err := d.skipSpace(false); err != nil {
		return nil, err
	}
	if c, ok := d.peek(); ok && c == '(' {
		if h.cols, err = d.columnList(); err != nil {
			return nil, err
		}
	}
	for overriding := false; ; {
		if err := d.skipSpace(false); err != nil {
			return nil, err
		}
		c, ok := d.peek()
		if !ok || !isIdentByte(c) {
			return nil, fmt.Errorf("%w: expected VALUES after INSERT INTO %s, found %s", ErrSQL, key, d.describe(c, ok))
		}
		w := d.keyword()
		switch {
		case overriding && (eqFold(w, "SYSTEM") || eqFold(w, "USER") || eqFold(w, "VALUE")):
			continue // OVERRIDING SYSTEM VALUE
		case eqFold(w, "OVERRIDING"):
			overriding = true
			continue
		case eqFold(w, "VALUES"), eqFold(w, "VALUE"):
			return h, nil
		case eqFold(w, "SELECT"), eqFold(w, "DEFAULT"), eqFold(w, "SET"), eqFold(w, "WITH"), eqFold(w, "TABLE"):
			return nil, d.endStatement()
		}
		return nil, fmt.Errorf("%w: expected VALUES after INSERT INTO %s, found %q", ErrSQL, key, w)
	}
}

// copyHead reads COPY t (cols) FROM stdin ...; and the line end after it.
func (d *sqlDump) copyHead(line int) (*sqlHead, error) {
	key, err := d.tableName()
	if err != nil {
		return nil, err
	}
	h := &sqlHead{key: key, line: line, copy: true}
	if err := d.skipSpace(false); err != nil {
		return nil, err
	}
	if c, ok := d.peek(); ok && c == '(' {
		if h.cols, err = d.columnList(); err != nil {
			return nil, err
		}
	}
	if err := d.skipSpace(false); err != nil {
		return nil, err
	}
	if w := d.keyword(); !eqFold(w, "FROM") {
		return nil, d.endStatement() // COPY ... TO
	}
	if err := d.skipSpace(false); err != nil {
		return nil, err
	}
	if w := d.keyword(); !eqFold(w, "STDIN") {
		return nil, d.endStatement() // from a file or program: no data here
	}
	d.pg = true
	// The options, up to the end of the statement, looked at as raw text.
	d.rec, d.keep, d.limit, d.first = d.rec[:0], true, maxIdentBytes, nil
	d.tap = true
	_, err = d.skipTo(skipStmt)
	d.tap = false
	if err != nil {
		return nil, err
	}
	opts := bytes.ToLower(d.rec)
	if bytes.Contains(opts, []byte("csv")) || bytes.Contains(opts, []byte("binary")) {
		h.bad = &ParseError{Line: line, Err: fmt.Errorf("%w: COPY %s: only the text format is supported", ErrSQL, key)}
	}
	// The data starts on the next line.
	d.lineComment()
	return h, nil
}

// skipCopyData skips a COPY block up to its \. line.
func (d *sqlDump) skipCopyData() error {
	d.keepRows = false
	defer func() { d.keepRows = true }()
	for {
		_, done, _ := d.copyLine()
		if d.fatal != nil {
			return d.fatal
		}
		if done {
			return nil
		}
	}
}

// constraintWords start the lines of a CREATE TABLE that are not columns.
var constraintWords = []string{"CONSTRAINT", "PRIMARY", "KEY", "INDEX", "UNIQUE", "FOREIGN",
	"FULLTEXT", "SPATIAL", "CHECK", "EXCLUDE", "LIKE", "PERIOD"}

// createHead reads a CREATE TABLE's column names and records them; other
// CREATE statements are skipped (nil head).
func (d *sqlDump) createHead(line int) (*sqlHead, error) {
	for {
		if err := d.skipSpace(false); err != nil {
			return nil, err
		}
		w := d.keyword()
		switch {
		case eqFold(w, "OR"), eqFold(w, "REPLACE"), eqFold(w, "TEMPORARY"), eqFold(w, "TEMP"),
			eqFold(w, "UNLOGGED"), eqFold(w, "GLOBAL"), eqFold(w, "LOCAL"):
			continue
		case eqFold(w, "TABLE"):
		default:
			return nil, d.endStatement()
		}
		break
	}
	key, err := d.tableName()
	if err != nil {
		return nil, err
	}
	if eqFold([]byte(key), "IF") {
		// IF NOT EXISTS
		if key, err = d.tableName("NOT", "EXISTS"); err != nil {
			return nil, err
		}
	}
	if err := d.skipSpace(false); err != nil {
		return nil, err
	}
	if c, ok := d.peek(); !ok || c != '(' {
		return nil, d.endStatement() // AS SELECT, LIKE, PARTITION OF...
	}
	d.skip(1)
	cols := []string{}
	for {
		if err := d.skipSpace(false); err != nil {
			return nil, err
		}
		c, ok := d.peek()
		if ok && c == ')' && len(cols) == 0 {
			d.skip(1)
			break
		}
		if ok && (c == '`' || c == '"' || isIdentByte(c)) {
			s, quoted, _, err := d.ident()
			if err != nil {
				return nil, err
			}
			if quoted || !slices.ContainsFunc(constraintWords, func(w string) bool { return eqFold([]byte(s), w) }) {
				if len(cols) >= d.maxFields {
					return nil, fmt.Errorf("%w: CREATE TABLE %s: over %d columns", ErrTooManyFields, key, d.maxFields)
				}
				cols = append(cols, s)
			}
		}
		stop, err := d.skipTo(skipExpr)
		if err != nil {
			return nil, err
		}
		if stop == ')' {
			d.skip(1)
			break
		}
		if stop != ',' {
			return nil, fmt.Errorf("%w: CREATE TABLE %s: ')' missing", ErrSQL, key)
		}
		d.skip(1)
	}
	if err := d.endStatement(); err != nil {
		return nil, err
	}
	d.define(key, cols)
	return &sqlHead{create: true, key: key, line: line}, nil
}

// define remembers a table's columns, within the budget.
func (d *sqlDump) define(key string, cols []string) {
	cost := func(cols []string) int {
		n := len(key) + 64
		for _, c := range cols {
			n += len(c) + 16
		}
		return n
	}
	old, had := d.schema[key]
	n := d.schemaBytes + cost(cols)
	if had {
		n -= cost(old)
	} else {
		n += len(key) + 16 // its place in created
	}
	if n > maxSchemaBytes {
		return
	}
	d.schemaBytes = n
	d.schema[key] = cols
	if !had {
		d.created = append(d.created, key)
	}
}

// setStatement follows SET standard_conforming_strings; other SET
// statements are skipped.
func (d *sqlDump) setStatement() error {
	for {
		if err := d.skipSpace(false); err != nil {
			return err
		}
		w := d.keyword()
		if eqFold(w, "SESSION") || eqFold(w, "LOCAL") {
			continue
		}
		if !eqFold(w, "standard_conforming_strings") {
			return d.endStatement()
		}
		break
	}
	if err := d.skipSpace(false); err != nil {
		return err
	}
	if c, ok := d.peek(); ok && c == '=' {
		d.skip(1)
	} else if w := d.keyword(); !eqFold(w, "TO") {
		return d.endStatement()
	}
	if err := d.skipSpace(false); err != nil {
		return err
	}
	var v []byte
	if c, ok := d.peek(); ok && c == '\'' {
		d.rec, d.keep, d.limit, d.first = d.rec[:0], true, maxKeyword, nil
		if err := d.quoted('\'', false, false); err != nil {
			return err
		}
		v = d.rec
	} else {
		v = d.keyword()
	}
	switch {
	case eqFold(v, "on"), eqFold(v, "true"), eqFold(v, "yes"), eqFold(v, "1"):
		d.pg, d.std = true, true
	case eqFold(v, "off"), eqFold(v, "false"), eqFold(v, "no"), eqFold(v, "0"):
		d.pg, d.std = true, false
	}
	return d.endStatement()
}

// delimiterCommand reads the mysql client's DELIMITER command: the rest of
// its line.
func (d *sqlDump) delimiterCommand() error {
	for {
		c, ok := d.peek()
		if !ok || c != ' ' && c != '\t' {
			break
		}
		d.skip(1)
	}
	b := d.avail(maxDelimiter + 1)
	n := 0
	for n < len(b) && !isSpace(b[n]) {
		n++
	}
	if n > 0 && n <= maxDelimiter && bytes.IndexAny(b[:n], "'\"`(),\\") < 0 {
		d.setDelimiter(b[:n])
		d.skip(n)
		d.lineComment()
		return nil
	}
	err := d.syntax(d.line, 0, "DELIMITER: unusable delimiter %q", b[:n])
	d.lineComment()
	return err
}

// --- tuples

// tuple reads one parenthesised tuple, the '(' next, into rec and ends. A
// bad tuple is passed over up to its closing ')' (or the statement's end,
// when that is lost) and reported with the line where it starts.
func (d *sqlDump) tuple() (int, error) {
	line := d.line
	d.skip(1)
	d.rec, d.ends = d.rec[:0], d.ends[:0]
	d.keep, d.limit, d.first, d.field = d.keepRows, d.maxBytes, nil, 0
	for field := 1; ; field++ {
		d.field = field
		if err := d.skipSpace(false); err != nil {
			return d.recover(line, err)
		}
		c, ok := d.peek()
		if !ok {
			return d.recover(line, d.ioErr())
		}
		if c == ')' && field == 1 {
			d.skip(1)
			break
		}
		if field > d.maxFields && d.keep {
			d.keep = false
			d.note(&ParseError{Err: fmt.Errorf("%w: over %d fields", ErrTooManyFields, d.maxFields)})
		}
		start := len(d.rec)
		if err := d.value(start, false); err != nil {
			return d.recover(line, err)
		}
		if err := d.skipSpace(false); err != nil {
			return d.recover(line, err)
		}
		if b := d.avail(2); len(b) == 2 && b[0] == ':' && b[1] == ':' {
			// A PostgreSQL cast: the type is not part of the value.
			d.skip(2)
			if _, err := d.skipTo(skipExpr); err != nil {
				return d.recover(line, err)
			}
		}
		if d.keep {
			d.ends = append(d.ends, len(d.rec))
		}
		c, ok = d.peek()
		switch {
		case ok && c == ',':
			d.skip(1)
			continue
		case ok && c == ')':
			d.skip(1)
		default:
			return d.recover(line, fmt.Errorf("%w: expected ',' or ')' after field %d, found %s", ErrSQL, field, d.describe(c, ok)))
		}
		break
	}
	if err := d.first; err != nil {
		return line, d.at(err, line)
	}
	return line, nil
}

// at places a tuple's error at its line (and field).
func (d *sqlDump) at(err error, line int) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.Line = line
		return pe
	}
	return &ParseError{Line: line, Column: d.field, Err: err}
}

// recover passes over the rest of a bad tuple: to its closing ')', or, when
// the statement ends first, past its end (the statement is lost).
func (d *sqlDump) recover(line int, err error) (int, error) {
	if d.fatal != nil {
		return line, d.fatal
	}
	if err == nil {
		err = fmt.Errorf("%w: the input ends inside a tuple", ErrSQL)
	}
	if d.first != nil {
		err = d.first // what went wrong first
	}
	perr := d.at(err, line)
	d.tap, d.keep = false, false
	for {
		stop, err2 := d.skipTo(skipExpr)
		if d.fatal != nil {
			return line, d.fatal
		}
		switch {
		case err2 != nil:
			d.run.state = stBetween
			return line, perr
		case stop == ',':
			d.skip(1)
			continue
		case stop == ')':
			d.skip(1)
			return line, perr
		}
		// The end of the statement, or of the input.
		if stop != 0 {
			d.skip(len(d.delim))
		}
		d.run.state = stBetween
		return line, perr
	}
}

// value reads one value of a tuple, adding it to rec (from start).
// introduced: a charset introducer was read, a literal must follow.
func (d *sqlDump) value(start int, introduced bool) error {
	c, _ := d.peek()
	switch {
	case c == '\'' || c == '"':
		return d.strings(c, start, !d.std, false, false)
	case c == '(':
		return d.group(start)
	case c >= 0x80 || !stopWord[c]:
	default:
		return fmt.Errorf("%w: expected a value, found %s", ErrSQL, d.describe(c, true))
	}
	// A bare word: kept in rec as written, its first bytes in tok.
	d.tok = d.tok[:0]
	for {
		if d.pos >= d.end && d.fill(1) == 0 {
			break
		}
		b := d.buf[d.pos:d.end]
		i := 0
		for i < len(b) && !stopWord[b[i]] {
			i++
		}
		if room := maxKeyword - len(d.tok); room > 0 {
			d.tok = append(d.tok, b[:min(i, room)]...)
		}
		d.add(b[:i])
		d.skip(i)
		if i < len(b) {
			break
		}
	}
	w := d.tok
	next, _ := d.peek()
	if next == '\'' {
		d.truncate(start)
		switch {
		case len(w) == 1 && (w[0]|0x20) == 'x':
			return d.hexString(start)
		case len(w) == 1 && (w[0]|0x20) == 'b':
			return d.bitString(start)
		case len(w) == 1 && (w[0]|0x20) == 'n':
			return d.strings('\'', start, !d.std, false, false)
		case len(w) == 1 && (w[0]|0x20) == 'e':
			return d.strings('\'', start, true, true, false)
		case len(w) > 1 && w[0] == '_' && !introduced:
			return d.strings('\'', start, !d.std, false, eqFold(w, "_binary"))
		}
		return fmt.Errorf("%w: unexpected quote after %q", ErrSQL, w)
	}
	if len(w) > 1 && w[0] == '_' && !introduced && bytes.IndexAny(w, ".+-") < 0 {
		// A charset introducer and a space: the literal follows.
		d.truncate(start)
		binary := eqFold(w, "_binary")
		if err := d.skipSpace(false); err != nil {
			return err
		}
		if c, ok := d.peek(); ok && c == '\'' {
			return d.strings('\'', start, !d.std, false, binary)
		}
		return d.value(start, true)
	}
	switch {
	case eqFold(w, "NULL"), eqFold(w, "DEFAULT"):
		d.truncate(start)
	case len(w) > 2 && w[0] == '0' && (w[1]|0x20) == 'x':
		if d.keep {
			return d.hexValue(start, start+2, true)
		}
	case len(w) > 2 && w[0] == '0' && (w[1]|0x20) == 'b' && len(bytes.Trim(w[2:], "01")) == 0:
		if d.keep {
			return d.bitValue(start, start+2)
		}
	case next == '(':
		// A function call, kept as written.
		return d.group(start)
	}
	return nil
}

// group keeps a parenthesised expression as written.
func (d *sqlDump) group(start int) error {
	d.tap = true
	stop, err := d.skipTo(skipGroup)
	d.tap = false
	if err != nil {
		return err
	}
	if stop != ')' {
		return fmt.Errorf("%w: unbalanced parenthesis", ErrSQL)
	}
	d.checkUTF8(start)
	return nil
}

// checkUTF8 notes a field that is not valid UTF-8.
func (d *sqlDump) checkUTF8(start int) {
	if d.keep && !utf8.Valid(d.rec[start:]) {
		d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: invalid UTF-8", ErrEncoding)})
	}
}

// strings reads a string literal, and adjacent ones concatenated to it.
// binary: a _binary string, hex-encoded unless it is text.
func (d *sqlDump) strings(q byte, start int, escapes, pgEsc, binary bool) error {
	for {
		if err := d.quoted(q, escapes, pgEsc); err != nil {
			return err
		}
		if err := d.skipSpace(false); err != nil {
			return err
		}
		if c, ok := d.peek(); !ok || c != q {
			break
		}
	}
	if !d.keep {
		return nil
	}
	if binary {
		if !isText(d.rec[start:]) {
			return d.toHex(start)
		}
		return nil
	}
	d.checkUTF8(start)
	return nil
}

// isText reports whether b is valid UTF-8 without control characters other
// than tab and line breaks.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}

const hexDigits = "0123456789abcdef"

// toHex replaces rec[start:] by its lower-case hex digits.
func (d *sqlDump) toHex(start int) error {
	raw := d.rec[start:]
	if start+2*len(raw) > d.limit {
		d.overflow()
		return nil
	}
	d.tmp = append(d.tmp[:0], raw...)
	d.rec = d.rec[:start]
	for _, c := range d.tmp {
		d.addByte(hexDigits[c>>4])
		d.addByte(hexDigits[c&15])
	}
	return nil
}

// hexString reads X'...', the quote next.
func (d *sqlDump) hexString(start int) error {
	if err := d.quoted('\'', false, false); err != nil {
		return err
	}
	if !d.keep {
		return nil
	}
	return d.hexValue(start, start, false)
}

// hexValue decodes the hex digits at rec[digits:] into the field starting
// at start: as text when it is, else as the bytes' lower-case hex digits.
// odd allows an odd number of digits (0x literals: a leading 0 is
// implied).
func (d *sqlDump) hexValue(start, digits int, odd bool) error {
	h := d.rec[digits:]
	if len(h)%2 == 1 && !odd {
		d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: odd number of hex digits", ErrSQL)})
		return nil
	}
	for _, c := range h {
		if unhex(c) > 15 {
			d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: bad hex digit %q", ErrSQL, c)})
			return nil
		}
	}
	d.tmp = d.tmp[:0]
	i := 0
	if len(h)%2 == 1 {
		d.tmp = append(d.tmp, unhex(h[0])) // an odd count: a leading 0 is implied
		i = 1
	}
	for ; i < len(h); i += 2 {
		d.tmp = append(d.tmp, unhex(h[i])<<4|unhex(h[i+1]))
	}
	d.rec = append(d.rec[:start], d.tmp...) // shorter than the digits: no growth
	if !isText(d.rec[start:]) {
		return d.toHex(start)
	}
	return nil
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}

// bitString reads B'...', the quote next.
func (d *sqlDump) bitString(start int) error {
	if err := d.quoted('\'', false, false); err != nil {
		return err
	}
	if !d.keep {
		return nil
	}
	return d.bitValue(start, start)
}

// bitValue replaces the bits at rec[bits:] by their value in decimal, in
// the field starting at start.
func (d *sqlDump) bitValue(start, bits int) error {
	b := d.rec[bits:]
	var v uint64
	for _, c := range b {
		if c != '0' && c != '1' {
			d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: bad bit %q", ErrSQL, c)})
			return nil
		}
		if v>>63 != 0 {
			d.note(&ParseError{Column: d.field, Err: fmt.Errorf("%w: bit literal over 64 bits", ErrSQL)})
			return nil
		}
		v = v<<1 | uint64(c-'0')
	}
	if len(b) == 0 {
		d.rec = d.rec[:start]
		return nil
	}
	d.rec = strconv.AppendUint(d.rec[:start], v, 10)
	return nil
}

// --- COPY

// copyLine reads one line of a COPY block into rec and ends; done at its
// \. line (or the end of the input, reported).
func (d *sqlDump) copyLine() (line int, done bool, err error) {
	b := d.avail(4)
	if len(b) >= 2 && b[0] == '\\' && b[1] == '.' &&
		(len(b) == 2 || b[2] == '\n' || b[2] == '\r' && (len(b) == 3 || b[3] == '\n')) {
		d.lineComment()
		return 0, true, nil
	}
	line = d.line
	if len(b) == 0 {
		if err := d.ioErr(); err != nil {
			return line, true, err
		}
		return line, true, d.syntax(line, 0, "the input ends inside COPY data, before its \\. line")
	}
	d.rec, d.ends = d.rec[:0], d.ends[:0]
	d.keep, d.limit, d.first, d.field = d.keepRows, d.maxBytes, nil, 1
	start, atStart := 0, true
	endField := func() {
		if d.keep {
			d.checkUTF8(start)
			d.ends = append(d.ends, len(d.rec))
		}
		d.field++
		if d.field > d.maxFields && d.keep {
			d.keep = false
			d.note(&ParseError{Err: fmt.Errorf("%w: over %d fields", ErrTooManyFields, d.maxFields)})
		}
		start, atStart = len(d.rec), true
	}
	for {
		if b := d.avail(3); atStart && len(b) >= 2 && b[0] == '\\' && b[1] == 'N' &&
			(len(b) == 2 || b[2] == '\t' || b[2] == '\n' || b[2] == '\r') {
			d.skip(2) // NULL
		}
		atStart = false
		c, ok := d.scanTo(&stopCopy, true)
		if !ok {
			endField()
			break
		}
		if c == '\t' {
			d.skip(1)
			endField()
			continue
		}
		if c == '\n' {
			d.skip(1)
			endField()
			break
		}
		if c == '\r' {
			if n, _ := d.peekAt(1); n == '\n' {
				d.skip(2)
				endField()
				break
			}
			d.skip(1)
			d.addByte('\r')
			continue
		}
		// A backslash escape.
		d.skip(1)
		e, ok := d.peek()
		if !ok {
			d.addByte('\\')
			continue
		}
		switch e {
		case 'b', 'f', 'n', 'r', 't', 'x':
			d.pgEscape(e)
		case 'v':
			d.skip(1)
			d.addByte('\v')
		default:
			if e >= '0' && e <= '7' {
				d.skip(1)
				d.digits(8, 2)
				d.addByte(d.octalValue(e))
				continue
			}
			d.skip(1)
			d.addByte(e)
		}
	}
	if err := d.first; err != nil {
		return line, false, d.at(err, line)
	}
	return line, false, nil
}

// --- sniffing

// sqlMarks are the header comments of SQL dump tools.
var sqlMarks = [][]byte{[]byte("MySQL dump"), []byte("MariaDB dump"), []byte("PostgreSQL database"),
	[]byte("phpMyAdmin SQL Dump"), []byte("pg_dump"), []byte("mysqldump")}

// sniffSQL reports whether the start of a text stream (up to 64 KiB, atEOF
// when that is all) looks like a SQL dump: a dump tool's header comment, a
// MySQL conditional comment, or, after comments, a statement a dump starts
// with (SET, CREATE TABLE, DROP TABLE, INSERT INTO, REPLACE INTO,
// COPY ... FROM stdin, LOCK TABLES, USE, START TRANSACTION, BEGIN, a psql
// \ command).
func sniffSQL(win []byte, atEOF bool) bool {
	b := bytes.TrimPrefix(win, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f\v")
		if len(b) == 0 {
			return false
		}
		switch {
		case bytes.HasPrefix(b, []byte("--")) || b[0] == '#':
			i := bytes.IndexByte(b, '\n')
			line := b
			if i >= 0 {
				line = b[:i]
			}
			for _, m := range sqlMarks {
				if bytes.Contains(line, m) {
					return true
				}
			}
			if i < 0 {
				return false
			}
			b = b[i+1:]
		case bytes.HasPrefix(b, []byte("/*!")) && len(b) > 3 && isDigit(b[3]):
			return true
		case bytes.HasPrefix(b, []byte("/*")):
			i := bytes.Index(b[2:], []byte("*/"))
			if i < 0 {
				return false
			}
			b = b[i+4:]
		default:
			return sqlStatementStart(b, atEOF)
		}
	}
}

// sqlStatementStart reports whether b starts with a statement a dump
// starts with.
func sqlStatementStart(b []byte, atEOF bool) bool {
	if b[0] == '\\' {
		// psql: \connect, \restrict, \set
		w := b[1:]
		n := 0
		for n < len(w) && w[n] >= 'a' && w[n] <= 'z' {
			n++
		}
		return n >= 3 && n < len(w) && (w[n] == ' ' || w[n] == '\n')
	}
	w, rest := sqlWord(b)
	switch {
	case eqFold(w, "SET"):
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i]
		}
		name, after := sqlWord(rest)
		if len(name) == 0 && len(rest) > 0 && rest[0] == '@' {
			name, after = sqlWord(rest[1:])
		}
		next, _ := sqlWord(after)
		after = bytes.TrimLeft(after, " \t")
		return len(name) > 0 && bytes.IndexByte(line, ';') >= 0 &&
			(len(after) > 0 && after[0] == '=' || eqFold(next, "TO") || eqFold(name, "NAMES"))
	case eqFold(w, "INSERT"), eqFold(w, "REPLACE"):
		w, rest = sqlWord(rest)
		for eqFold(w, "IGNORE") || eqFold(w, "LOW_PRIORITY") || eqFold(w, "DELAYED") || eqFold(w, "HIGH_PRIORITY") {
			w, rest = sqlWord(rest)
		}
		if !eqFold(w, "INTO") {
			return false
		}
		rest, ok := sqlName(rest)
		if !ok {
			return false
		}
		if len(rest) > 0 && rest[0] == '(' {
			return true
		}
		w, _ = sqlWord(rest)
		return eqFold(w, "VALUES") || eqFold(w, "VALUE") || eqFold(w, "SELECT") || eqFold(w, "SET") ||
			eqFold(w, "DEFAULT") || eqFold(w, "OVERRIDING")
	case eqFold(w, "CREATE"), eqFold(w, "DROP"):
		drop := eqFold(w, "DROP")
		w, rest = sqlWord(rest)
		for eqFold(w, "TEMPORARY") || eqFold(w, "UNLOGGED") || eqFold(w, "OR") || eqFold(w, "REPLACE") {
			w, rest = sqlWord(rest)
		}
		if !eqFold(w, "TABLE") && !eqFold(w, "DATABASE") && !eqFold(w, "SCHEMA") {
			return false
		}
		table := eqFold(w, "TABLE")
		if w, r := sqlWord(rest); eqFold(w, "IF") {
			w, r = sqlWord(r)
			if eqFold(w, "NOT") {
				w, r = sqlWord(r)
			}
			if !eqFold(w, "EXISTS") {
				return false
			}
			rest = r
		}
		rest, ok := sqlName(rest)
		if !ok {
			return false
		}
		if len(rest) > 0 && (rest[0] == ';' || rest[0] == ',' || rest[0] == '/') || len(rest) == 0 && !atEOF {
			return true
		}
		w, _ = sqlWord(rest)
		switch {
		case drop:
			return eqFold(w, "CASCADE") || eqFold(w, "RESTRICT")
		case table:
			return len(rest) > 0 && rest[0] == '(' || eqFold(w, "AS") || eqFold(w, "LIKE") || eqFold(w, "PARTITION")
		}
		return eqFold(w, "DEFAULT") || eqFold(w, "CHARACTER") || eqFold(w, "CHARSET") || eqFold(w, "COLLATE") ||
			eqFold(w, "WITH") || eqFold(w, "OWNER") || eqFold(w, "AUTHORIZATION") || eqFold(w, "ENCODING")
	case eqFold(w, "LOCK"):
		if w, rest = sqlWord(rest); !eqFold(w, "TABLES") && !eqFold(w, "TABLE") {
			return false
		}
		rest, ok := sqlName(rest)
		w, _ = sqlWord(rest)
		return ok && (eqFold(w, "READ") || eqFold(w, "WRITE") || eqFold(w, "IN"))
	case eqFold(w, "START"):
		w, rest = sqlWord(rest)
		rest = bytes.TrimLeft(rest, " \t")
		return eqFold(w, "TRANSACTION") && len(rest) > 0 && rest[0] == ';'
	case eqFold(w, "BEGIN"), eqFold(w, "USE"):
		if eqFold(w, "USE") {
			var ok bool
			if rest, ok = sqlName(rest); !ok {
				return false
			}
		}
		rest = bytes.TrimLeft(rest, " \t")
		return len(rest) > 0 && rest[0] == ';'
	case eqFold(w, "COPY"):
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line = b[:i]
		}
		return bytes.Contains(bytes.ToLower(line), []byte(" from stdin"))
	}
	return false
}

// sqlWord returns the bare ASCII word at the start of b (after spaces) and
// what follows it.
func sqlWord(b []byte) (word, rest []byte) {
	b = bytes.TrimLeft(b, " \t\r\n")
	n := 0
	for n < len(b) && isIdentByte(b[n]) && b[n] < 0x80 {
		n++
	}
	return b[:n], b[n:]
}

// sqlName skips a table name, bare or quoted, possibly qualified, at the
// start of b (after spaces), and returns what follows it, spaces trimmed.
func sqlName(b []byte) ([]byte, bool) {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) == 0 {
			return nil, false
		}
		if b[0] == '`' || b[0] == '"' {
			i := bytes.IndexByte(b[1:], b[0])
			if i < 0 {
				return nil, false
			}
			b = b[i+2:]
		} else {
			n := 0
			for n < len(b) && isIdentByte(b[n]) {
				n++
			}
			if n == 0 {
				return nil, false
			}
			b = b[n:]
		}
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) == 0 || b[0] != '.' {
			return b, true
		}
		b = b[1:]
	}
}
