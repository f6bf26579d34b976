package sampleset

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errLineTooLong is returned by lineReader.next for a line over the limit.
var errLineTooLong = errors.New("line too long")

// lineReader splits a byte stream into lines without ever holding more than
// the limit asked for (plus one buffer) of one line. Lines of a single-byte
// code page are decoded to UTF-8 on the way.
type lineReader struct {
	br    *bufio.Reader
	table *byteTable // nil: the stream is already UTF-8

	// pending holds decoded bytes pushed back by the parser; they are read
	// before br. fromPending says the last line came (partly) from them.
	pending     []byte
	pendBuf     []byte
	fromPending bool

	acc []byte // a line assembled from several chunks
	dec []byte // a decoded line

	partial  bool // the line last returned too long is not wholly read
	skip     bool // drop the rest of the current line first
	cur      int  // 1-based number of the line last returned
	nextLine int  // number of the line the next call returns
	err      error
}

func newLineReader(br *bufio.Reader, table *byteTable) *lineReader {
	return &lineReader{br: br, table: table, nextLine: 1}
}

// next returns the next line, with its terminator if it has one. The slice
// is valid until the next call. A line longer than limit bytes yields
// errLineTooLong together with what was read of it (at most limit plus one
// buffer): the rest of the line is still unread, call skipLine to have it dropped.
// At the end of the input next returns io.EOF.
func (lr *lineReader) next(limit int) ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	if lr.skip {
		lr.skip = false
		if err := lr.discard(); err != nil {
			return nil, err
		}
	}
	lr.cur = lr.nextLine
	lr.fromPending = false
	acc := lr.acc[:0]
	assembling := false
	if len(lr.pending) > 0 {
		lr.fromPending = true
		if i := bytes.IndexByte(lr.pending, '\n'); i >= 0 {
			line := lr.pending[:i+1]
			if len(line) > limit {
				lr.partial = true // skipLine drops it from pending
				return line, errLineTooLong
			}
			lr.pending = lr.pending[i+1:]
			lr.nextLine++
			return line, nil
		}
		acc = append(acc, lr.pending...)
		lr.pending = nil
		assembling = true
	}
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if err == nil && !assembling {
			if len(chunk) > limit {
				lr.partial = false
				return chunk, errLineTooLong
			}
			lr.nextLine++
			if lr.table != nil {
				lr.dec = lr.table.appendDecoded(lr.dec[:0], chunk)
				return lr.dec, nil
			}
			return chunk, nil
		}
		if lr.table != nil {
			acc = lr.table.appendDecoded(acc, chunk)
		} else {
			acc = append(acc, chunk...)
		}
		lr.acc = acc
		switch {
		case err == nil:
			if len(acc) > limit {
				lr.partial = false
				return acc, errLineTooLong
			}
			lr.nextLine++
			return acc, nil
		case err == bufio.ErrBufferFull:
			if len(acc) > limit {
				lr.partial = true
				return acc, errLineTooLong
			}
			assembling = true
		case err == io.EOF:
			if len(acc) == 0 {
				return nil, io.EOF
			}
			if len(acc) > limit {
				lr.partial = false
				return acc, errLineTooLong
			}
			lr.nextLine++
			return acc, nil
		default:
			lr.err = err
			return nil, err
		}
	}
}

// chunk returns the next piece of the input, decoded: up to and including
// a line break, or a buffer's worth; io.EOF at the end. The slice is valid
// until the next call. It is for readers that count lines themselves (JSON
// text) and must not be mixed with next.
func (lr *lineReader) chunk() ([]byte, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	b, err := lr.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull, err == io.EOF && len(b) > 0:
	case err == io.EOF:
		return nil, io.EOF
	case err != nil:
		lr.err = err
		return nil, err
	}
	if lr.table != nil {
		lr.dec = lr.table.appendDecoded(lr.dec[:0], b)
		return lr.dec, nil
	}
	return b, nil
}

// skipLine arranges for the rest of the current line (after
// errLineTooLong) to be dropped, without buffering it, when the next line
// is asked for: so an error about a huge line is reported at once.
func (lr *lineReader) skipLine() {
	lr.nextLine = lr.cur + 1
	lr.skip = lr.partial
	lr.partial = false
}

// discard drops the rest of a line.
func (lr *lineReader) discard() error {
	if len(lr.pending) > 0 {
		if i := bytes.IndexByte(lr.pending, '\n'); i >= 0 {
			lr.pending = lr.pending[i+1:]
			return nil
		}
		lr.pending = nil
	}
	for {
		_, err := lr.br.ReadSlice('\n')
		switch err {
		case nil, io.EOF:
			return nil
		case bufio.ErrBufferFull:
			continue
		default:
			lr.err = err
			return err
		}
	}
}

// unread pushes decoded bytes back, to be read again starting at line
// number line. Only called when nothing is pending.
func (lr *lineReader) unread(b []byte, line int) {
	lr.pendBuf = append(lr.pendBuf[:0], b...)
	lr.pending = lr.pendBuf
	lr.nextLine = line
}

// trimEOL drops a trailing "\n" or "\r\n" and reports whether there was
// one. A line without "\n" is the last of the input: a "\r" ending it is
// dropped too (as encoding/csv does), but no line break follows it.
func trimEOL(line []byte) ([]byte, bool) {
	n := len(line)
	if n == 0 {
		return line, false
	}
	if line[n-1] != '\n' {
		if line[n-1] == '\r' {
			return line[:n-1], false
		}
		return line, false
	}
	n--
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return line[:n], true
}

// delimParser parses delimited text: fields separated by comma, optionally
// enclosed in double quotes (RFC 4180: a quoted field may hold the
// delimiter, newlines and doubled quotes). A quote inside an unquoted field
// is kept as it is. Its limits are the Reader's.
type delimParser struct {
	lr        *lineReader
	comma     byte // '\n' means no delimiter: one field per record
	quotes    bool
	maxSplit  int // > 0: the maxSplit-th field takes the rest of the record
	maxBytes  int
	maxFields int
	checkUTF8 bool

	rec  []byte // the record's field contents
	ends []int  // end of each field in rec
	raw  []byte // the record's continuation lines, for pushing back
}

// read returns the next record (fresh strings, appended to dst[:0]) and the
// line it starts on. Empty lines are not records. Errors are *ParseError
// (the parser stays usable), io.EOF, or the input's I/O error.
func (p *delimParser) read(dst []string) ([]string, int, error) {
	for {
		line, err := p.lr.next(p.maxBytes)
		start := p.lr.cur
		if err != nil {
			if err == errLineTooLong {
				p.lr.skipLine()
				return nil, start, p.tooLarge(start, 0)
			}
			return nil, start, err
		}
		body, _ := trimEOL(line)
		if len(body) == 0 {
			continue
		}
		if !p.quotes || bytes.IndexByte(body, '"') < 0 {
			rec, err := p.fast(dst, body, start)
			return rec, start, err
		}
		rec, err := p.slow(dst, line, start)
		return rec, start, err
	}
}

func (p *delimParser) tooLarge(line, field int) error {
	return &ParseError{Line: line, Column: field,
		Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, p.maxBytes)}
}

// check rejects records holding binary data or invalid UTF-8.
func (p *delimParser) check(b []byte, line int) error {
	if bytes.IndexByte(b, 0) >= 0 {
		return &ParseError{Line: line, Err: fmt.Errorf("%w: NUL byte", ErrBinary)}
	}
	if p.checkUTF8 && !validUTF8(b) {
		return &ParseError{Line: line, Err: fmt.Errorf("%w: invalid UTF-8", ErrEncoding)}
	}
	return nil
}

// fast parses a one-line record without quotes: one string for the whole
// record, fields sliced from it.
func (p *delimParser) fast(dst []string, body []byte, line int) ([]string, error) {
	if err := p.check(body, line); err != nil {
		return nil, err
	}
	n := 1
	if p.comma != '\n' {
		n += bytes.Count(body, []byte{p.comma})
	}
	if p.maxSplit > 0 && n > p.maxSplit {
		n = p.maxSplit
	}
	if n > p.maxFields {
		return nil, &ParseError{Line: line, Err: fmt.Errorf("%w: %d fields, limit %d", ErrTooManyFields, n, p.maxFields)}
	}
	s := string(body)
	rec := dst[:0]
	if cap(rec) < n {
		rec = make([]string, 0, n)
	}
	for i := 1; i < n; i++ {
		j := strings.IndexByte(s, p.comma)
		rec = append(rec, s[:j])
		s = s[j+1:]
	}
	return append(rec, s), nil
}

// slow parses a record with quotes, which may span lines.
func (p *delimParser) slow(dst []string, line []byte, start int) ([]string, error) {
	p.rec = p.rec[:0]
	p.ends = p.ends[:0]
	p.raw = p.raw[:0]
	total := len(line)
	body, hasEOL := trimEOL(line)
	pos := 0
	for {
		field := len(p.ends) + 1
		if field > p.maxFields {
			return nil, &ParseError{Line: start, Err: fmt.Errorf("%w: over %d fields", ErrTooManyFields, p.maxFields)}
		}
		if pos < len(body) && body[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(body[pos:], '"')
				if i >= 0 {
					p.rec = append(p.rec, body[pos:pos+i]...)
					pos += i + 1
					if pos < len(body) && body[pos] == '"' {
						p.rec = append(p.rec, '"')
						pos++
						continue
					}
					break
				}
				// The quoted field goes on past the end of the line.
				p.rec = append(p.rec, body[pos:]...)
				if !hasEOL {
					return nil, p.unclosed(start, field, false)
				}
				if p.lr.fromPending {
					// Re-reading lines after an unclosed quote: a quoted
					// field may not span lines, so every line is judged
					// on its own and the work stays linear.
					return nil, &ParseError{Line: start, Column: field,
						Err: fmt.Errorf("%w: unclosed quote", ErrQuote)}
				}
				p.rec = append(p.rec, '\n')
				next, err := p.lr.next(p.maxBytes - total)
				if err != nil {
					switch err {
					case io.EOF:
						return nil, p.unclosed(start, field, false)
					case errLineTooLong:
						p.raw = append(p.raw, next...)
						return nil, p.unclosed(start, field, true)
					}
					return nil, err
				}
				p.raw = append(p.raw, next...)
				total += len(next)
				body, hasEOL = trimEOL(next)
				pos = 0
			}
			// After the closing quote: a delimiter or the end of the line.
			if pos == len(body) {
				p.ends = append(p.ends, len(p.rec))
				break
			}
			if body[pos] != p.comma {
				// After a field spanning lines, most likely an earlier
				// quote was never closed: read those lines again.
				if len(p.raw) > 0 {
					p.lr.unread(p.raw, start+1)
				}
				return nil, &ParseError{Line: start, Column: field,
					Err: fmt.Errorf("%w: %q after closing quote", ErrQuote, body[pos])}
			}
			pos++
			p.ends = append(p.ends, len(p.rec))
			continue
		}
		i := -1
		if p.maxSplit == 0 || field < p.maxSplit {
			i = bytes.IndexByte(body[pos:], p.comma)
		}
		if i < 0 {
			p.rec = append(p.rec, body[pos:]...)
			p.ends = append(p.ends, len(p.rec))
			break
		}
		p.rec = append(p.rec, body[pos:pos+i]...)
		p.ends = append(p.ends, len(p.rec))
		pos += i + 1
	}
	if err := p.check(p.rec, start); err != nil {
		return nil, err
	}
	s := string(p.rec)
	rec := dst[:0]
	if cap(rec) < len(p.ends) {
		rec = make([]string, 0, len(p.ends))
	}
	prev := 0
	for _, e := range p.ends {
		rec = append(rec, s[prev:e])
		prev = e
	}
	return rec, nil
}

// unclosed reports a quoted field that never closes, and pushes the lines
// after the record's first one back so that they are parsed again: one bad
// quote costs one record, not the rest of the file.
func (p *delimParser) unclosed(start, field int, tooLarge bool) error {
	if len(p.raw) > 0 {
		p.lr.unread(p.raw, start+1)
	}
	if tooLarge {
		return &ParseError{Line: start, Column: field,
			Err: fmt.Errorf("%w: %w: quoted field unclosed after %d bytes", ErrRecordTooLarge, ErrQuote, p.maxBytes)}
	}
	return &ParseError{Line: start, Column: field, Err: fmt.Errorf("%w: unclosed quote", ErrQuote)}
}

// delimiterCandidates are tried in this order of preference; ':' only when
// none of them fits.
var delimiterCandidates = []byte{',', ';', '\t', '|'}

// fieldCounts counts the fields of up to max records of win split at comma,
// honouring quotes when quotes is set. The last line is left out when win
// does not hold the whole input (it may be cut off).
func fieldCounts(win []byte, atEOF bool, comma byte, quotes bool, max int) []int {
	if !atEOF {
		if i := bytes.LastIndexByte(win, '\n'); i >= 0 {
			win = win[:i+1]
		}
	}
	var counts []int
	n, inQuote, fieldStart, empty := 1, false, true, true
	for i := 0; i < len(win) && len(counts) < max; i++ {
		c := win[i]
		switch {
		case inQuote:
			if c == '"' {
				if i+1 < len(win) && win[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		case c == '\n':
			if !empty {
				counts = append(counts, n)
			}
			n, fieldStart, empty = 1, true, true
			continue
		case c == '\r':
			continue
		case c == comma:
			n++
			fieldStart = true
			empty = false
			continue
		case c == '"' && quotes && fieldStart:
			inQuote = true
		}
		fieldStart = false
		empty = false
	}
	if !empty && !inQuote && len(counts) < max {
		counts = append(counts, n)
	}
	return counts
}

// modeShare returns the most common count (the larger one on a tie) and
// the share of counts equal to it.
func modeShare(counts []int) (mode int, share float64) {
	if len(counts) == 0 {
		return 0, 0
	}
	freq := make(map[int]int)
	best := 0
	for _, c := range counts {
		freq[c]++
		if f := freq[c]; f > best || f == best && c > mode {
			mode, best = c, f
		}
	}
	return mode, float64(best) / float64(len(counts))
}

// sniffDelimiter picks the delimiter that splits the records of win into
// the most consistent number of fields (more than one); among equally
// consistent ones the one giving more fields, then the earlier candidate.
// A candidate mostly followed by a space is punctuation in text (the commas
// of "12, MG Road, Mumbai" in a tab-separated file), so it is taken only
// when no other fits. ':' is chosen only when no other fits and it splits
// almost every line; then maxSplit is its field count. With nothing
// fitting, comma is '\n': each record is one field.
func sniffDelimiter(win []byte, atEOF bool, max int) (comma byte, maxSplit int) {
	const tie = 0.02
	best, bestMode, bestShare, bestProse := byte(0), 0, 0.0, false
	for _, c := range delimiterCandidates {
		mode, share := modeShare(fieldCounts(win, atEOF, c, true, max))
		if mode < 2 || share < 0.6 {
			continue
		}
		prose := c != '\t' && proseShare(win, c) >= 0.5
		switch {
		case best == 0, bestProse && !prose:
		case prose && !bestProse:
			continue
		case share > bestShare+tie, share >= bestShare-tie && mode > bestMode:
		default:
			continue
		}
		best, bestMode, bestShare, bestProse = c, mode, share, prose
	}
	if best != 0 {
		return best, 0
	}
	if ok, split := colonFit(win, atEOF, max); ok {
		return ':', split
	}
	return '\n', 0
}

// proseShare is the share of the unquoted occurrences of c in win that a
// space follows, as in written text; a delimiter written by a program is
// seldom followed by one.
func proseShare(win []byte, c byte) float64 {
	n, spaced := 0, 0
	inQuote, fieldStart := false, true
	for i := 0; i < len(win); i++ {
		switch b := win[i]; {
		case inQuote:
			if b == '"' {
				if i+1 < len(win) && win[i+1] == '"' {
					i++
				} else {
					inQuote = false
				}
			}
			continue
		case b == '"' && fieldStart:
			inQuote = true
		case b == c:
			n++
			if i+1 < len(win) && win[i+1] == ' ' {
				spaced++
			}
			fieldStart = true
			continue
		case b == '\n':
			fieldStart = true
			continue
		}
		fieldStart = false
	}
	if n == 0 {
		return 0
	}
	return float64(spaced) / float64(n)
}

// colonFit reports whether ':' splits the lines of win consistently: the
// most common count n of fields is at least 2, at least 80% of the lines
// have n fields and nearly all have n or more (the last field, a password,
// may hold colons). It returns n.
func colonFit(win []byte, atEOF bool, max int) (bool, int) {
	counts := fieldCounts(win, atEOF, ':', false, max)
	mode, share := modeShare(counts)
	if mode < 2 {
		return false, 0
	}
	atLeast := 0
	for _, c := range counts {
		if c >= mode {
			atLeast++
		}
	}
	return share >= 0.8 && float64(atLeast) >= 0.98*float64(len(counts)), mode
}
