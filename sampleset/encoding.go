package sampleset

import (
	"bytes"
	"encoding/binary"
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
	xunicode "golang.org/x/text/encoding/unicode"
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

// lookupEncoding resolves an encoding name given by a user. Besides the
// names below it accepts every WHATWG label golang.org/x/text knows.
func lookupEncoding(name string) (textEncoding, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.ReplaceAll(n, "_", "-")
	switch n {
	case "utf-8", "utf8":
		return textEncoding{name: encUTF8, utf8: true, bom: bomUTF8}, nil
	case "utf-16le", "utf16le", "utf-16-le":
		return textEncoding{name: encUTF16LE, enc: xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), bom: bomUTF16LE}, nil
	case "utf-16be", "utf16be", "utf-16-be":
		return textEncoding{name: encUTF16BE, enc: xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), bom: bomUTF16BE}, nil
	case "utf-16", "utf16":
		// RFC 2781: the BOM decides; big-endian without one.
		return textEncoding{name: encUTF16, enc: xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)}, nil
	case "windows-1251", "cp1251", "win1251", "win-1251", "1251", "x-cp1251":
		return textEncoding{name: encCP1251, table: tableCP1251}, nil
	case "koi8-u", "koi8u":
		return textEncoding{name: encKOI8U, table: tableKOI8U}, nil
	case "koi8-r", "koi8r", "koi8":
		return textEncoding{name: encKOI8R, table: tableKOI8R}, nil
	case "cp866", "ibm866", "866", "ibm-866", "csibm866", "dos-866":
		return textEncoding{name: encCP866, table: tableCP866}, nil
	}
	e, err := htmlindex.Get(n)
	if err != nil {
		return textEncoding{}, fmt.Errorf("%w %q", ErrUnknownEncoding, name)
	}
	label, _ := htmlindex.Name(e)
	if label == "utf-8" {
		return textEncoding{name: encUTF8, utf8: true, bom: bomUTF8}, nil
	}
	return textEncoding{name: label, enc: e}, nil
}

// mustEncoding resolves one of the built-in names.
func mustEncoding(name string) textEncoding {
	e, err := lookupEncoding(name)
	if err != nil {
		panic(err)
	}
	return e
}

// detectEncoding decides the encoding of the input from win, its first
// bytes (after decompression). atEOF says win is the whole input.
func detectEncoding(win []byte, atEOF bool) textEncoding {
	switch {
	case bytes.HasPrefix(win, bomUTF8):
		return mustEncoding(encUTF8)
	case bytes.HasPrefix(win, bomUTF16LE):
		return mustEncoding(encUTF16LE)
	case bytes.HasPrefix(win, bomUTF16BE):
		return mustEncoding(encUTF16BE)
	}
	if e, ok := detectUTF16NoBOM(win); ok {
		return e
	}
	if validUTF8Prefix(win, atEOF) {
		return mustEncoding(encUTF8)
	}
	return mustEncoding(detectLegacy(win))
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

// detectUTF16NoBOM recognises UTF-16 text without a byte order mark by its
// zero bytes: mostly-ASCII UTF-16 has a NUL in every other byte.
func detectUTF16NoBOM(win []byte) (textEncoding, bool) {
	n := len(win) &^ 1
	if n < 8 {
		return textEncoding{}, false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if win[i] == 0 {
			even++
		}
		if win[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*6 && even*50 <= pairs:
		return mustEncoding(encUTF16LE), true
	case even*10 >= pairs*6 && odd*50 <= pairs:
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

// plausibleSymbols are non-letters that Cyrillic text in a code page
// legitimately holds (typographic quotes and dashes, the numero sign, ...).
const plausibleSymbols = "«»—–№\u00a0’‘“”„…·°±€"

// legacyCandidates are the code pages tried for non-UTF-8 input.
var legacyCandidates = []struct {
	name  string
	table *byteTable
}{
	{encCP1251, tableCP1251},
	{encKOI8U, tableKOI8U},
	{encCP866, tableCP866},
}

// cyrillicScore rates how much the high bytes of win, decoded by t, look
// like Cyrillic text: the log-likelihood of the letters under
// cyrillicLogFreq, with penalties for symbols and for a capital letter right
// after a small one. It also returns the share of high bytes that decode to
// Cyrillic letters.
func cyrillicScore(win []byte, t *byteTable) (score, letterShare float64) {
	var high, letters int
	prevSmall := false
	for _, c := range win {
		if c < 0x80 {
			prevSmall = false
			continue
		}
		high++
		r, _ := utf8.DecodeRune(t.decodeByte(c))
		lower := unicode.ToLower(r)
		if f, ok := cyrillicLogFreq[lower]; ok {
			letters++
			score += f
			upper := r != lower
			if upper && prevSmall {
				score -= 4
			}
			prevSmall = !upper
			continue
		}
		prevSmall = false
		if strings.ContainsRune(plausibleSymbols, r) {
			score -= 5
		} else {
			score -= 12
		}
	}
	if high == 0 {
		return 0, 0
	}
	return score, float64(letters) / float64(high)
}

// detectLegacy decides among the Cyrillic code pages for a window that is
// not UTF-8. When no candidate decodes the high bytes to mostly Cyrillic
// letters, the input is probably in another script: chardet is asked, and
// its answer used when golang.org/x/text can decode it.
func detectLegacy(win []byte) string {
	best, bestScore, bestShare := "", math.Inf(-1), 0.0
	for _, c := range legacyCandidates {
		s, share := cyrillicScore(win, c.table)
		if s > bestScore {
			best, bestScore, bestShare = c.name, s, share
		}
	}
	if bestShare < 0.5 {
		res := chardet.Detect(win)
		if name := strings.ToLower(res.Encoding); name != "" && res.Confidence >= 0.5 {
			if e, err := lookupEncoding(name); err == nil && !e.utf8 {
				if e.name == encKOI8R {
					return encKOI8U
				}
				return e.name
			}
		}
	}
	return best
}
