package synth

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is a text encoding a dump is written in.
type Encoding string

// Encodings.
const (
	UTF8        Encoding = "utf-8"
	UTF8BOM     Encoding = "utf-8-bom"
	Windows1251 Encoding = "windows-1251"
	KOI8U       Encoding = "koi8-u"
	KOI8R       Encoding = "koi8-r"
	CP866       Encoding = "cp866"
	UTF16LE     Encoding = "utf-16le" // with a byte-order mark
)

// Layout is the shape of a dump file.
type Layout string

// Layouts.
const (
	// CSV is delimited text (see Format.Delimiter).
	CSV Layout = "csv"
	// JSONL is one JSON object a line.
	JSONL Layout = "jsonl"
	// Combo is a combolist: "login:password" a line, no header, with the
	// first two columns.
	Combo Layout = "combo"
)

// Format says how a dump is written.
type Format struct {
	Layout Layout
	// Delimiter separates CSV fields (default ',') and combolist fields
	// (default ':').
	Delimiter rune
	// Encoding of the bytes (default UTF-8).
	Encoding Encoding
	// NoHeader leaves out the CSV header line.
	NoHeader bool
	// CRLF ends lines with CR LF.
	CRLF bool
	// Gzip compresses the file (header without name or time, so the bytes
	// are reproducible).
	Gzip bool
	// Nested writes JSON keys with dots ("user.name") as nested objects.
	Nested bool
}

// Table is a dump before it is written: a header and rows of cells. An
// empty cell is written as an empty CSV field, and left out of a JSON
// object.
type Table struct {
	Header []string
	Rows   [][]string
}

// Write writes t to w in format f.
func Write(w io.Writer, t Table, f Format) error {
	b, err := Marshal(t, f)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal returns the bytes of t written in format f.
func Marshal(t Table, f Format) ([]byte, error) {
	var text bytes.Buffer
	var err error
	switch f.Layout {
	case "", CSV:
		err = writeCSV(&text, t, f)
	case JSONL:
		err = writeJSONL(&text, t, f)
	case Combo:
		err = writeCombo(&text, t, f)
	default:
		err = fmt.Errorf("synth: unknown layout %q", f.Layout)
	}
	if err != nil {
		return nil, err
	}
	out, err := encode(text.Bytes(), f.Encoding)
	if err != nil {
		return nil, err
	}
	if !f.Gzip {
		return out, nil
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if _, err := zw.Write(out); err != nil {
		return nil, fmt.Errorf("synth: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("synth: gzip: %w", err)
	}
	return z.Bytes(), nil
}

func writeCSV(w *bytes.Buffer, t Table, f Format) error {
	cw := csv.NewWriter(w)
	cw.Comma = ','
	if f.Delimiter != 0 {
		cw.Comma = f.Delimiter
	}
	cw.UseCRLF = f.CRLF
	if !f.NoHeader && len(t.Header) > 0 {
		if err := cw.Write(t.Header); err != nil {
			return fmt.Errorf("synth: csv header: %w", err)
		}
	}
	for i, row := range t.Rows {
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("synth: csv row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

func eol(f Format) string {
	if f.CRLF {
		return "\r\n"
	}
	return "\n"
}

func writeCombo(w *bytes.Buffer, t Table, f Format) error {
	sep := ':'
	if f.Delimiter != 0 {
		sep = f.Delimiter
	}
	for i, row := range t.Rows {
		if len(row) < 2 {
			return fmt.Errorf("synth: combolist row %d has %d fields, want 2", i+1, len(row))
		}
		if row[0] == "" || row[1] == "" {
			continue
		}
		w.WriteString(row[0])
		w.WriteRune(sep)
		w.WriteString(row[1])
		w.WriteString(eol(f))
	}
	return nil
}

// jsonNode is an ordered JSON object under construction.
type jsonNode struct {
	keys []string
	vals map[string]any // string or *jsonNode
}

func (n *jsonNode) set(path []string, v string) {
	if n.vals == nil {
		n.vals = map[string]any{}
	}
	k := path[0]
	if len(path) == 1 {
		if _, ok := n.vals[k]; !ok {
			n.keys = append(n.keys, k)
		}
		n.vals[k] = v
		return
	}
	child, ok := n.vals[k].(*jsonNode)
	if !ok {
		child = &jsonNode{}
		if _, had := n.vals[k]; !had {
			n.keys = append(n.keys, k)
		}
		n.vals[k] = child
	}
	child.set(path[1:], v)
}

func (n *jsonNode) write(w *bytes.Buffer) {
	w.WriteByte('{')
	for i, k := range n.keys {
		if i > 0 {
			w.WriteString(", ")
		}
		writeJSONString(w, k)
		w.WriteString(": ")
		switch v := n.vals[k].(type) {
		case string:
			writeJSONString(w, v)
		case *jsonNode:
			v.write(w)
		}
	}
	w.WriteByte('}')
}

// writeJSONString writes s as a JSON string, with <, > and & as they are.
func writeJSONString(w *bytes.Buffer, s string) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes; Encode adds a newline
	w.Truncate(w.Len() - 1)
}

func writeJSONL(w *bytes.Buffer, t Table, f Format) error {
	for i, row := range t.Rows {
		if len(row) != len(t.Header) {
			return fmt.Errorf("synth: jsonl row %d has %d fields, header %d", i+1, len(row), len(t.Header))
		}
		var n jsonNode
		for j, v := range row {
			if v == "" {
				continue
			}
			path := []string{t.Header[j]}
			if f.Nested {
				path = strings.Split(t.Header[j], ".")
			}
			n.set(path, v)
		}
		n.write(w)
		w.WriteString(eol(f))
	}
	return nil
}

// encode converts UTF-8 text to enc. Characters enc cannot hold become
// '?' (or its equivalent), as they do in real re-encoded dumps.
func encode(b []byte, enc Encoding) ([]byte, error) {
	var e encoding.Encoding
	switch enc {
	case "", UTF8:
		return b, nil
	case UTF8BOM:
		return append([]byte("\xef\xbb\xbf"), b...), nil
	case Windows1251:
		e = charmap.Windows1251
	case KOI8U:
		e = charmap.KOI8U
	case KOI8R:
		e = charmap.KOI8R
	case CP866:
		e = charmap.CodePage866
	case UTF16LE:
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	default:
		return nil, fmt.Errorf("synth: unknown encoding %q", enc)
	}
	out, _, err := transform.Bytes(encoding.ReplaceUnsupported(e.NewEncoder()), b)
	if err != nil {
		return nil, fmt.Errorf("synth: encode %s: %w", enc, err)
	}
	return out, nil
}
