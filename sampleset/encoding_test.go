package sampleset

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

func TestValidUTF8(t *testing.T) {
	tests := []string{
		"", "ascii only, longer than eight bytes", "Київ", "a\xffb", "\xc0\x80", "\xc2", "\xc2\x41",
		"\xe2\x82\xac", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80",
		"Иван,+380501234567,ivan@example.com,\"Київ, вул. Хрещатик 1\"",
		"12345678\xdf\xbf12345678", "12345678\xdf",
	}
	for _, s := range tests {
		assert.Equal(t, utf8.ValidString(s), validUTF8([]byte(s)), "input %q", s)
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("Київ, вул. Хрещатик"))
	f.Add([]byte("a\xffb\xc2"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if utf8.Valid(b) != validUTF8(b) {
			t.Fatalf("validUTF8(%q) = %v", b, !utf8.Valid(b))
		}
	})
}

// TestByteTables checks the table decoders against golang.org/x/text for
// every byte.
func TestByteTables(t *testing.T) {
	for _, tc := range []struct {
		cm    *charmap.Charmap
		table *byteTable
	}{
		{charmap.Windows1251, tableCP1251},
		{charmap.KOI8U, tableKOI8U},
		{charmap.KOI8R, tableKOI8R},
		{charmap.CodePage866, tableCP866},
		{charmap.ISO8859_5, tableISO88595},
		{charmap.MacintoshCyrillic, tableMacCyrillic},
		{charmap.CodePage855, tableCP855},
	} {
		all := make([]byte, 0, 256*2)
		for i := range 256 {
			all = append(all, byte(i), 'x')
		}
		want, err := tc.cm.NewDecoder().Bytes(all)
		assert.NoError(t, err)
		got := tc.table.appendDecoded([]byte("prefix"), all)
		assert.True(t, bytes.Equal(append([]byte("prefix"), want...), got), "table of %s", tc.cm)
	}
}

func TestDetectEncoding(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "utf-8"},
		{"ascii", []byte("a,b\n1,2\n"), "utf-8"},
		{"bom utf-8", []byte("\xef\xbb\xbfa"), "utf-8"},
		{"bom utf-16le", []byte("\xff\xfea\x00"), "utf-16le"},
		{"bom utf-16be", []byte("\xfe\xff\x00a"), "utf-16be"},
		{"utf-16le without bom", []byte("n\x00a\x00m\x00e\x00,\x00x\x00\n\x00"), "utf-16le"},
		{"utf-16be without bom", []byte("\x00n\x00a\x00m\x00e\x00,\x00x\x00\n"), "utf-16be"},
		{"utf-8 with one bad byte", []byte("Іваненко Олена Петрівна, Київ, Хрещатик\xff\n"), "utf-8"},
	}
	for _, tt := range tests {
		e, err := detectEncoding(tt.in, true)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, e.name, tt.name)
	}
	// A window cut in the middle of a character is still UTF-8.
	cut := []byte("Київ")[:3]
	e, err := detectEncoding(cut, false)
	require.NoError(t, err, "cut character")
	assert.Equal(t, "utf-8", e.name, "cut character")
}

// cyrillicPages are the code pages the detector tells apart, with what
// stands in, in each, for the letters it lacks (as users of those code
// pages wrote them).
var cyrillicPages = []struct {
	name string
	cm   *charmap.Charmap
	fold *strings.Replacer
}{
	{"windows-1251", charmap.Windows1251, strings.NewReplacer()},
	{"koi8-u", charmap.KOI8U, strings.NewReplacer()},
	{"ibm866", charmap.CodePage866, strings.NewReplacer("і", "i", "І", "I", "ґ", "г", "Ґ", "Г")},
	{"iso-8859-5", charmap.ISO8859_5, strings.NewReplacer("ґ", "г", "Ґ", "Г")},
	{"x-mac-cyrillic", charmap.MacintoshCyrillic, strings.NewReplacer()},
	{"ibm855", charmap.CodePage855, strings.NewReplacer("ґ", "г", "Ґ", "Г")},
}

// synthText makes n lines of synthetic people of region in one of several
// layouts: mixed case, capitals only, small letters only, prose.
func synthText(region canon.Region, seed uint64, n int) string {
	g := synth.NewGenerator(region, seed)
	var b strings.Builder
	for i := range n {
		p := g.Person()
		switch seed % 5 {
		case 0:
			fmt.Fprintf(&b, "%s %s %s;%s;%s\n", p.Family, p.Given, p.Patronymic, p.Phone, p.Address)
		case 1:
			fmt.Fprintf(&b, "%s,%s\n", strings.ToUpper(p.Family+" "+p.Given+" "+p.Patronymic), p.BirthDate.Format("02.01.2006"))
		case 2:
			fmt.Fprintf(&b, "%s\t%s\n", strings.ToLower(p.Address), p.Email)
		case 3:
			fmt.Fprintf(&b, "%d. %s %s живе за адресою %s, телефон %s.\n", i+1, p.Given, p.Family, p.Address, p.Phone)
		case 4:
			fmt.Fprintf(&b, "\"%s\",\"%s\",\"%s\"\n", p.Given, p.Family, p.Username)
		}
	}
	return b.String()
}

func encodePage(t testing.TB, cm *charmap.Charmap, fold *strings.Replacer, text string) (string, []byte) {
	t.Helper()
	text = fold.Replace(text)
	b, err := cm.NewEncoder().Bytes([]byte(text))
	require.NoError(t, err, "encoding synthetic text as %s", cm)
	return text, b
}

// TestDetectCyrillicCodePages encodes synthetic Russian and Ukrainian
// text into every code page: the detector names the code page, or another
// that decodes the bytes to the same text, or refuses with
// ErrAmbiguousEncoding; it never picks one that reads other letters. With
// a few dozen lines it always names the right one.
func TestDetectCyrillicCodePages(t *testing.T) {
	refused := 0
	cases := 0
	for _, region := range []canon.Region{canon.UA, canon.RU} {
		for _, lines := range []int{1, 3, 10, 40, 200} {
			for seed := range uint64(20) {
				text := synthText(region, seed, lines)
				for _, cp := range cyrillicPages {
					cases++
					want, data := encodePage(t, cp.cm, cp.fold, text)
					name := fmt.Sprintf("%s/%s/lines=%d/seed=%d", cp.name, region, lines, seed)
					e, err := detectEncoding(data, true)
					if err != nil {
						require.ErrorIs(t, err, ErrAmbiguousEncoding, name)
						named := false // a code page named reads the right text
						for _, other := range cyrillicPages {
							if strings.Contains(err.Error(), other.name) {
								dec, _ := other.cm.NewDecoder().Bytes(data)
								named = named || string(dec) == want
							}
						}
						assert.True(t, named, "the refusal of %s names the right code page: %v", name, err)
						assert.Contains(t, err.Error(), "--encoding", name)
						assert.Less(t, lines, 40, "refused with %d lines: %s: %v", lines, name, err)
						refused++
						continue
					}
					require.NotNil(t, e.table, "%s detected as %s", name, e.name)
					assert.Equal(t, want, string(e.table.appendDecoded(nil, data)),
						"%s detected as %s, which reads other letters", name, e.name)
					if lines >= 40 {
						assert.Equal(t, cp.name, e.name, name)
					}
				}
			}
		}
	}
	t.Logf("refused %d of %d inputs", refused, cases)
	assert.Less(t, refused*20, cases, "refused %d of %d", refused, cases)
}

// TestDetectCodePagesReader reads whole files in each code page.
func TestDetectCodePagesReader(t *testing.T) {
	for _, region := range []canon.Region{canon.UA, canon.RU} {
		text := "ПІБ;Дата;Адреса\n"
		g := synth.NewGenerator(region, 7)
		for range 300 {
			p := g.Person()
			text += fmt.Sprintf("%s %s %s;%s;%s\n", p.Family, p.Given, p.Patronymic, p.BirthDate.Format("02.01.2006"), p.Address)
		}
		for _, cp := range cyrillicPages {
			want, data := encodePage(t, cp.cm, cp.fold, text)
			r := NewReader(bytes.NewReader(data))
			r.Header = HeaderAbsent
			got := readAll(t, r)
			assert.Equal(t, cp.name, r.Info().Encoding, "%s text in %s", region, cp.name)
			require.Len(t, got, 301, "%s text in %s", region, cp.name)
			assert.Equal(t, strings.Split(strings.SplitN(want, "\n", 2)[0], ";"), got[0], "%s text in %s", region, cp.name)
		}
	}
}

// TestAmbiguousEncoding: upper-case Russian names whose one letter that
// CP866 and Mac Cyrillic put at different bytes is a single Ё: the Reader
// refuses, naming both and the flag, and reads the file once told.
func TestAmbiguousEncoding(t *testing.T) {
	text := "ФИО,ГОРОД\nСЕМЁНОВ ИВАН ПЕТРОВИЧ,МОСКВА\nПЕТРОВА АННА СЕРГЕЕВНА,ОМСК\n"
	_, data := encodePage(t, charmap.CodePage866, strings.NewReplacer(), text)
	r := NewReader(bytes.NewReader(data))
	r.Name = "upper.csv"
	_, err := r.Columns()
	require.ErrorIs(t, err, ErrAmbiguousEncoding)
	var pe *ParseError
	assert.False(t, errors.As(err, &pe), "not a parse error: %v", err)
	for _, s := range []string{"upper.csv", "ibm866", "x-mac-cyrillic", "--encoding"} {
		assert.Contains(t, err.Error(), s)
	}
	_, err2 := r.Read()
	assert.ErrorIs(t, err2, ErrAmbiguousEncoding, "the error sticks")

	for _, enc := range []string{"ibm866", "cp866", "IBM866"} {
		r = NewReader(bytes.NewReader(data))
		r.Encoding = enc
		assert.Equal(t, [][]string{{"СЕМЁНОВ ИВАН ПЕТРОВИЧ", "МОСКВА"}, {"ПЕТРОВА АННА СЕРГЕЕВНА", "ОМСК"}}, readAll(t, r), "told %s", enc)
	}
	// Binary data is refused as binary, even when its text would be
	// ambiguous.
	bin := append(append([]byte(nil), data...), bytes.Repeat([]byte{0, 1, 2, 0x89}, 20)...)
	r = NewReader(bytes.NewReader(bin))
	_, err = r.Columns()
	assert.ErrorIs(t, err, ErrBinary, "binary data with ambiguous text")

	// With no Ё the two code pages read the bytes alike: no refusal.
	_, data = encodePage(t, charmap.CodePage866, strings.NewReplacer(), strings.ReplaceAll(text, "Ё", "Е"))
	e, err := detectEncoding(data, true)
	require.NoError(t, err)
	assert.Equal(t, "ibm866", e.name)
}

// TestDetectUTF16NoBOM: UTF-16 without a byte order mark, of Cyrillic and
// of Latin text, either byte order; not text in other encodings.
func TestDetectUTF16NoBOM(t *testing.T) {
	texts := map[string]string{
		"cyrillic csv":  csvText(t, ';', true, fixtureHeader, fixtureRows),
		"ukrainian":     synthText(canon.UA, 0, 30),
		"russian caps":  synthText(canon.RU, 1, 30),
		"prose":         synthText(canon.UA, 3, 5),
		"cyrillic only": strings.Repeat("Шевченко Тарас Григорович Київ\n", 3),
		"latin":         synthText(canon.IN, 0, 30),
		"latin-1":       "Müller;Café;Straße\nJosé;Ålesund;Œuvre\n",
		"ascii":         "name,email\nuser,user@example.com\n",
	}
	for name, text := range texts {
		for _, tc := range []struct {
			enc  string
			bo   xunicode.Endianness
			want string
		}{{"le", xunicode.LittleEndian, "utf-16le"}, {"be", xunicode.BigEndian, "utf-16be"}} {
			b, err := xunicode.UTF16(tc.bo, xunicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
			require.NoError(t, err)
			e, ok := detectUTF16NoBOM(b)
			assert.True(t, ok, "%s in UTF-16%s", name, tc.enc)
			assert.Equal(t, tc.want, e.name, "%s in UTF-16%s", name, tc.enc)

			r := NewReader(bytes.NewReader(b))
			r.Header = HeaderAbsent
			got := readAll(t, r)
			assert.Equal(t, tc.want, r.Info().Encoding, "%s in UTF-16%s", name, tc.enc)
			assert.NotEmpty(t, got, "%s in UTF-16%s", name, tc.enc)
		}
		// Not UTF-16: the same text in UTF-8 and, if it is Cyrillic, in
		// Windows-1251.
		_, ok := detectUTF16NoBOM([]byte(text))
		assert.False(t, ok, "%s in UTF-8", name)
		if b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(text)); err == nil {
			_, ok := detectUTF16NoBOM(b)
			assert.False(t, ok, "%s in windows-1251", name)
		}
	}
	// Read back exactly.
	b, err := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewEncoder().Bytes([]byte(texts["cyrillic csv"]))
	require.NoError(t, err)
	r := NewReader(bytes.NewReader(b))
	assert.Equal(t, fixtureRows, readAll(t, r), "the fixture in UTF-16BE without a BOM")
}

func TestLookupEncoding(t *testing.T) {
	tests := []struct{ name, want string }{
		{"utf-8", "utf-8"}, {"UTF8", "utf-8"}, {"unicode-1-1-utf-8", "utf-8"},
		{"UTF-16", "utf-16"}, {"utf-16le", "utf-16le"}, {"UTF-16BE", "utf-16be"}, {"csUTF16LE", "utf-16le"},
		{"utf-32le", "utf-32le"}, {"UTF-32", "utf-32"},
		{"windows-1251", "windows-1251"}, {"cp1251", "windows-1251"}, {"x-cp1251", "windows-1251"},
		{"koi8-u", "koi8-u"}, {"KOI8-R", "koi8-r"}, {"csKOI8R", "koi8-r"}, {"koi8", "koi8-r"},
		{"cp866", "ibm866"}, {"IBM866", "ibm866"}, {"csIBM866", "ibm866"},
		{"ISO-8859-5", "iso-8859-5"}, {"ISO_8859-5:1988", "iso-8859-5"}, {"cyrillic", "iso-8859-5"}, {"csISOLatinCyrillic", "iso-8859-5"},
		{"x-mac-cyrillic", "x-mac-cyrillic"}, {"x-mac-ukrainian", "x-mac-cyrillic"}, {"mac-cyrillic", "x-mac-cyrillic"},
		{"IBM855", "ibm855"}, {"cp855", "ibm855"}, {"csIBM855", "ibm855"}, {"855", "ibm855"},
		{"macintosh", "macintosh"}, {"Shift_JIS", "shift_jis"}, {"sjis", "shift_jis"}, {"GB18030", "gb18030"},
		{"windows-1252", "windows-1252"}, {"latin1", "windows-1252"}, {"IBM037", "ibm037"}, {" utf-8 ", "utf-8"},
	}
	for _, tt := range tests {
		e, err := lookupEncoding(tt.name)
		if assert.NoError(t, err, "encoding %q", tt.name) {
			assert.Equal(t, tt.want, e.name, "encoding %q", tt.name)
		}
	}
	for _, bad := range []string{"no-such-encoding", "", "iso-2022-kr", "replacement", "UTF-7"} {
		_, err := lookupEncoding(bad)
		assert.ErrorIs(t, err, ErrUnknownEncoding, "encoding %q", bad)
		if err != nil {
			assert.Contains(t, err.Error(), "windows-1251", "examples in %v", err)
		}
	}
}

// TestEncodingNames reads text in encodings named as users name them.
func TestEncodingNames(t *testing.T) {
	cyr := "ім'я,місто\nЄвген Їжак,Київ\nҐава Сорока,Харків\n"
	rows := [][]string{{"Євген Їжак", "Київ"}, {"Ґава Сорока", "Харків"}}
	ru := "имя,город\nЁлкин Пётр,Москва\nЭльвира Щукина,Омск\n"
	ruRows := [][]string{{"Ёлкин Пётр", "Москва"}, {"Эльвира Щукина", "Омск"}}
	sjis, err := japanese.ShiftJIS.NewEncoder().String("名前,都市\n山田太郎,東京\n")
	require.NoError(t, err)
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("姓名,城市\n张伟,北京\n")
	require.NoError(t, err)
	u16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(cyr)
	require.NoError(t, err)
	enc := func(cm *charmap.Charmap, s string) string {
		out, err := cm.NewEncoder().String(s)
		require.NoError(t, err, "encoding with %s", cm)
		return out
	}
	tests := []struct {
		name, data string
		want       [][]string
	}{
		{"x-mac-cyrillic", enc(charmap.MacintoshCyrillic, cyr), rows},
		{"ISO-8859-5", enc(charmap.ISO8859_5, ru), ruRows},
		{"IBM855", enc(charmap.CodePage855, ru), ruRows},
		{"cp855", enc(charmap.CodePage855, ru), ruRows},
		{"csKOI8R", enc(charmap.KOI8R, ru), ruRows},
		{"Shift_JIS", sjis, [][]string{{"山田太郎", "東京"}}},
		{"GB18030", gb, [][]string{{"张伟", "北京"}}},
		{"UTF-16", u16, rows},
	}
	for _, tt := range tests {
		r := NewReader(strings.NewReader(tt.data))
		r.Encoding = tt.name
		r.Header = HeaderPresent
		assert.Equal(t, tt.want, readAll(t, r), "encoding %s", tt.name)
	}
	r := NewReader(strings.NewReader("a,b\n"))
	r.Encoding = "KOI8-Q"
	_, err = r.Columns()
	assert.ErrorIs(t, err, ErrUnknownEncoding)
	assert.Contains(t, err.Error(), `"KOI8-Q"`)
}
