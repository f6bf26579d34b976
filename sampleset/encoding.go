package sampleset

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Encoding names reported in [Info].Encoding.
const (
	encUTF8    = "utf-8"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	encUTF16   = "utf-16"
	encCP1251  = "windows-1251"
	encKOI8U   = "koi8-u"
	encKOI8R   = "koi8-r"
	encCP866   = "ibm866"

	encISO88595    = "iso-8859-5"
	encMacCyrillic = "x-mac-cyrillic"
	encCP855       = "ibm855"
)

// textEncoding is a resolved input encoding: exactly one of utf8, table
// (a single-byte code page decoded by table lookup) or enc (decoded by a
// golang.org/x/text transform reader) is set.
type textEncoding struct {
	name  string
	utf8  bool
	table *byteTable
	enc   encoding.Encoding
	// bom is the byte order mark that may start the input in this encoding.
	bom []byte
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// byteTable decodes a single-byte code page whose lower half is ASCII: the
// UTF-8 form of every byte from 0x80 up, padded to 3 bytes, and its length
// in the fourth.
type byteTable [128][4]byte

func newByteTable(cm *charmap.Charmap) *byteTable {
	var t byteTable
	for i := range t {
		n := utf8.EncodeRune(t[i][:3], cm.DecodeByte(byte(0x80+i)))
		t[i][3] = byte(n)
	}
	return &t
}

// decodeByte returns the UTF-8 form of a byte from 0x80 up.
func (t *byteTable) decodeByte(c byte) []byte {
	e := &t[c-0x80]
	return e[:e[3]]
}

var (
	tableCP1251 = newByteTable(charmap.Windows1251)
	tableKOI8U  = newByteTable(charmap.KOI8U)
	tableKOI8R  = newByteTable(charmap.KOI8R)
	tableCP866  = newByteTable(charmap.CodePage866)

	tableISO88595    = newByteTable(charmap.ISO8859_5)
	tableMacCyrillic = newByteTable(charmap.MacintoshCyrillic)
	tableCP855       = newByteTable(charmap.CodePage855)
)

// appendDecoded appends the UTF-8 form of s, in the table's code page, to
// dst. Runs of ASCII are copied eight bytes at a time.
func (t *byteTable) appendDecoded(dst, s []byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 3*len(s))
	dst = dst[:n+3*len(s)]
	for i := 0; i < len(s); {
		if i+8 <= len(s) && binary.LittleEndian.Uint64(s[i:])&0x8080808080808080 == 0 {
			copy(dst[n:n+8], s[i:i+8])
			n += 8
			i += 8
			continue
		}
		c := s[i]
		i++
		if c < 0x80 {
			dst[n] = c
			n++
			continue
		}
		e := &t[c-0x80]
		d := dst[n : n+3]
		d[0], d[1], d[2] = e[0], e[1], e[2]
		n += int(e[3])
	}
	return dst[:n]
}

// validUTF8 is utf8.Valid with the two-byte sequences of Cyrillic (and
// every other alphabet between U+0080 and U+07FF) checked inline.
func validUTF8(b []byte) bool {
	n := len(b)
	i := 0
	for i < n {
		c := b[i]
		if c < 0x80 {
			i++
			for i+8 <= n && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
				i += 8
			}
			continue
		}
		if c >= 0xC2 && c <= 0xDF {
			if i+1 >= n || b[i+1]&0xC0 != 0x80 {
				return false
			}
			i += 2
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		i += size
	}
	return true
}

// encodingAliases are names seen in the wild that neither the WHATWG nor
// the IANA registry lists, mapped to one they do.
var encodingAliases = map[string]string{
	"utf8": "utf-8", "utf16le": "utf-16le", "utf-16-le": "utf-16le", "utf16be": "utf-16be",
	"utf-16-be": "utf-16be", "utf16": "utf-16", "utf32": "utf-32", "utf32le": "utf-32le",
	"utf32be": "utf-32be",
	"cp1251":  "windows-1251", "win1251": "windows-1251", "win-1251": "windows-1251",
	"1251": "windows-1251", "koi8u": "koi8-u", "koi8r": "koi8-r", "koi8": "koi8-r",
	"cp866": "ibm866", "866": "ibm866", "ibm-866": "ibm866", "dos-866": "ibm866",
	"iso8859-5": "iso-8859-5", "iso88595": "iso-8859-5",
	"mac-cyrillic": "x-mac-cyrillic", "maccyrillic": "x-mac-cyrillic", "x-mac-cyr": "x-mac-cyrillic",
	"cp855": "ibm855", "ibm-855": "ibm855", "dos-855": "ibm855",
}

// tableEncodings are the single-byte code pages decoded by table lookup,
// by the name reported in Info.Encoding.
var tableEncodings = map[string]*byteTable{
	encCP1251:      tableCP1251,
	encKOI8U:       tableKOI8U,
	encKOI8R:       tableKOI8R,
	encCP866:       tableCP866,
	encISO88595:    tableISO88595,
	encMacCyrillic: tableMacCyrillic,
	encCP855:       tableCP855,
}

// encodingExamples are named in the error for an unknown encoding.
const encodingExamples = "utf-8, utf-16le, utf-16be, windows-1251, koi8-u, ibm866, iso-8859-5, " +
	"x-mac-cyrillic, ibm855, shift_jis, gb18030, or any WHATWG label or IANA name"

// lookupEncoding resolves an encoding name given by a user: any WHATWG
// label (golang.org/x/text/encoding/htmlindex), any IANA name or alias
// (ianaindex.IANA and ianaindex.MIME), in any letter case, and a few
// common spellings besides ("cp1251", "koi8", "cp866", "mac-cyrillic").
// "utf-16" follows RFC 2781 (the byte order mark decides, big-endian
// without one), not WHATWG (little-endian). A name that golang.org/x/text
// lists but cannot decode, and WHATWG's "replacement" labels, which decode
// every input to one U+FFFD, fail with ErrUnknownEncoding.
func lookupEncoding(name string) (textEncoding, error) {
	trimmed := strings.TrimSpace(name)
	n := strings.ToLower(trimmed)
	if a, ok := encodingAliases[n]; ok {
		n = a
	} else if a, ok := encodingAliases[strings.ReplaceAll(n, "_", "-")]; ok {
		n = a
	}
	if e, ok := builtinEncoding(n); ok {
		return e, nil
	}
	e, canonical, err := registryEncoding(trimmed)
	if err != nil && strings.Contains(trimmed, "_") {
		e, canonical, err = registryEncoding(strings.ReplaceAll(trimmed, "_", "-"))
	}
	if err != nil {
		return textEncoding{}, fmt.Errorf("%w %q: %v (known names include %s)", ErrUnknownEncoding, name, err, encodingExamples)
	}
	if b, ok := builtinEncoding(canonical); ok {
		return b, nil
	}
	return textEncoding{name: canonical, enc: e}, nil
}

// builtinEncoding returns the encodings decoded without a registry look-up,
// by their reported name.
func builtinEncoding(n string) (textEncoding, bool) {
	switch n {
	case encUTF8:
		return textEncoding{name: encUTF8, utf8: true, bom: bomUTF8}, true
	case encUTF16LE:
		return textEncoding{name: encUTF16LE, enc: xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), bom: bomUTF16LE}, true
	case encUTF16BE:
		return textEncoding{name: encUTF16BE, enc: xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), bom: bomUTF16BE}, true
	case encUTF16:
		// RFC 2781: the BOM decides; big-endian without one.
		return textEncoding{name: encUTF16, enc: xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)}, true
	case "utf-32le":
		return textEncoding{name: n, enc: utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), bom: []byte{0xFF, 0xFE, 0, 0}}, true
	case "utf-32be":
		return textEncoding{name: n, enc: utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), bom: []byte{0, 0, 0xFE, 0xFF}}, true
	case "utf-32":
		return textEncoding{name: n, enc: utf32.UTF32(utf32.BigEndian, utf32.UseBOM)}, true
	}
	if t, ok := tableEncodings[n]; ok {
		return textEncoding{name: n, table: t}, true
	}
	return textEncoding{}, false
}

// registryEncoding looks name up among the WHATWG labels, then the IANA
// and MIME names, and returns the encoding with its lower-case canonical
// name (WHATWG's when it has one).
func registryEncoding(name string) (encoding.Encoding, string, error) {
	if e, err := htmlindex.Get(name); err == nil {
		if e == encoding.Replacement {
			return nil, "", errors.New("a WHATWG replacement label, not decodable")
		}
		canonical, err := htmlindex.Name(e)
		if err != nil {
			return nil, "", err
		}
		return e, canonical, nil
	}
	for _, index := range []*ianaindex.Index{ianaindex.IANA, ianaindex.MIME} {
		e, err := index.Encoding(name)
		if err != nil {
			continue
		}
		if e == nil {
			return nil, "", errors.New("registered but not supported by golang.org/x/text")
		}
		if canonical, err := htmlindex.Name(e); err == nil {
			return e, canonical, nil
		}
		canonical, err := ianaindex.IANA.Name(e)
		if err != nil {
			return nil, "", err
		}
		return e, strings.ToLower(canonical), nil
	}
	return nil, "", errors.New("no such WHATWG label or IANA name")
}

// mustEncoding resolves one of the built-in names.
func mustEncoding(name string) textEncoding {
	e, ok := builtinEncoding(name)
	if !ok {
		panic("sampleset: no built-in encoding " + name)
	}
	return e
}

// detectEncoding decides the encoding of the input from win, its first
// bytes (after decompression). atEOF says win is the whole input. It fails
// with ErrAmbiguousEncoding when the text is in a Cyrillic code page but
// which one cannot be told.
func detectEncoding(win []byte, atEOF bool) (textEncoding, error) {
	switch {
	case bytes.HasPrefix(win, bomUTF8):
		return mustEncoding(encUTF8), nil
	case bytes.HasPrefix(win, bomUTF16LE):
		return mustEncoding(encUTF16LE), nil
	case bytes.HasPrefix(win, bomUTF16BE):
		return mustEncoding(encUTF16BE), nil
	}
	if e, ok := detectUTF16NoBOM(win); ok {
		return e, nil
	}
	if validUTF8Prefix(win, atEOF) {
		return mustEncoding(encUTF8), nil
	}
	name, err := detectLegacy(win)
	if err != nil {
		return textEncoding{}, err
	}
	return lookupEncoding(name)
}

// validUTF8Prefix reports whether win is valid UTF-8, allowing it to end in
// the middle of a character when more input follows.
func validUTF8Prefix(win []byte, atEOF bool) bool {
	if !atEOF {
		// Drop a trailing incomplete character: back up to the start of
		// the last character (at most 3 bytes).
		for i := 1; i <= utf8.UTFMax && i <= len(win); i++ {
			c := win[len(win)-i]
			if c < 0x80 {
				break
			}
			if utf8.RuneStart(c) {
				if !utf8.FullRune(win[len(win)-i:]) {
					win = win[:len(win)-i]
				}
				break
			}
		}
	}
	if utf8.Valid(win) {
		return true
	}
	// A few bad bytes among much valid non-ASCII UTF-8 are damage in a
	// UTF-8 file (reported per record), not a sign of a code page: text in
	// a Cyrillic code page is almost never valid UTF-8 for long.
	var multi, invalid int
	for i := 0; i < len(win); {
		if win[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(win[i:])
		if r == utf8.RuneError && n == 1 {
			invalid++
		} else {
			multi++
		}
		i += n
	}
	return multi >= 8*invalid
}

// detectUTF16NoBOM recognises UTF-16 text without a byte order mark. Text
// in UTF-16 has few distinct high bytes, one of them zero: every ASCII
// character (digits, spaces, delimiters, line breaks) has a zero high byte,
// Latin-1 letters too, and Cyrillic letters all have 0x04. Its low bytes
// are almost never zero. So it is UTF-16 when, at one parity, at least 5%
// of the bytes are zero and two byte values make up 90% of them, and at the
// other parity under 2% are zero; or, as for mostly-ASCII text in any
// script, at least 60% are zero.
func detectUTF16NoBOM(win []byte) (textEncoding, bool) {
	n := len(win) &^ 1
	if n < 8 {
		return textEncoding{}, false
	}
	var hist [2][256]int // byte values at even and odd offsets
	for i := 0; i < n; i += 2 {
		hist[0][win[i]]++
		hist[1][win[i+1]]++
	}
	pairs := n / 2
	utf16High := func(high, low *[256]int) bool {
		if low[0]*50 > pairs {
			return false
		}
		if high[0]*10 >= pairs*6 {
			return true
		}
		if high[0]*20 < pairs {
			return false
		}
		top1, top2 := 0, 0
		for _, c := range high {
			switch {
			case c > top1:
				top1, top2 = c, top1
			case c > top2:
				top2 = c
			}
		}
		return (top1+top2)*10 >= pairs*9
	}
	switch {
	case utf16High(&hist[1], &hist[0]):
		return mustEncoding(encUTF16LE), true
	case utf16High(&hist[0], &hist[1]):
		return mustEncoding(encUTF16BE), true
	}
	return textEncoding{}, false
}

// cyrillicLogFreq holds the natural logarithm of each lower-case Cyrillic
// letter's share of letters in running Russian and Ukrainian text. The
// shares are the commonly published Russian letter frequencies (о 10.97%,
// е 8.45%, а 8.01%, ...), with the Ukrainian і, ї, є, ґ and the Belarusian
// ў added at their approximate shares.
var cyrillicLogFreq = func() map[rune]float64 {
	percent := map[rune]float64{
		'о': 10.97, 'е': 8.45, 'а': 8.01, 'и': 7.35, 'н': 6.70, 'т': 6.26,
		'с': 5.47, 'р': 4.73, 'в': 4.54, 'л': 4.40, 'к': 3.49, 'м': 3.21,
		'д': 2.98, 'п': 2.81, 'у': 2.62, 'я': 2.01, 'ы': 1.90, 'ь': 1.74,
		'г': 1.70, 'з': 1.65, 'б': 1.59, 'ч': 1.44, 'й': 1.21, 'х': 0.97,
		'ж': 0.94, 'ш': 0.73, 'ю': 0.64, 'ц': 0.48, 'щ': 0.36, 'э': 0.32,
		'ф': 0.26, 'ъ': 0.04, 'ё': 0.04,
		'і': 2.5, 'ї': 0.5, 'є': 0.4, 'ґ': 0.05, 'ў': 0.05,
	}
	m := make(map[rune]float64, len(percent))
	for r, p := range percent {
		m[r] = math.Log(p / 100)
	}
	return m
}()

// Symbols that Cyrillic text in a code page legitimately holds: those
// that may touch letters on both sides (apostrophes, dashes, the no-break
// space, quotes used either way), opening quotes (a letter may follow),
// closing ones and the ellipsis (a letter may precede), and loose symbols
// (the numero sign, the degree sign, ...) that stand next to digits or
// spaces.
const (
	wordSymbols  = "’‘“”–—\u00a0"
	openSymbols  = "«„"
	closeSymbols = "»…"
	looseSymbols = "№·°±€"
)

// Classes of a decoded high byte.
const (
	classOther       = iota // anything else: box drawing, accented Latin, ...
	classLetter             // a letter of cyrillicLogFreq
	classWordSymbol         // one of wordSymbols
	classOpenSymbol         // one of openSymbols
	classCloseSymbol        // one of closeSymbols
	classLooseSymbol        // one of looseSymbols
)

// byteClass is what a high byte decodes to, for cyrillicScore.
type byteClass struct {
	class   uint8
	upper   bool
	logFreq float64 // for a letter
}

// classes returns the class of every high byte under t.
func (t *byteTable) classes() *[128]byteClass {
	var cl [128]byteClass
	for i := range cl {
		r, _ := utf8.DecodeRune(t.decodeByte(byte(0x80 + i)))
		lower := unicode.ToLower(r)
		switch f, ok := cyrillicLogFreq[lower]; {
		case ok:
			cl[i] = byteClass{class: classLetter, upper: r != lower, logFreq: f}
		case strings.ContainsRune(wordSymbols, r):
			cl[i].class = classWordSymbol
		case strings.ContainsRune(openSymbols, r):
			cl[i].class = classOpenSymbol
		case strings.ContainsRune(closeSymbols, r):
			cl[i].class = classCloseSymbol
		case strings.ContainsRune(looseSymbols, r):
			cl[i].class = classLooseSymbol
		}
	}
	return &cl
}

// legacyCandidates are the Cyrillic code pages tried for non-UTF-8 input,
// in order of preference: among candidates that decode the input to the
// same text, the first is taken.
var legacyCandidates = []struct {
	name    string
	table   *byteTable
	classes *[128]byteClass
}{
	{encCP1251, tableCP1251, tableCP1251.classes()},
	{encKOI8U, tableKOI8U, tableKOI8U.classes()},
	{encCP866, tableCP866, tableCP866.classes()},
	{encISO88595, tableISO88595, tableISO88595.classes()},
	{encMacCyrillic, tableMacCyrillic, tableMacCyrillic.classes()},
	{encCP855, tableCP855, tableCP855.classes()},
}

// Weights of cyrillicScore, in the units of its log-likelihood (nats).
const (
	// symbolCost and otherCost are what a symbol and a byte that decodes
	// to neither a letter nor a symbol cost.
	symbolCost = 5.0
	otherCost  = 12.0
	// caseChangeCost is what a capital letter right after a small one
	// costs: words are written in small letters, capitalised or in
	// capitals, so a code page that turns capitals into small letters (or
	// back) shows as case changes inside words.
	caseChangeCost = 10.0
	// glueCost is what a symbol or another non-letter costs for each
	// letter it touches on a side where it should not (an opening quote
	// may be followed by a letter, a closing one preceded): a letter the
	// code page puts elsewhere shows as a symbol inside a word ("лесна€").
	glueCost = 6.0
)

// ambiguityMargin is how much better (in cyrillicScore's log-likelihood)
// the best code page must score than any other that decodes the input to
// different text. Below it the input is refused: a wrong guess would be
// read without an error, as other letters.
const ambiguityMargin = 12.0

// cyrillicScore rates how much the high bytes of win, decoded by the code
// page whose classes are cl, look like Cyrillic text: the log-likelihood
// of the letters under cyrillicLogFreq, less the costs above. It also
// returns the share of high bytes that decode to Cyrillic letters. An
// ASCII byte ends a word.
func cyrillicScore(win []byte, cl *[128]byteClass) (score, letterShare float64) {
	var high, letters int
	prevSmall, prevLetter, prevGlue := false, false, false
	for _, c := range win {
		if c < 0x80 {
			prevSmall, prevLetter, prevGlue = false, false, false
			continue
		}
		high++
		b := &cl[c-0x80]
		switch b.class {
		case classLetter:
			letters++
			score += b.logFreq
			if b.upper && prevSmall {
				score -= caseChangeCost
			}
			if prevGlue {
				score -= glueCost
			}
			prevSmall, prevLetter, prevGlue = !b.upper, true, false
			continue
		case classWordSymbol:
			score -= symbolCost
			prevGlue = false
		case classOpenSymbol, classCloseSymbol, classLooseSymbol, classOther:
			if b.class == classOther {
				score -= otherCost
			} else {
				score -= symbolCost
			}
			if prevLetter && b.class != classCloseSymbol {
				score -= glueCost
			}
			prevGlue = b.class != classOpenSymbol
		}
		prevSmall, prevLetter = false, false
	}
	if high == 0 {
		return 0, 0
	}
	return score, float64(letters) / float64(high)
}

// detectLegacy decides among the Cyrillic code pages for a window that is
// not UTF-8. When no candidate decodes the high bytes to mostly Cyrillic
// letters, the input is probably in another script: chardet is asked, and
// its answer used when golang.org/x/text can decode it. When the best
// candidate is not clearly better than another one that reads the window
// as different text, it fails with ErrAmbiguousEncoding (unless the window
// is binary data, which the Reader refuses as such).
func detectLegacy(win []byte) (string, error) {
	type scored struct {
		name         string
		table        *byteTable
		score, share float64
	}
	// Binary data is refused as such once decoded (isBinary), whatever
	// the code page: never as ambiguous.
	binary := isBinary(win)
	win = textLines(win)
	all := make([]scored, 0, len(legacyCandidates))
	for _, c := range legacyCandidates {
		s, share := cyrillicScore(win, c.classes)
		all = append(all, scored{c.name, c.table, s, share})
	}
	// Stable: among equal scores the earlier candidate stays first.
	slices.SortStableFunc(all, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	best := all[0]
	if binary {
		return best.name, nil
	}
	if best.share < 0.5 {
		res := chardet.Detect(win)
		if name := strings.ToLower(res.Encoding); name != "" && res.Confidence >= 0.5 {
			if e, err := lookupEncoding(name); err == nil && !e.utf8 {
				if e.name == encKOI8R {
					return encKOI8U, nil // the same letters, and Ukrainian ones
				}
				return e.name, nil
			}
		}
		return best.name, nil
	}
	var present [128]bool
	for _, c := range win {
		if c >= 0x80 {
			present[c-0x80] = true
		}
	}
	sameText := func(a, b *byteTable) bool {
		for i, p := range present {
			if p && a[i] != b[i] {
				return false
			}
		}
		return true
	}
	rivals := []string{best.name}
	for _, c := range all[1:] {
		if best.score-c.score >= ambiguityMargin {
			break
		}
		if !sameText(best.table, c.table) {
			rivals = append(rivals, c.name)
		}
	}
	if len(rivals) > 1 {
		return "", fmt.Errorf("%w: the text may be Cyrillic in any of %s, each reading other letters; "+
			"name the code page with --encoding (Reader.Encoding)",
			ErrAmbiguousEncoding, strings.Join(rivals, ", "))
	}
	return best.name, nil
}

// textLines returns win without its lines that hold NUL or other control
// bytes: such lines are binary records, reported as bad whatever the
// encoding, and their bytes say nothing about the code page.
func textLines(win []byte) []byte {
	if !slices.ContainsFunc(win, isControl) {
		return win
	}
	out := make([]byte, 0, len(win))
	for len(win) > 0 {
		line := win
		if i := bytes.IndexByte(win, '\n'); i >= 0 {
			line = win[:i+1]
		}
		win = win[len(line):]
		if !slices.ContainsFunc(line, isControl) {
			out = append(out, line...)
		}
	}
	return out
}

// isControl reports whether c is a control byte that text does not hold:
// not TAB, LF, CR or SUB (which stands for characters a code page lacks).
func isControl(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1a
}
