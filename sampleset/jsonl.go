package sampleset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// keyValue is one flattened member of a JSON line.
type keyValue struct {
	key, value string
}

// jsonParser reads JSON lines: one object per line, flattened to dotted
// keys.
type jsonParser struct {
	lr        *lineReader
	maxBytes  int
	maxFields int
	checkUTF8 bool
	kvs       []keyValue
	br        bytes.Reader
}

// read returns the next object's members, in the order written (a slice
// reused by the next call), and the line it is on. Blank lines are not
// records.
func (p *jsonParser) read() ([]keyValue, int, error) {
	for {
		line, err := p.lr.next(p.maxBytes)
		start := p.lr.cur
		if err != nil {
			if err == errLineTooLong {
				if err := p.lr.skipLine(); err != nil {
					return nil, start, err
				}
				return nil, start, &ParseError{Line: start,
					Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, p.maxBytes)}
			}
			return nil, start, err
		}
		body := bytes.TrimSpace(line)
		if len(body) == 0 {
			continue
		}
		if bytes.IndexByte(body, 0) >= 0 {
			return nil, start, &ParseError{Line: start, Err: fmt.Errorf("%w: NUL byte", ErrBinary)}
		}
		if p.checkUTF8 && !utf8.Valid(body) {
			return nil, start, &ParseError{Line: start, Err: fmt.Errorf("%w: invalid UTF-8", ErrEncoding)}
		}
		kvs, err := p.parse(body)
		if err != nil {
			return nil, start, &ParseError{Line: start, Err: err}
		}
		return kvs, start, nil
	}
}

// parse flattens one JSON object. Nested objects become dotted keys, arrays
// their compact JSON text, numbers stay as written, null becomes "".
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
	if err := p.object(dec, body, ""); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the object", ErrJSON)
	}
	return p.kvs, nil
}

// object flattens the members of an object whose '{' has been read.
func (p *jsonParser) object(dec *json.Decoder, body []byte, prefix string) error {
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
		// Peek at the value: an object is walked, anything else decoded
		// whole.
		if nextValueByte(body[dec.InputOffset():]) == '{' {
			if _, err := dec.Token(); err != nil {
				return fmt.Errorf("%w: %w", ErrJSON, err)
			}
			if err := p.object(dec, body, key+"."); err != nil {
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
