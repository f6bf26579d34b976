// Package untrusted makes strings that come from strangers safe to print:
// names and columns of a dump, source names and paths of a shared
// signature, file names of a catalog directory. Printed raw, a newline in
// a source name forges a line of a report, an ESC sequence drives the
// analyst's terminal, and a bracket or a backtick breaks out of Markdown.
// Every text, Markdown, HTML and error output passes such strings through
// Text or Markdown (HTML then escapes markup with html/template), and every
// CSV cell through CSV; JSON is escaped by its encoder.
package untrusted

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text returns s safe to print to a terminal or a plain-text report: every
// control character (C0, DEL, C1), line or paragraph separator and
// bidirectional control, and every byte that is not UTF-8, is written as a
// Go escape (\n, \x1b, \u202e), so that s can neither start a line nor
// drive the terminal nor reorder what is shown. Other text, in any script,
// is left as it is.
func Text(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if escape(r) || (r == utf8.RuneError && n == 1) {
			return escapeFrom(s, i)
		}
		i += n
	}
	return s
}

func escapeFrom(s string, i int) string {
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && escape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case escape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escape reports whether r must not reach a terminal or a report as it is.
func escape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true // C0, DEL, C1: line breaks, ESC, CSI
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional controls, which reorder what is shown
	}
	return false
}

// markdownSpecial are the characters that start Markdown constructs in a
// line of text: code, emphasis, links and images, HTML, tables,
// strikethrough, and the escape itself.
const markdownSpecial = "\\`*_[]<>|!~&"

// Markdown returns s safe to put in a line of Markdown (a paragraph, a list
// item or a table cell, not a code span): Text's escapes, then a backslash
// before every character that could start a construct, so that s shows
// as it is written and links, HTML and table cells cannot be forged.
func Markdown(s string) string {
	s = Text(s)
	if !strings.ContainsAny(s, markdownSpecial) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formulaStart holds the characters that make a spreadsheet read a cell as
// a formula (OWASP's CSV injection list; tab and carriage return are
// already escaped by Text).
const formulaStart = "=+-@"

// CSV returns s safe as a cell of a CSV file that may be opened in a
// spreadsheet: Text's escapes, then a leading apostrophe when s would start
// with a formula character, so that "=HYPERLINK(...)" shows as text. The
// CSV writer still quotes the cell; CSV only decides what it holds.
func CSV(s string) string {
	s = Text(s)
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}
