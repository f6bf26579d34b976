package canon

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentCases are known answers for AppendDocument. want "" means
// Invalid. All numbers are synthetic.
var documentCases = []struct{ in, want string }{
	// Ukrainian driving licence (3 letters + 6 digits), in either layout.
	{"ВОВ584508", "BOB584508"},
	{"BOB 584508", "BOB584508"},
	{"вов-584508", "BOB584508"},
	{"ВОВ 584508", "BOB584508"},
	{"bob584508", "BOB584508"},
	{"ВoВ584508", "BOB584508"}, // mixed layouts inside one word
	{"AAA 123456", "AAA123456"},
	{"ААА 123456", "AAA123456"},
	{"КХТ123456", "KXT123456"},
	{"ЕРС 000001", "EPC000001"},
	// Ukrainian passport: booklet (2 Cyrillic letters + 6 digits), ID card (9 digits).
	{"МЕ 123456", "ME123456"},
	{"ME123456", "ME123456"},
	{"ме123456", "ME123456"},
	{"МЕ №123456", "ME123456"},
	{"МЕ № 123456", "ME123456"},
	{"000123456", "000123456"},
	{"НО 654321", "HO654321"},
	{"ТТ-123456", "TT123456"},
	{"ІК123456", "IK123456"},
	{"ік123456", "IK123456"},
	{"ЖШ123456", "ЖШ123456"}, // no look-alikes: stay Cyrillic
	{"жш123456", "ЖШ123456"},
	{"ЇЄ123456", "ЇЄ123456"},
	{"ґу123456", "ҐУ123456"},
	{"ЮЯ 123456", "ЮЯ123456"},
	// Russian passport: 4-digit series + 6-digit number.
	{"45 06 123456", "4506123456"},
	{"4506 123456", "4506123456"},
	{"4506123456", "4506123456"},
	{"45-06-123456", "4506123456"},
	{"45 06 № 123456", "4506123456"},
	{"45 06 No 123456", "4506123456"},
	{"45 06 No. 123456", "4506123456"},
	{"45 06 №123456", "4506123456"},
	// Kazakhstan passport and ID.
	{"N12345678", "N12345678"},
	{"n12345678", "N12345678"},
	{"N 12345678", "N12345678"},
	{"No N12345678", "N12345678"},
	{"қа 123456", "ҚA123456"},
	{"ӘҒ123456", "ӘҒ123456"},
	// India: passport (letter + 7 digits) and driving licence.
	{"J8369854", "J8369854"},
	{"j8369854", "J8369854"},
	{"J 836 9854", "J8369854"},
	{"MH-12-2011-0012345", "MH1220110012345"},
	{"MH12 20110012345", "MH1220110012345"},
	{"mh/12/2011/0012345", "MH1220110012345"},
	{"DL-0420110149646", "DL0420110149646"},
	// "No" words and numero signs.
	{"No 123456", "123456"},
	{"No.123456", "123456"},
	{"No:123456", "123456"},
	{"no 123456", "123456"},
	{"NO 123456", "123456"},
	{"No123456", "123456"},
	{"Nº 123456", "123456"},
	{"N° 123456", "123456"},
	{"Nº123456", "123456"},
	{"№123456", "123456"},
	{"NO123456", "NO123456"},  // capital O running into digits: a series
	{"AB NO1234", "ABNO1234"}, // likewise
	{"NOB 584508", "NOB584508"},
	{"AN 123456", "AN123456"},
	{"NN 123456", "NN123456"},
	// Full-width forms, typographic spaces and dashes.
	{"ＭＥ１２３４５６", "ME123456"},
	{"ｍｅ　１２３４５６", "ME123456"},
	{"ＭＨ－１２－２０１１－００１２３４５", "MH1220110012345"},
	{"ME\u00a0123456", "ME123456"},
	{"ME\u2009123456", "ME123456"},
	{"ME\u2013123456", "ME123456"},
	{"ME\u2212123456", "ME123456"},
	{"ME\u200b123456", "ME123456"},
	{"ME_123456", "ME123456"},
	{"ME#123456", "ME123456"},
	{`ME\123456`, "ME123456"},
	{"  ME 123456  ", "ME123456"},
	// Digits of other scripts (since version 2), without NFKC.
	{"ME١٢٣٤٥٦", "ME123456"},                  // Arabic-Indic
	{"МЕ №۱۲۳۴۵۶", "ME123456"},                // extended Arabic-Indic
	{"MH-१२-२०११-००१२३४५", "MH1220110012345"}, // Devanagari
	{"J৮৩৬৯৮৫৪", "J8369854"},                  // Bengali
	{"No١٢٣٤٥٦", "123456"},                    // "No" before another script's digit
	{"No１２３４５６", "123456"},                    // and before a full-width one
	{"45 06 No．123456", "4506123456"},         // full-width full stop after "No"
	{"ME٣٤123456", "ME34123456"},              // scripts mixed
	{"ЙЦ١٢٣٤٥٦", "ЙЦ123456"},                 // with NFKC
	// NFKC slow path: decomposed letters, compatibility forms.
	{"И\u0306Ц123456", "ЙЦ123456"}, // И + combining breve = Й
	{"Е\u0308Ж123456", "ЁЖ123456"}, // Е + combining diaeresis = Ё
	{"ME¹²³⁴⁵⁶", "ME123456"},       // superscript digits
	{"Ü123456", "Ü123456"},         // other Latin letters stay
	{"ü123456", "Ü123456"},
	// Lengths and digit counts.
	{"A1234", "A1234"},
	{"1234", ""},
	{"ABC123", ""},
	{"ABCDEFGH", ""},
	{"12345678901234567890", "12345678901234567890"},
	{"123456789012345678901", ""},
	{"AB-12-34-56-78-90-12-34-56-78", "AB123456789012345678"},
	{"AB-12-34-56-78-90-12-34-56-78-9", ""},
	// Invalid.
	{"", ""},
	{"   ", ""},
	{"---", ""},
	{"No", ""},
	{"ME(123456)", ""},
	{"ME,123456", ""},
	{"ME+123456", ""},
	{"ME\x00123456", ""},
	{"ME\xff123456", ""},
	{"ΑΒ123456", ""}, // Greek
	{"ME 123456 ☺", ""},
	{"ME\u0483123456", ""}, // combining titlo, alone
}

func TestAppendDocument(t *testing.T) {
	for _, c := range documentCases {
		got, st := AppendDocument(nil, c.in)
		if c.want == "" {
			assert.Equal(t, Invalid, st, "AppendDocument(%q) = %q", c.in, got)
			assert.Empty(t, got, "AppendDocument(%q) must leave dst unchanged", c.in)
			continue
		}
		assert.Equal(t, Valid, st, "AppendDocument(%q)", c.in)
		assert.Equal(t, c.want, string(got), "AppendDocument(%q)", c.in)
	}
}

func TestAppendDocumentSameNumber(t *testing.T) {
	spellings := [][]string{
		{"ВОВ584508", "BOB 584508", "вов-584508", "bob.584508", "ВОВ № 584508"},
		{"МЕ 123456", "ME123456", "ме-123456", "МE 123456"},
		{"45 06 123456", "4506123456", "45-06 № 123456"},
	}
	for _, group := range spellings {
		want, st := AppendDocument(nil, group[0])
		require.Equal(t, Valid, st, "AppendDocument(%q)", group[0])
		for _, s := range group[1:] {
			got, st := AppendDocument(nil, s)
			assert.Equal(t, Valid, st, "AppendDocument(%q)", s)
			assert.Equal(t, string(want), string(got), "AppendDocument(%q) vs %q", s, group[0])
		}
	}
}

func TestAppendDocumentAppends(t *testing.T) {
	dst := []byte("x|")
	got, st := AppendDocument(dst, "вов 584508")
	require.Equal(t, Valid, st)
	assert.Equal(t, "x|BOB584508", string(got))

	got, st = AppendDocument(dst, "ME(123456)")
	assert.Equal(t, Invalid, st)
	assert.Equal(t, "x|", string(got), "Invalid must return dst unchanged")
}

// TestDocumentUpperCyrillic checks the hand-written upper-casing of the
// Cyrillic block against the unicode package.
func TestDocumentUpperCyrillic(t *testing.T) {
	for r := rune(0x400); r <= 0x4FF; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		assert.Equal(t, unicode.ToUpper(r), docUpperCyrillic(r), "docUpperCyrillic(%U)", r)
	}
}

// TestDocumentLookalikes checks the fold against the DESIGN list: exactly
// twelve Cyrillic capitals (and their small forms) become Latin.
func TestDocumentLookalikes(t *testing.T) {
	pairs := map[rune]rune{'А': 'A', 'В': 'B', 'Е': 'E', 'І': 'I', 'К': 'K', 'М': 'M',
		'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X'}
	folded := 0
	for r := rune(0x400); r <= 0x4FF; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		want, ok := pairs[unicode.ToUpper(r)]
		if !ok {
			want = unicode.ToUpper(r)
		} else {
			folded++
		}
		got, st := AppendDocument(nil, string(r)+"1234")
		require.Equal(t, Valid, st, "AppendDocument(%U)", r)
		assert.Equal(t, string(want)+"1234", string(got), "AppendDocument(%U)", r)
	}
	assert.Equal(t, 24, folded, "twelve capitals and twelve small letters fold")
}

func TestDocumentShape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ВОВ584508", "AAA999999"},
		{"ME 123456", "AA999999"},
		{"45 06 123456", "9999999999"},
		{"N12345678", "A99999999"},
		{"ЖШ123456", "AA999999"},
		{"MH-12-2011-0012345", "AA9999999999999"},
	} {
		canon, st := AppendDocument(nil, c.in)
		require.Equal(t, Valid, st, "AppendDocument(%q)", c.in)
		assert.Equal(t, c.want, documentShape(canon), "documentShape of %q", c.in)
	}
	assert.Equal(t, "", documentShape(nil))
	assert.Equal(t, "A9-", documentShape([]byte("b1-")), "non-canonical input is shaped as it is")
	buf := make([]byte, 0, 32)
	assert.Zero(t, testing.AllocsPerRun(100, func() { appendDocumentShape(buf[:0], []byte("ЖШ123456")) }))
}

// documentFast reports whether AppendDocument must not allocate for s: it
// needs no NFKC.
func documentFast(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf, r >= 0x400 && r <= 0x4FF && (r <= 0x481 || r >= 0x48A),
			r >= 0xFF01 && r <= 0xFF5E, docSeparator(r), r == 'º', r == '°', unicode.Is(unicode.Nd, r):
		default:
			return false
		}
	}
	return true
}

func TestAppendDocumentAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	fast := 0
	for _, c := range documentCases {
		if !documentFast(c.in) {
			continue
		}
		fast++
		allocs := testing.AllocsPerRun(100, func() { AppendDocument(buf[:0], c.in) })
		assert.Zero(t, allocs, "AppendDocument(%q) allocates", c.in)
	}
	assert.Greater(t, fast, 80, "most cases are on the fast path")
}

var documentBench = []string{
	"ВОВ584508",
	"BOB 584508",
	"вов-584508",
	"МЕ 123456",
	"45 06 123456",
	"N12345678",
	"J8369854",
	"MH-12-2011-0012345",
	"МЕ №123456",
	"ME(123456)",
}

func BenchmarkAppendDocument(b *testing.B) {
	var total int
	for _, s := range documentBench {
		total += len(s)
	}
	b.SetBytes(int64(total / len(documentBench)))
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf, _ = AppendDocument(buf[:0], documentBench[i%len(documentBench)])
	}
}

// BenchmarkAppendDocumentNFKC is the slow path.
func BenchmarkAppendDocumentNFKC(b *testing.B) {
	inputs := []string{"И\u0306Ц123456", "ME¹²³⁴⁵⁶", "ü123456"}
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf, _ = AppendDocument(buf[:0], inputs[i%len(inputs)])
	}
}

func FuzzAppendDocument(f *testing.F) {
	for _, c := range documentCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dst := []byte("prefix")
		got, st := AppendDocument(dst, s)
		require.Equal(t, "prefix", string(got[:6]), "AppendDocument(%q) changed dst", s)
		if st != Valid {
			require.Equal(t, Invalid, st, "AppendDocument(%q)", s)
			require.Len(t, got, 6, "AppendDocument(%q): Invalid must leave dst unchanged", s)
			return
		}
		canon := string(got[6:])
		n := utf8.RuneCountInString(canon)
		require.True(t, n >= docMinLen && n <= docMaxLen, "AppendDocument(%q) = %q: length %d", s, canon, n)
		again, st2 := AppendDocument(nil, canon)
		require.Equal(t, Valid, st2, "AppendDocument(%q) = %q does not re-canonicalise", s, canon)
		require.Equal(t, canon, string(again), "AppendDocument(%q) = %q is not a fixed point", s, canon)
		require.Equal(t, n, len(documentShape(again)), "documentShape(%q)", canon)
	})
}
