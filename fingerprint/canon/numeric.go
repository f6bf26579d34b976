package canon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Digits of other scripts.
//
// Dumps hold numbers typed on keyboards and phones of many locales:
// "٠٦٧ ١٢٣ ٤٥ ٦٧" with Arabic-Indic digits, "०९८७६५४३२१" with Devanagari
// ones, "０６７－１２３" with the full-width forms of East Asian input
// methods. Since [Version] 2, phones, national IDs, cards, dates and
// document numbers read every decimal digit of Unicode (general category
// Nd: Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali, Gurmukhi,
// Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao, Tibetan,
// Myanmar, Khmer, Mongolian, the full-width and mathematical digits and the
// rest) as the ASCII digit of the same value, the full-width forms of
// ASCII (U+FF01-U+FF5E: "＋", "－", "（", "．", "／", "Ｘ", ...) as those
// ASCII characters, and the ideographic space U+3000 as a space. Digits of
// different scripts may be mixed in one value, as libphonenumber allows.
// Numerals that are no decimal digits (superscripts "²", circled "①",
// Roman "Ⅻ", CJK "三", fractions) are not read as digits, but in document
// numbers, which go through NFKC when they need it and so read "²" as "2"
// (as version 1 did).
//
// The scanners of version 1 run first, as they were; only when one finds no
// canonical form and the value holds a character to fold is the value
// folded (one allocation) and canonicalised again, so a value written in
// ASCII costs what it did and canonicalises as it did. Document numbers fold
// digits while they are read and do not allocate.

// foldDigit returns the value of r, '0'-'9', when r is a decimal digit
// (general category Nd) of any script, and ok false otherwise. Unicode
// encodes every decimal digit in a run of ten from zero to nine, and Go's
// table of them is made of such runs, so the value is the distance from
// the start of r's range modulo ten (TestFoldDigitTable checks the table's
// shape).
func foldDigit(r rune) (byte, bool) {
	if r < utf8.RuneSelf {
		if r >= '0' && r <= '9' {
			return byte(r), true
		}
		return 0, false
	}
	if r <= 0xFFFF {
		t := unicode.Nd.R16
		lo, hi := 0, len(t)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			switch {
			case uint16(r) < t[m].Lo:
				hi = m
			case uint16(r) > t[m].Hi:
				lo = m + 1
			default:
				return byte('0' + (uint16(r)-t[m].Lo)%10), true
			}
		}
		return 0, false
	}
	t := unicode.Nd.R32
	lo, hi := 0, len(t)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case uint32(r) < t[m].Lo:
			hi = m
		case uint32(r) > t[m].Hi:
			lo = m + 1
		default:
			return byte('0' + (uint32(r)-t[m].Lo)%10), true
		}
	}
	return 0, false
}

// foldNumericRune returns the ASCII character that r, a non-ASCII
// character, reads as in a number: the digit of a decimal digit, the ASCII
// form of a full-width form, a space for the ideographic space. ok is false
// for any other r, ASCII included.
func foldNumericRune(r rune) (byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		return 0, false
	case r >= 0xFF01 && r <= 0xFF5E:
		return byte(r - 0xFEE0), true
	case r == 0x3000:
		return ' ', true
	}
	return foldDigit(r)
}

// numericMayFold reports whether s has a byte past ASCII, so that
// foldNumeric may change it: the cheap test the canonicalisers make before
// folding a value they found invalid. It reads eight bytes at a time.
func numericMayFold(s string) bool {
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if w&0x8080808080808080 != 0 {
			return true
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// foldNumericIfAny is foldNumeric for a value the ASCII reading found
// invalid: it returns ok false at once for an ASCII value.
func foldNumericIfAny(s string) (string, bool) {
	if !numericMayFold(s) {
		return s, false
	}
	return foldNumeric(s)
}

// foldNumeric returns s with every character that foldNumericRune folds
// replaced by its ASCII form, and whether it replaced any. When it replaces
// none it returns s itself without allocating; otherwise it allocates the
// result once. Bytes that are not valid UTF-8 are kept as they are.
func foldNumeric(s string) (string, bool) {
	i := 0
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if _, ok := foldNumericRune(r); ok {
			break
		}
		i += size
	}
	if i == len(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s)) // a folded character is at least two bytes, its fold one
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if a, ok := foldNumericRune(r); ok {
			b.WriteByte(a)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), true
}
