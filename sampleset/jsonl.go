package sampleset

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// keyValue is one flattened member of a JSON record.
type keyValue struct {
	key, value string
}

// maxJSONDepth bounds the nesting of objects within a record.
const maxJSONDepth = 512

// jsonParser reads JSON records, flattened to dotted keys: one object per
// line (JSONLines), or, with stream set (JSONArray), the elements of
// top-level arrays and top-level objects however they are spread over
// lines.
type jsonParser struct {
	lr        *lineReader
	maxBytes  int
	maxFields int
	checkUTF8 bool
	stream    *jsonStream // nil: JSON lines
	kvs       []keyValue
	br        bytes.Reader
}

// newJSONParser returns a parser of JSON lines, or of JSON text (format
// JSONArray) when stream is set.
func newJSONParser(lr *lineReader, maxBytes, maxFields int, checkUTF8, stream bool) *jsonParser {
	p := &jsonParser{lr: lr, maxBytes: maxBytes, maxFields: maxFields, checkUTF8: checkUTF8}
	if stream {
		p.stream = &jsonStream{lr: lr, maxBytes: maxBytes, line: 1, resync: -1}
	}
	return p
}

// read returns the next object's members, in the order written (a slice
// reused by the next call), and the line it starts on. Blank lines are not
// records.
func (p *jsonParser) read() ([]keyValue, int, error) {
	if p.stream != nil {
		return p.readStream()
	}
	for {
		line, err := p.lr.next(p.maxBytes)
		start := p.lr.cur
		if err != nil {
			if err == errLineTooLong {
				p.lr.skipLine()
				return nil, start, &ParseError{Line: start,
					Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, p.maxBytes)}
			}
			return nil, start, err
		}
		body := bytes.TrimSpace(line)
		if len(body) == 0 {
			continue
		}
		kvs, err := p.record(body)
		if err != nil {
			return nil, start, &ParseError{Line: start, Err: err}
		}
		return kvs, start, nil
	}
}

// readStream returns the next element of a JSON array (or top-level
// object) as read.
func (p *jsonParser) readStream() ([]keyValue, int, error) {
	body, start, err := p.stream.next()
	if err != nil {
		return nil, start, err
	}
	kvs, err := p.record(body)
	if err != nil {
		if n := p.stream.index; p.stream.inArray && n > 0 {
			err = fmt.Errorf("%w (array element %d)", err, n)
		}
		return nil, start, &ParseError{Line: start, Err: err}
	}
	return kvs, start, nil
}

// record checks and flattens one record's text.
func (p *jsonParser) record(body []byte) ([]keyValue, error) {
	if bytes.IndexByte(body, 0) >= 0 {
		return nil, fmt.Errorf("%w: NUL byte", ErrBinary)
	}
	if p.checkUTF8 && !validUTF8(body) {
		return nil, fmt.Errorf("%w: invalid UTF-8", ErrEncoding)
	}
	return p.parse(body)
}

// parse flattens one JSON object. Nested objects become dotted keys, arrays
// their compact JSON text, numbers stay as written, null becomes "".
// MongoDB extended JSON wrappers become their values (see mongoValue).
func (p *jsonParser) parse(body []byte) ([]keyValue, error) {
	p.kvs = p.kvs[:0]
	if body[0] != '{' {
		return nil, fmt.Errorf("%w: not an object", ErrJSON)
	}
	p.br.Reset(body)
	dec := json.NewDecoder(&p.br)
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJSON, err)
	}
	if err := p.object(dec, body, "", 1); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the object", ErrJSON)
	}
	return p.kvs, nil
}

// object flattens the members of an object whose '{' has been read from
// dec, which reads body; depth is the object's nesting.
func (p *jsonParser) object(dec *json.Decoder, body []byte, prefix string, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("%w: objects nested over %d deep", ErrJSON, maxJSONDepth)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %w", ErrJSON, err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%w: object key expected", ErrJSON)
		}
		key = prefix + key
		if len(p.kvs) >= p.maxFields {
			return fmt.Errorf("%w: over %d members", ErrTooManyFields, p.maxFields)
		}
		// Peek at the value: an object is walked, unless it is an extended
		// JSON wrapper; anything else is decoded whole.
		rest := body[dec.InputOffset():]
		if nextValueByte(rest) == '{' {
			if !startsWithDollarKey(rest) {
				if _, err := dec.Token(); err != nil {
					return fmt.Errorf("%w: %w", ErrJSON, err)
				}
				if err := p.object(dec, body, key+".", depth+1); err != nil {
					return err
				}
				continue
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fmt.Errorf("%w: %w", ErrJSON, err)
			}
			if v, ok := mongoValue(raw); ok {
				p.kvs = append(p.kvs, keyValue{key, v})
				continue
			}
			// Keys starting with '$' that are not a wrapper: flatten.
			sub := json.NewDecoder(bytes.NewReader(raw))
			sub.UseNumber()
			if _, err := sub.Token(); err != nil {
				return fmt.Errorf("%w: %w", ErrJSON, err)
			}
			if err := p.object(sub, raw, key+".", depth+1); err != nil {
				return err
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%w: %w", ErrJSON, err)
		}
		v, err := jsonValueText(raw)
		if err != nil {
			return err
		}
		p.kvs = append(p.kvs, keyValue{key, v})
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fmt.Errorf("%w: %w", ErrJSON, err)
	}
	return nil
}

// nextValueByte returns the first byte of the value after a key: the byte
// after the colon and white space.
func nextValueByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', ':':
			continue
		}
		return c
	}
	return 0
}

// startsWithDollarKey reports whether the object value at the start of b
// (after the colon) has a first key starting with '$'.
func startsWithDollarKey(b []byte) bool {
	i := bytes.IndexByte(b, '{')
	if i < 0 {
		return false
	}
	b = bytes.TrimLeft(b[i+1:], " \t\r\n")
	return len(b) >= 2 && b[0] == '"' && b[1] == '$'
}

// jsonValueText renders a scalar or array value as a field.
func jsonValueText(raw json.RawMessage) (string, error) {
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w: %w", ErrJSON, err)
		}
		return s, nil
	case 'n':
		return "", nil
	case '[':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", fmt.Errorf("%w: %w", ErrJSON, err)
		}
		return b.String(), nil
	}
	return string(raw), nil // number as written, true, false
}

// mongoValue renders a MongoDB extended JSON wrapper (canonical or relaxed
// v2, or the legacy forms older mongoexport writes) as the value it wraps:
//
//   - {"$oid": "5c79..."}: the hex string;
//   - {"$date": "2019-03-01T00:00:00Z"}: the date text as given;
//     {"$date": {"$numberLong": "1551398400000"}} and {"$date": 1551398400000}
//     (milliseconds since 1970): RFC 3339 in UTC, "2019-03-01T00:00:00Z",
//     with a fraction only when the milliseconds are not zero (the number
//     as given when the year falls outside 0000-9999);
//   - {"$numberLong" | "$numberInt" | "$numberDouble" | "$numberDecimal": "12"}:
//     the number text as given ("Infinity", "NaN" too);
//   - {"$binary": {"base64": "...", "subType": "04"}} and the legacy
//     {"$binary": "...", "$type": "04"}: for subtype 4 (UUID) of 16 bytes
//     the UUID in its hyphenated lower-case form, else the base64 text as
//     given;
//   - {"$uuid": "..."}, {"$symbol": "..."}, {"$code": "..."} (with or
//     without "$scope"): the string;
//   - {"$regularExpression": {"pattern": "^a", "options": "i"}} and the
//     legacy {"$regex": "^a", "$options": "i"}: "/^a/i";
//   - {"$timestamp": {"t": 1551398400, "i": 1}}: t as RFC 3339 in UTC (the
//     ordinal i is dropped);
//   - {"$minKey": 1}, {"$maxKey": 1}, {"$undefined": true}: "", like null.
//
// Anything else, including a wrapper with other keys or values of the
// wrong type, is not a wrapper (ok false) and is flattened as an object.
func mongoValue(raw []byte) (string, bool) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return "", false
	}
	str := func(k string) (string, bool) {
		v, ok := m[k]
		if !ok || len(v) == 0 || v[0] != '"' {
			return "", false
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	}
	switch len(m) {
	case 1:
	case 2:
		switch {
		case m["$binary"] != nil && m["$type"] != nil:
			data, ok1 := str("$binary")
			sub, ok2 := str("$type")
			return binaryText(data, sub), ok1 && ok2
		case m["$regex"] != nil && m["$options"] != nil:
			pat, ok1 := str("$regex")
			opt, ok2 := str("$options")
			return "/" + pat + "/" + opt, ok1 && ok2
		case m["$code"] != nil && m["$scope"] != nil:
			return str("$code")
		}
		return "", false
	default:
		return "", false
	}
	for k, v := range m {
		switch k {
		case "$oid", "$uuid", "$symbol", "$code":
			return str(k)
		case "$numberLong", "$numberInt", "$numberDouble", "$numberDecimal":
			if s, ok := str(k); ok {
				return s, true
			}
			if len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
				return string(v), true
			}
		case "$date":
			return dateText(v)
		case "$binary":
			var b struct {
				Base64  *string `json:"base64"`
				SubType *string `json:"subType"`
			}
			if json.Unmarshal(v, &b) != nil || b.Base64 == nil || b.SubType == nil {
				return "", false
			}
			return binaryText(*b.Base64, *b.SubType), true
		case "$regularExpression":
			var re struct {
				Pattern *string `json:"pattern"`
				Options *string `json:"options"`
			}
			if json.Unmarshal(v, &re) != nil || re.Pattern == nil || re.Options == nil {
				return "", false
			}
			return "/" + *re.Pattern + "/" + *re.Options, true
		case "$timestamp":
			var ts struct {
				T *uint32 `json:"t"`
				I *uint32 `json:"i"`
			}
			if json.Unmarshal(v, &ts) != nil || ts.T == nil || ts.I == nil {
				return "", false
			}
			return time.Unix(int64(*ts.T), 0).UTC().Format(time.RFC3339), true
		case "$minKey", "$maxKey", "$undefined":
			return "", true
		}
	}
	return "", false
}

// dateText renders the value of a "$date" wrapper.
func dateText(v json.RawMessage) (string, bool) {
	if len(v) == 0 {
		return "", false
	}
	var ms string
	switch {
	case v[0] == '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	case v[0] == '{':
		var w struct {
			N *string `json:"$numberLong"`
		}
		if json.Unmarshal(v, &w) != nil || w.N == nil {
			return "", false
		}
		ms = *w.N
	default:
		ms = string(v)
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return "", false
	}
	t := time.UnixMilli(n).UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return ms, true
	}
	return t.Format(time.RFC3339Nano), true
}

// binaryText renders BSON binary data given as base64 with its subtype
// (hex): a 16-byte UUID (subtype 4) as a UUID, anything else as given.
func binaryText(b64, subType string) string {
	if st, err := strconv.ParseUint(subType, 16, 8); err == nil && st == 4 {
		if b, err := base64.StdEncoding.DecodeString(b64); err == nil && len(b) == 16 {
			h := hex.EncodeToString(b)
			return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		}
	}
	return b64
}

// jsonStream splits JSON text that is not one object a line into records:
// the elements of top-level arrays, and top-level objects, however they
// are spread over lines (pretty-printed, or a whole array on one huge
// line). It finds where each element ends by scanning strings and nesting,
// without decoding, and holds at most maxBytes of one element: a longer
// one is reported at once and the rest of it passed over on the next call.
// Commas between elements are optional (and may repeat); text between
// top-level values that starts neither an array nor an object is reported
// and passed over to the end of its line.
//
// A string broken by a line break (a missing quote) is reported, and
// reading goes on at the next line whose first non-blank character is a
// '{' indented no deeper than the broken element's, or the array's ']':
// the start of the next element in pretty-printed text.
type jsonStream struct {
	lr       *lineReader
	maxBytes int

	buf  []byte // unread rest of the current chunk
	line int    // 1-based line of buf[0]
	col  int    // bytes before buf[0] on its line
	eof  bool

	inArray   bool // inside a top-level array
	arrayLine int  // the line where it opens
	index     int  // the number of the last element begun in it
	resync    int  // >= 0: skipping to a line starting an element indented no deeper
	skipping  bool // passing over the rest of an element too large
	elem      []byte
	sc        elementScan
}

// elementScan is the state of scanning one element.
type elementScan struct {
	container bool // an object or array, else a string or other scalar
	depth     int
	inStr     bool
	esc       bool
	startCol  int
}

// Outcomes of jsonStream.scan.
const (
	scanDone   = iota // the element ended
	scanBroken        // a line break inside a string
	scanEOF           // the input ended inside the element
	scanMore          // the element outgrew maxBytes and goes on
)

// fill makes buf non-empty, unless the input has ended (false).
func (s *jsonStream) fill() (bool, error) {
	for len(s.buf) == 0 {
		if s.eof {
			return false, nil
		}
		b, err := s.lr.chunk()
		if err == io.EOF {
			s.eof = true
			continue
		}
		if err != nil {
			return false, err
		}
		s.buf = b
	}
	return true, nil
}

// consume drops the first n bytes of buf, counting lines.
func (s *jsonStream) consume(n int) {
	b := s.buf[:n]
	if k := bytes.Count(b, []byte{'\n'}); k > 0 {
		s.line += k
		s.col = n - 1 - bytes.LastIndexByte(b, '\n')
	} else {
		s.col += n
	}
	s.buf = s.buf[n:]
}

// skipLine drops the rest of the current line.
func (s *jsonStream) skipLine() error {
	for {
		ok, err := s.fill()
		if !ok {
			return err
		}
		if i := bytes.IndexByte(s.buf, '\n'); i >= 0 {
			s.consume(i + 1)
			return nil
		}
		s.consume(len(s.buf))
	}
}

// skipToResync drops lines until one whose first non-blank byte starts an
// element indented no deeper than s.resync (or closes the array), leaving
// that byte unread.
func (s *jsonStream) skipToResync() error {
	for s.resync >= 0 {
		ok, err := s.fill()
		if !ok {
			s.resync = -1
			return err
		}
		switch c := s.buf[0]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			s.consume(1)
		case s.col <= s.resync && (c == '{' || c == ']' && s.inArray || c == '[' && !s.inArray):
			s.resync = -1
		default:
			if err := s.skipLine(); err != nil {
				return err
			}
		}
	}
	return nil
}

// next returns the text of the next record and the line where it starts
// (the slice is valid until the next call); io.EOF at the end, a
// *ParseError for a bad element or broken structure, or an I/O error.
func (s *jsonStream) next() ([]byte, int, error) {
	for {
		if s.skipping {
			res, _, err := s.scan(false)
			if err != nil {
				return nil, s.line, err
			}
			s.skipping = false
			switch res {
			case scanBroken:
				s.resync = s.sc.startCol
			case scanEOF:
				s.inArray = false
			}
		}
		if s.resync >= 0 {
			if err := s.skipToResync(); err != nil {
				return nil, s.line, err
			}
		}
		ok, err := s.fill()
		if err != nil {
			return nil, s.line, err
		}
		if !ok {
			if s.inArray {
				s.inArray = false
				return nil, s.line, &ParseError{Line: s.line,
					Err: fmt.Errorf("%w: the input ends inside the array opened on line %d", ErrJSON, s.arrayLine)}
			}
			return nil, s.line, io.EOF
		}
		switch c := s.buf[0]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',':
			s.consume(1)
		case s.inArray && c == ']':
			s.inArray = false
			s.consume(1)
		case s.inArray || c == '{':
			if s.inArray {
				s.index++
			}
			return s.element()
		case c == '[':
			s.inArray, s.arrayLine, s.index = true, s.line, 0
			s.consume(1)
		default:
			line := s.line
			if err := s.skipLine(); err != nil {
				return nil, line, err
			}
			return nil, line, &ParseError{Line: line,
				Err: fmt.Errorf("%w: %q where an array or an object should start", ErrJSON, c)}
		}
	}
}

// element reads one value starting at buf[0] (not white space, ',' or
// ']'): an object or array to its closing bracket, a string to its closing
// quote, or anything else up to white space or a delimiter.
func (s *jsonStream) element() ([]byte, int, error) {
	start := s.line
	c0 := s.buf[0]
	s.sc = elementScan{container: c0 == '{' || c0 == '[', inStr: c0 == '"', startCol: s.col}
	if s.sc.container {
		s.sc.depth = 1
	}
	s.elem = append(s.elem[:0], c0)
	s.consume(1)
	res, tooLarge, err := s.scan(true)
	if err != nil {
		return nil, start, err
	}
	if res == scanBroken {
		s.resync = s.sc.startCol
	}
	inArray, where := s.inArray, s.where()
	if res == scanEOF {
		s.inArray = false
	}
	switch {
	case tooLarge:
		s.skipping = res == scanMore
		return nil, start, &ParseError{Line: start,
			Err: fmt.Errorf("%w: over %d bytes%s", ErrRecordTooLarge, s.maxBytes, where)}
	case res == scanBroken:
		return nil, start, &ParseError{Line: start,
			Err: fmt.Errorf("%w: a line break inside a string (a quote is missing?)%s", ErrJSON, where)}
	case res == scanEOF:
		what := "an object"
		if inArray {
			what = fmt.Sprintf("array element %d (the array opened on line %d)", s.index, s.arrayLine)
		}
		return nil, start, &ParseError{Line: start,
			Err: fmt.Errorf("%w: the input ends inside %s", ErrJSON, what)}
	}
	return s.elem, start, nil
}

// scan goes on scanning the element of s.sc, appending its bytes to
// s.elem when keep is set, until it ends, a string breaks, the input ends
// or (when keep is set) it outgrows maxBytes: then tooLarge is set, and
// the outcome is scanMore unless the element ended there too. A scalar
// other than a string ends at the end of the input.
func (s *jsonStream) scan(keep bool) (outcome int, tooLarge bool, err error) {
	sc := &s.sc
	for {
		ok, err := s.fill()
		if err != nil {
			return 0, false, err
		}
		if !ok {
			if !sc.container && !sc.inStr {
				return scanDone, false, nil
			}
			return scanEOF, false, nil
		}
		b := s.buf
		i, res := 0, -1
	loop:
		for ; i < len(b); i++ {
			if sc.inStr && !sc.esc {
				// Jump to the next byte that matters in a string.
				j := bytes.IndexAny(b[i:], "\"\\\n")
				if j < 0 {
					i = len(b)
					break
				}
				i += j
			}
			c := b[i]
			if sc.inStr {
				switch {
				case sc.esc:
					sc.esc = false
				case c == '\\':
					sc.esc = true
				case c == '"':
					sc.inStr = false
					if sc.depth == 0 {
						i++
						res = scanDone
						break loop
					}
				case c == '\n':
					i++
					res = scanBroken
					break loop
				}
				continue
			}
			if !sc.container {
				switch c {
				case ' ', '\t', '\r', '\n', ',', ']', '{', '[':
					res = scanDone
					break loop
				}
				continue
			}
			switch c {
			case '"':
				sc.inStr = true
			case '{', '[':
				sc.depth++
			case '}', ']':
				sc.depth--
				if sc.depth == 0 {
					i++
					res = scanDone
					break loop
				}
			}
		}
		if keep && len(s.elem)+i > s.maxBytes {
			s.elem = s.elem[:0]
			s.consume(i)
			if res < 0 {
				res = scanMore
			}
			return res, true, nil
		}
		if keep {
			s.elem = append(s.elem, b[:i]...)
		}
		s.consume(i)
		if res >= 0 {
			return res, false, nil
		}
	}
}

// where names the array element being read, for errors.
func (s *jsonStream) where() string {
	if !s.inArray {
		return ""
	}
	return fmt.Sprintf(" (array element %d)", s.index)
}
