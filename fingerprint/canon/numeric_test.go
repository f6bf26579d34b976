package canon

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numericScripts are decimal digit sets of dumps from the regions the
// package serves and beyond, each by its digit zero (the code points are
// those of the Unicode charts).
var numericScripts = []struct {
	name string
	zero rune
}{
	{"Arabic-Indic", '\u0660'},
	{"extended Arabic-Indic", '\u06F0'},
	{"N'Ko", '\u07C0'},
	{"Devanagari", '\u0966'},
	{"Bengali", '\u09E6'},
	{"Gurmukhi", '\u0A66'},
	{"Gujarati", '\u0AE6'},
	{"Oriya", '\u0B66'},
	{"Tamil", '\u0BE6'},
	{"Telugu", '\u0C66'},
	{"Kannada", '\u0CE6'},
	{"Malayalam", '\u0D66'},
	{"Thai", '\u0E50'},
	{"Lao", '\u0ED0'},
	{"Tibetan", '\u0F20'},
	{"Myanmar", '\u1040'},
	{"Khmer", '\u17E0'},
	{"Mongolian", '\u1810'},
	{"full-width", '\uFF10'},
	{"mathematical bold", '\U0001D7CE'},
	{"mathematical monospace", '\U0001D7F6'},
	{"Adlam", '\U0001E950'},
}

// inScript writes the ASCII digits of s with the digits of the script
// whose zero is zero.
func inScript(s string, zero rune) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = zero + r - '0'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fullWidth writes every printable ASCII character of s in its full-width
// form and spaces as ideographic spaces.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ':
			r = '\u3000'
		case r > ' ' && r < 0x7F:
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Go's table of decimal digits is made of whole runs of ten, which
// foldDigit relies on, and every digit folds to its value.
func TestFoldDigitTable(t *testing.T) {
	runs := 0
	check := func(lo, hi, stride uint32) {
		require.Equal(t, uint32(1), stride, "Nd range %04X-%04X has stride %d", lo, hi, stride)
		require.Zero(t, (hi-lo+1)%10, "Nd range %04X-%04X is no whole number of runs of ten", lo, hi)
		runs += int(hi-lo+1) / 10
	}
	for _, r := range unicode.Nd.R16 {
		check(uint32(r.Lo), uint32(r.Hi), uint32(r.Stride))
	}
	for _, r := range unicode.Nd.R32 {
		check(r.Lo, r.Hi, r.Stride)
	}
	assert.Greater(t, runs, 60, "decimal digit sets in Go's Unicode %s", unicode.Version)

	digits := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		d, ok := foldDigit(r)
		if !assert.Equal(t, unicode.Is(unicode.Nd, r), ok, "foldDigit(%U)", r) || !ok {
			continue
		}
		digits++
		// r is d-'0' places after a zero, and the digits between are Nd.
		zero := r - rune(d-'0')
		z, zok := foldDigit(zero)
		assert.True(t, zok && z == '0', "foldDigit(%U) = %c: %U is no zero", r, d, zero)
	}
	assert.Equal(t, 10*runs, digits)
	for _, s := range numericScripts {
		for i := range rune(10) {
			d, ok := foldDigit(s.zero + i)
			assert.True(t, ok && d == byte('0'+i), "%s digit %d (%U) = %q", s.name, i, s.zero+i, d)
		}
	}
	for _, r := range "²①Ⅻⅻ三½٫٬" { // numerals that are no decimal digits, Arabic separators
		_, ok := foldDigit(r)
		assert.False(t, ok, "foldDigit(%q)", r)
	}
}

func TestFoldNumeric(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"+380 67 123 45 67", "+380 67 123 45 67"},
		{"Іван 067", "Іван 067"},
		{"+٣٨٠ ٦٧ ١٢٣ ٤٥ ٦٧", "+380 67 123 45 67"},
		{"＋３８０（６７）１２３－４５－６７", "+380(67)123-45-67"},
		{"०९८७६५४३२१", "0987654321"},
		{"١٢٣\u3000۴۵۶", "123 456"},
		{"𝟎𝟏𝟐", "012"},
		{"Ж١ж", "Ж1ж"},
		{"\xff١\xfe", "\xff1\xfe"}, // invalid bytes kept
		{"²①Ⅻ", "²①Ⅻ"},
	} {
		got, changed := foldNumeric(c.in)
		assert.Equal(t, c.want, got, "foldNumeric(%q)", c.in)
		assert.Equal(t, c.want != c.in, changed, "foldNumeric(%q) reports a change", c.in)
	}
	for _, s := range numericScripts {
		got, _ := foldNumeric(inScript("0123456789", s.zero))
		assert.Equal(t, "0123456789", got, "the %s digits", s.name)
	}
	got, _ := foldNumeric(fullWidth("+38 (067) 123-45-67 ext. 5"))
	assert.Equal(t, "+38 (067) 123-45-67 ext. 5", got, "full-width forms")

	ascii := "+380 67 123 45 67"
	assert.Zero(t, testing.AllocsPerRun(100, func() { foldNumeric(ascii) }), "foldNumeric of ASCII allocates")
	arabic := inScript(ascii, '\u0660')
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { foldNumeric(arabic) }), 1.0, "foldNumeric allocates more than once")
}

// numericRenderings writes an ASCII value with the digits of every script,
// in full-width forms, and with digits of two scripts mixed.
func numericRenderings(s string) []struct{ how, value string } {
	var out []struct{ how, value string }
	for _, sc := range numericScripts {
		out = append(out, struct{ how, value string }{sc.name + " digits", inScript(s, sc.zero)})
	}
	out = append(out, struct{ how, value string }{"full-width forms", fullWidth(s)})
	var mixed strings.Builder
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			zero := []rune{'\u0660', '\u06F0', '\u0966', '0'}[n%4]
			r = zero + r - '0'
			n++
		}
		mixed.WriteRune(r)
	}
	out = append(out, struct{ how, value string }{"mixed scripts", mixed.String()})
	return out
}

// hasASCIIDigit reports whether s has a digit for the renderings to rewrite.
func hasASCIIDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// Every known answer of the ASCII tables comes out the same, form and
// status, when written with the digits of another script or in full-width
// forms.
func TestNumericScriptsPhone(t *testing.T) {
	for _, c := range phoneCases {
		if !hasASCIIDigit(c.in) {
			continue
		}
		want, wst := AppendPhone(nil, c.in, c.region)
		for _, r := range numericRenderings(c.in) {
			got, st := AppendPhone(nil, r.value, c.region)
			assert.Equal(t, wst, st, "AppendPhone(%q, %q), %s of %q", r.value, c.region, r.how, c.in)
			assert.Equal(t, string(want), string(got), "AppendPhone(%q, %q), %s of %q", r.value, c.region, r.how, c.in)
		}
	}
}

func TestNumericScriptsNationalID(t *testing.T) {
	for _, c := range nationalIDCases {
		if !hasASCIIDigit(c.in) {
			continue
		}
		for _, r := range numericRenderings(c.in) {
			got, st := AppendNationalID(nil, r.value, c.region)
			assert.Equal(t, c.st, st, "AppendNationalID(%q, %q), %s of %q", r.value, c.region, r.how, c.in)
			assert.Equal(t, c.want, string(got), "AppendNationalID(%q, %q), %s of %q", r.value, c.region, r.how, c.in)
		}
	}
}

func TestNumericScriptsCard(t *testing.T) {
	for _, c := range cardCases {
		if !hasASCIIDigit(c.in) {
			continue
		}
		for _, r := range numericRenderings(c.in) {
			got, st := AppendCard(nil, r.value)
			assert.Equal(t, c.st, st, "AppendCard(%q), %s of %q", r.value, r.how, c.in)
			assert.Equal(t, c.want, string(got), "AppendCard(%q), %s of %q", r.value, r.how, c.in)
		}
	}
}

func TestNumericScriptsDate(t *testing.T) {
	for _, c := range dateCases {
		if !hasASCIIDigit(c.in) {
			continue
		}
		for _, r := range numericRenderings(c.in) {
			got, st := AppendDate(nil, r.value, c.order)
			if c.want == "" {
				assert.Equal(t, Invalid, st, "AppendDate(%q), %s of %q", r.value, r.how, c.in)
				continue
			}
			assert.Equal(t, Valid, st, "AppendDate(%q), %s of %q", r.value, r.how, c.in)
			assert.Equal(t, c.want, string(got), "AppendDate(%q), %s of %q", r.value, r.how, c.in)
		}
	}
	// A column written in another script decides its order the same way.
	values := []string{"25.12.1990", "03.04.1991", "13.01.1985"}
	for _, sc := range numericScripts {
		var in []string
		for _, v := range values {
			in = append(in, inScript(strings.ReplaceAll(v, ".", "/"), sc.zero))
		}
		assert.Equal(t, DayFirst, DetectDateOrder(in), "DetectDateOrder(%q)", in)
		in = append(in[:0], inScript("12/25/1990", sc.zero), inScript("01/13/1985", sc.zero))
		assert.Equal(t, MonthFirst, DetectDateOrder(in), "DetectDateOrder(%q)", in)
	}
}

func TestNumericScriptsDocument(t *testing.T) {
	for _, c := range documentCases {
		if !hasASCIIDigit(c.in) {
			continue
		}
		for _, r := range numericRenderings(c.in) {
			got, st := AppendDocument(nil, r.value)
			if c.want == "" {
				assert.Equal(t, Invalid, st, "AppendDocument(%q), %s of %q", r.value, r.how, c.in)
				continue
			}
			assert.Equal(t, Valid, st, "AppendDocument(%q), %s of %q", r.value, r.how, c.in)
			assert.Equal(t, c.want, string(got), "AppendDocument(%q), %s of %q", r.value, r.how, c.in)
		}
		if p := DocumentPattern(c.in); p != DocNone {
			for _, r := range numericRenderings(c.in) {
				assert.Equal(t, p, DocumentPattern(r.value), "DocumentPattern(%q), %s of %q", r.value, r.how, c.in)
			}
		}
	}
}

// The ASCII paths stay free of allocations (the tests of each kind check
// them); the folded ones allocate once at most, document numbers never.
func TestNumericScriptsAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, sc := range numericScripts {
		phone := inScript("+380 67 123 45 67", sc.zero)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { AppendPhone(buf[:0], phone, UA) }), 1.0, "AppendPhone(%q)", phone)
		national := inScript("067 123 45 67", sc.zero)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { AppendPhone(buf[:0], national, UA) }), 1.0, "AppendPhone(%q)", national)
		id := inScript("3300701234", sc.zero)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { AppendNationalID(buf[:0], id, UA) }), 1.0, "AppendNationalID(%q)", id)
		card := inScript("4111 1111 1111 1111", sc.zero)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { AppendCard(buf[:0], card) }), 1.0, "AppendCard(%q)", card)
		date := inScript("03.04.1990", sc.zero)
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { AppendDate(buf[:0], date, DayFirst) }), 1.0, "AppendDate(%q)", date)
		doc := inScript("МЕ № 123456", sc.zero)
		assert.Zero(t, testing.AllocsPerRun(100, func() { AppendDocument(buf[:0], doc) }), "AppendDocument(%q)", doc)
		assert.Zero(t, testing.AllocsPerRun(100, func() { DocumentPattern(doc) }), "DocumentPattern(%q)", doc)
	}
}

func BenchmarkFoldNumeric(b *testing.B) {
	inputs := []string{inScript("+380 67 123 45 67", '\u0660'), fullWidth("067-123-45-67"), inScript("3300701234", '\u0966')}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		foldNumeric(inputs[i%len(inputs)])
	}
}

// BenchmarkAppendPhoneScripts is the folded path of AppendPhone.
func BenchmarkAppendPhoneScripts(b *testing.B) {
	inputs := []string{inScript("+380 67 123 45 67", '\u0660'), fullWidth("067 123 45 67"), inScript("+91 98765 43210", '\u0966')}
	b.ReportAllocs()
	buf := make([]byte, 0, 32)
	for i := 0; i < b.N; i++ {
		buf, _ = AppendPhone(buf[:0], inputs[i%len(inputs)], UA)
	}
}

func FuzzFoldNumeric(f *testing.F) {
	for _, s := range []string{"", "+380 67 123 45 67", "٠٦٧ ١٢٣ ٤٥ ٦٧", "۰۶۷", "०९८", "০৯৮", "０６７－１２３", "𝟎𝟏", "²①", "Ж\xff١", "\u3000"} {
		f.Add(s)
	}
	for _, sc := range numericScripts {
		f.Add(inScript("03.04.1990", sc.zero))
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, changed := foldNumeric(s)
		if !changed {
			require.Equal(t, s, got, "foldNumeric(%q) changed nothing but returned another string", s)
		}
		require.LessOrEqual(t, len(got), len(s), "foldNumeric(%q) = %q grew", s, got)
		require.Equal(t, utf8.ValidString(s), utf8.ValidString(got), "foldNumeric(%q) = %q: validity of UTF-8", s, got)
		again, changed2 := foldNumeric(got)
		require.False(t, changed2, "foldNumeric(%q) = %q is folded again to %q", s, got, again)
		// Character by character: kept, or folded to its ASCII reading.
		i, j := 0, 0
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if a, ok := foldNumericRune(r); ok && size > 1 {
				require.Equal(t, a, got[j], "foldNumeric(%q) at byte %d", s, i)
				if unicode.IsDigit(r) {
					require.True(t, a >= '0' && a <= '9', "digit %U folds to %q", r, a)
				}
				j++
			} else {
				require.Equal(t, s[i:i+size], got[j:j+size], "foldNumeric(%q) at byte %d", s, i)
				j += size
			}
			i += size
		}
		require.Equal(t, len(got), j, "foldNumeric(%q) = %q has bytes left over", s, got)

		// The canonicalisers read a value and its folded form alike.
		if !changed {
			return
		}
		for _, k := range []Kind{Phone, NationalID, CardNumber, BirthDate, Passport} {
			for _, region := range []Region{UA, KZ, ""} {
				a, sa := Append(nil, k, s, Options{Region: region})
				b, sb := Append(nil, k, got, Options{Region: region})
				require.Equal(t, sb, sa, "%s %q and its fold %q in %q", k, s, got, region)
				require.Equal(t, string(b), string(a), "%s %q and its fold %q in %q", k, s, got, region)
			}
		}
	})
}

// Example spellings the fold was made for, as a table for the reader.
func ExampleAppendPhone_scripts() {
	for _, s := range []string{"+٣٨٠ ٦٧ ١٢٣ ٤٥ ٦٧", "０６７－１２３－４５－６７", "+९१ ९८७६५ ४३२१०"} {
		e, st := AppendPhone(nil, s, UA)
		fmt.Println(string(e), st)
	}
	// Output:
	// +380671234567 valid
	// +380671234567 valid
	// +919876543210 valid
}
