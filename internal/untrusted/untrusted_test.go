package untrusted

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bank-2016", "bank-2016"},
		{"Петренко Іван", "Петренко Іван"},
		{"राहुल शर्मा\u200d", "राहुल शर्मा\u200d"}, // a joiner Devanagari names use is kept
		{"bank\n\nEvidence:\n  - Verdict recycled 99%", `bank\n\nEvidence:\n  - Verdict recycled 99%`},
		{"x\x1b[31mred\x1b[0m", `x\x1b[31mred\x1b[0m`},
		{"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", `\x1b]8;;http://evil\x1b\link\x1b]8;;\x1b\`},
		{"a\u0085b\u2028c", `a\u0085b\u2028c`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"tab\there\r", `tab\there\r`},
	} {
		assert.Equalf(t, tc.want, Text(tc.in), "Text(%q)", tc.in)
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"bank-2016 (snapshot 2016-10-01)", "bank-2016 (snapshot 2016-10-01)"},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"name`with`ticks", "name\\`with\\`ticks"},
		{"a|b", `a\|b`},
		{"national_id", `national\_id`},
		{"line\nbreak", `line\\nbreak`},
		{"![img](x)", `\!\[img\](x)`},
	} {
		assert.Equalf(t, tc.want, Markdown(tc.in), "Markdown(%q)", tc.in)
	}
}

func TestCSV(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"leak.csv!users", "leak.csv!users"},
		{"=HYPERLINK(\"http://evil\",\"x\")", `'=HYPERLINK("http://evil","x")`},
		{"+380671234567", "'+380671234567"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", `\t=1`},
		{"\r=1", `\r=1`},
		{"a=b", "a=b"},
		{"", ""},
	} {
		assert.Equalf(t, tc.want, CSV(tc.in), "CSV(%q)", tc.in)
	}
}

func TestTextIsFreeForPlainStrings(t *testing.T) {
	s := "Софія Тимошенко +380975641661"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Text(s) }), "no allocation when nothing is escaped")
}
