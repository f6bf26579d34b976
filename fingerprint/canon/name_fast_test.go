package canon

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// nameFastStats counts the values a differential check saw and how many
// of them the fast path answered itself.
type nameFastStats struct{ values, fast int }

// checkNameFast canonicalises s with AppendName and with the reference
// appendNameSlow, after a prefix, and reports whether their bytes and
// statuses differ; it also checks that the fast path, when it answers,
// gives what the slow path gives and a key that is plainNFKC (so that
// skipping settleNFKC is right).
func checkNameFast(t *testing.T, st *nameFastStats, s string) bool {
	t.Helper()
	const prefix = "p:"
	want, wantSt := appendNameSlow([]byte(prefix), s)
	got, gotSt := AppendName([]byte(prefix), s)
	fast, fastSt, ok := appendNamePlain([]byte(prefix), s)
	st.values++
	good := assert.Equal(t, wantSt, gotSt, "AppendName(%q) status", s) &&
		assert.Equal(t, string(want), string(got), "AppendName(%q)", s)
	if ok {
		st.fast++
		good = assert.Equal(t, wantSt, fastSt, "appendNamePlain(%q) status", s) &&
			assert.Equal(t, string(want), string(fast), "appendNamePlain(%q)", s) && good
		key := string(fast[len(prefix):])
		good = assert.True(t, plainNFKC(key), "key %q of %q is plainNFKC", key, s) && good
	} else {
		good = assert.Equal(t, prefix, string(fast), "appendNamePlain(%q) leaves dst alone when it gives up", s) && good
	}
	return good
}

// nameFastEdgeCases are values at the edges of the fast path: mixed
// scripts, combining marks, apostrophes, hyphens, patronymics, NBSP, ZWJ,
// ß and ẞ, the Turkish dotted and dotless i, Greek final sigma, and the
// digraphs and pending letters of the skeleton across letters and scripts.
var nameFastEdgeCases = []string{
	"", " ", "  \t ", "-", "'", "''", "?", "??", "`", "Ь", "ь ь", "Ъ",
	"Ivan Petrenko", "IVAN PETRENKO", "ivan", "I", "a b c d e f g h", "a b c d e f g h i",
	"Петренко Іван Олександрович", "ПЕТРЕНКО ІВАН ОЛЕКСАНДРОВИЧ", "Іван Петрович Гаєвич",
	"Oлександр", "Олeксандр", "OLEKSАNDR", "Petrenko Олександр Іванович", "Іvan",
	"И\u0306осип", "І\u0308жакевич", "Ива\u0301н", "e\u0301", "Е\u0301", "a\u0300b", "Й", "й", "Ё", "ё",
	"Мар'їне", "Мар’їне", "Марʼїне", "Мар`їне", "Мар´їне", "Мар‘їне", "Марʹїне", "Мар＇їне",
	"Марꞌїне", "Мар?їне", "МАР?ЇНЕ", "Мар\uFFFDїне", "O'Brien", "O’BRIEN", "'Ivan", "Ivan'", "Ivan?", "?Ivan",
	"Ivan ?Petrenko", "Ivan? Petrenko", "Iv?an", "Iv??an", "Iv?Їan", "Iv?é", "Ів?ан", "Ів?1",
	"Мар\u00b4їне", "a \u0301b", "Ivan \u0301Petrenko", "a \u0301",
	"Petrenko-Koval Olena", "Петренко-Коваль Олена Іванівна", "Petrenko–Koval", "Petrenko—Koval", "Petrenko‐Koval",
	"Ivan\u00a0Petrenko", "Іван\u00a0Петренко", "\u00a0Іван", "Іван\u00a0", "Ivan\u2009Petrenko", "Ivan\u3000Petrenko",
	"Іван\u200dПетренко", "Іван\u200cПетренко", "Іван\u00adПетренко", "Iv\u200dan", "कुमार\u200dराम", "\u200d", "\ufeffІван",
	"Straße", "STRASSE", "STRAẞE", "ß", "ẞ", "ßß", "Weiß Müller",
	"İstanbul", "ISTANBUL", "ıstanbul", "İ", "ı", "İ\u0301", "Iı", "iİ",
	"ΟΔΥΣΣΕΑΣ", "Οδυσσεας", "οδυσσεας", "Οδυσσέας", "ς", "Σ", "σς",
	"राम कुमार", "José", "JOSÉ", "Renée Müller", "Đorđe", "Łukasz", "Ǆemal", "ǅ", "ǆ", "Ｉｖａｎ", "ﬁ",
	"Сейтқали Нұрлан Әбішұлы", "Сейтқали Нұрлан Әбіш ұлы", "Seitkali Nurlan Abish uly", "Akhmetova Aigul Serik kyzy",
	"Akhmetova Aigul Serik qyzy", "Ахметова Айгүл Серік қызы", "uly", "uly Ivan", "Ivan uly", "Ivan uli", "Ivan Uli",
	"Ivan kizi", "Ivan qizi", "Ivan ulы", "Ivan КЫЗЫ", "a uly b uly c uly d uly e uly f uly g uly h uly i uly",
	"a b c d e f g h ul \u0301y", "a b c d e f g h ul \u0301y z", "a b c d e f g h ul´y", "a b c d e f g h i \u0301",
	"Щукин", "Шчукин", "Тсой", "Тшой", "Тщой", "Тьсой", "Сьхема", "Сх", "Кх", "Зх", "Цх", "Shch", "Sshch", "Shchch",
	"Tsh", "Tssh", "Shc", "Shca", "Shcz", "Shcs", "Shct", "Ashc", "Kkh", "Zzh", "Cch", "Ttsts", "Шц", "Шч", "Шщ", "Щщ",
	"Ш", "Шш", "С", "Сс", "Т", "Тс", "тс", "Тсс", "Ж", "Жж", "Х", "Хх", "Ц", "Цц", "Ч", "Чч",
	"Сh", "Тs", "Шc", "Шch", "Шчh", "Кh", "Зh", "Шcз", "Tс", "Sх", "Sш", "shш", "Shч", "Шхч",
	"Ѣ", "Ѣѣ", "ѣ", "Ѳома", "Ѵ", "Ӂ", "Ӑ", "Ҁ", "҂", "Ѐ", "ѐ", "Ѝ", "Џ", "џж", "Ѕ", "ѕх", "Ԁ", "\u0483",
	"Іван2", "Іван Петренко 1990", "ivan@example.com", "2 Ivan", "Ivan 2 é", "Ivan 2 \xff", "Ivan 2 Й", "Ivan @ И\u0306",
	"Ｉｖａｎ１", "राम ३", "\xff", "\xff\xfe", "Іван\xffПетренко", "Іван\xd0", "\xd0", "\xd0\xd0", "\xd3\x80", "Іван\xd2\x83",
	strings.Repeat("Олександр ", 60), strings.Repeat("а", 200), strings.Repeat("щ", 100), strings.Repeat("ш", 127),
	strings.Repeat("shch", 63) + "a", strings.Repeat("a", 255), strings.Repeat("a", 256), strings.Repeat("Щ", 64) + " a",
	strings.Repeat("x", 1024), strings.Repeat("x", 1025), strings.Repeat("a ", 512), strings.Repeat("ab ", 9),
}

func TestAppendNameFastEdgeCases(t *testing.T) {
	var st nameFastStats
	for _, s := range nameFastEdgeCases {
		checkNameFast(t, &st, s)
	}
	t.Logf("%d values, %d answered by the fast path", st.values, st.fast)
	// The list holds both kinds: a fast path that always gave up, or never
	// did, would not be tested by it.
	assert.Greater(t, st.fast, st.values/3, "fast path answers")
	assert.Less(t, st.fast, st.values-st.values/5, "fast path gives up")
}

// TestAppendNameFastFixtures compares the two paths on every field of the
// fixtures in testdata/ (CSV and TSV files; JSON lines' string values),
// each as read and trimmed, and the raw bytes of a file that is not UTF-8.
func TestAppendNameFastFixtures(t *testing.T) {
	var st nameFastStats
	files := 0
	err := filepath.WalkDir(filepath.Join("..", "..", "testdata"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(path)
		if ext != ".csv" && ext != ".tsv" && ext != ".jsonl" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, v := range fixtureValues(t, path, data) {
			checkNameFast(t, &st, v)
			if tr := strings.TrimSpace(v); tr != v {
				checkNameFast(t, &st, tr)
			}
		}
		return nil
	})
	require.NoError(t, err)
	t.Logf("%d files, %d values, %d answered by the fast path", files, st.values, st.fast)
	require.GreaterOrEqual(t, files, 16, "fixture files found")
	assert.Greater(t, st.values, 50000, "values")
	assert.Greater(t, st.fast, st.values/2, "values answered by the fast path")
}

// fixtureValues returns the fields of a fixture file: those of every
// record of a CSV or TSV (its delimiter guessed from its first line; a
// file that is not UTF-8 read as Windows-1251, and its raw fields too),
// or every string of a JSON lines file.
func fixtureValues(t *testing.T, path string, data []byte) []string {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if filepath.Ext(path) == ".jsonl" {
		var out []string
		for _, line := range bytes.Split(data, []byte("\n")) {
			var v any
			if json.Unmarshal(line, &v) == nil {
				out = appendJSONStrings(out, v)
			}
		}
		return out
	}
	var sets [][]byte
	if utf8.Valid(data) {
		sets = [][]byte{data}
	} else {
		dec, err := charmap.Windows1251.NewDecoder().Bytes(data)
		require.NoError(t, err, path)
		sets = [][]byte{dec, data}
	}
	var out []string
	for _, b := range sets {
		first, _, _ := bytes.Cut(b, []byte("\n"))
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		switch {
		case bytes.Count(first, []byte("\t")) > 0:
			r.Comma = '\t'
		case bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")):
			r.Comma = ';'
		}
		recs, err := r.ReadAll()
		require.NoError(t, err, path)
		for _, rec := range recs {
			out = append(out, rec...)
		}
	}
	return out
}

// appendJSONStrings appends every string held in v, a decoded JSON value.
func appendJSONStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, e := range v {
			out = appendJSONStrings(out, e)
		}
	case map[string]any:
		for _, e := range v {
			out = appendJSONStrings(out, e)
		}
	}
	return out
}

// nameFastAlphabet is what the exhaustive test and the fuzz test make
// values of: the bytes that matter to the skeleton (the digraph letters and
// their followers, in both cases), the separators and apostrophes the fast
// path reads, a digit, and Cyrillic letters: the ones transliterated to
// digraphs and pending letters, silent ones, multi-letter ones, letters
// kept as they are, and U+0482, which is no letter.
var nameFastAlphabet = []string{
	"s", "c", "z", "k", "t", "h", "y", "a", "i", "u", "l", "q", "S", "H",
	" ", "-", "'", "`", "?", "1", "@",
	"с", "т", "ш", "щ", "ч", "ж", "х", "ц", "к", "з", "ь", "ъ", "й", "і", "ї", "є", "ю", "я", "ы", "а", "и",
	"С", "Ш", "Х", "ѕ", "џ", "қ", "һ", "ұ", "ә", "ѣ", "Ѳ", "҂",
}

// TestAppendNameFastExhaustive compares the two paths on every value of up
// to three symbols of nameFastAlphabet, and on every value of four of its
// first 21 (the ASCII ones), so that every pending digraph meets every
// letter, separator and script change that may end or continue it.
func TestAppendNameFastExhaustive(t *testing.T) {
	var st nameFastStats
	var walk func(prefix string, depth, alpha int)
	failed := 0
	walk = func(prefix string, depth, alpha int) {
		if failed > 10 {
			return
		}
		if !checkNameFast(t, &st, prefix) {
			failed++
		}
		if depth == 0 {
			return
		}
		for _, a := range nameFastAlphabet[:alpha] {
			walk(prefix+a, depth-1, alpha)
		}
	}
	walk("", 3, len(nameFastAlphabet))
	walk("", 4, 21)
	t.Logf("%d values, %d answered by the fast path", st.values, st.fast)
	assert.Greater(t, st.fast, st.values/2, "values answered by the fast path")
}

// TestCyrFastPlain checks what keeps the fast path's keys plainNFKC: every
// Cyrillic letter it reads is transliterated to lower-case ASCII or kept as
// a letter that is plainNFKC itself.
func TestCyrFastPlain(t *testing.T) {
	letters := 0
	for x := range cyrFast {
		o := &cyrFast[x]
		r := rune(0x400 + x)
		_, isLetter := cyrLetter(byte(0xC0|r>>6), byte(0x80|r&0x3F))
		require.Equal(t, !isLetter, o.bad, "U+%04X bad", r)
		if o.bad {
			continue
		}
		letters++
		raw := string(o.raw[:o.rn])
		assert.True(t, plainNFKC(raw), "U+%04X reads as %q", r, raw)
		for _, c := range []byte(raw) {
			assert.True(t, c >= utf8.RuneSelf || 'a' <= c && c <= 'z', "U+%04X reads as %q", r, raw)
		}
	}
	assert.Equal(t, 0x100-8, letters, "letters of the block")
}

// plainify maps any string to one the fast path reads, a byte to a symbol
// of nameFastAlphabet and of the rest of the Cyrillic block and ASCII, so
// that the fuzzer's inputs exercise it rather than only its giving up.
func plainify(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xC0:
			b.WriteString(nameFastAlphabet[int(c-0x80)%len(nameFastAlphabet)])
		default:
			b.WriteRune(0x400 + rune(c-0xC0)*4 + rune(i%4))
		}
	}
	return b.String()
}

func FuzzNameFastPath(f *testing.F) {
	for _, s := range nameFastEdgeCases {
		f.Add(s)
	}
	for _, v := range kmu55Vectors {
		f.Add(v.cyr)
		f.Add(v.lat)
	}
	for _, v := range icaoVectors {
		f.Add(v.cyr + " " + v.lat)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var st nameFastStats
		if !checkNameFast(t, &st, s) {
			t.FailNow()
		}
		if !checkNameFast(t, &st, plainify(s)) {
			t.FailNow()
		}
	})
}

func TestAppendNameFastAllocs(t *testing.T) {
	dst := make([]byte, 0, 256)
	for _, s := range []string{
		"Ivan Petrenko", "PETRENKO IVAN OLEKSANDROVYCH", "Петренко Олександр Іванович",
		"ПЕТРЕНКО ОЛЕКСАНДР", "Сейтқали Нұрлан Әбішұлы", "Мар'їне Щукин-Тсой", "Ivan 2",
	} {
		_, _, ok := appendNamePlain(dst[:0], s)
		require.True(t, ok, "%q takes the fast path", s)
		allocs := testing.AllocsPerRun(100, func() {
			_, _, _ = appendNamePlain(dst[:0], s)
		})
		assert.Zero(t, allocs, "appendNamePlain(%q) allocations", s)
		allocs = testing.AllocsPerRun(100, func() {
			_, _ = AppendName(dst[:0], s)
		})
		assert.Zero(t, allocs, "AppendName(%q) allocations", s)
	}
}
