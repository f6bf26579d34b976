package canon

import (
	"strings"
	"unicode/utf8"
)

// trimSpace is strings.TrimSpace, answered from the bytes at either end
// when neither end can be white space, as in nearly every field:
// TrimSpace itself walks non-ASCII text (a Cyrillic name) rune by rune.
func trimSpace(s string) string {
	if s == "" || mayBeSpace(s[0]) {
		return strings.TrimSpace(s)
	}
	// The last rune starts at the last byte that is no continuation byte.
	i := len(s) - 1
	for j := 0; j < utf8.UTFMax-1 && i > 0 && s[i]&0xC0 == 0x80; j++ {
		i--
	}
	if mayBeSpace(s[i]) {
		return strings.TrimSpace(s)
	}
	return s
}

// mayBeSpace reports whether a rune starting with byte c may be white
// space (unicode.IsSpace): ASCII white space, or the lead byte of U+0085
// and U+00A0 (0xC2), U+1680 (0xE1), U+2000 to U+205F (0xE2) or U+3000
// (0xE3). Any other byte, a Cyrillic letter's 0xD0 and 0xD1 among them,
// starts no white space.
func mayBeSpace(c byte) bool {
	if c < utf8.RuneSelf {
		return miscIsSpace(c)
	}
	return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3
}

// miscTrim trims ASCII white space and no-break spaces (U+00A0) from both
// ends of s. It is shared by the date, e-mail and document canonicalisers.
func miscTrim(s string) string {
	for left := true; left; {
		switch {
		case s != "" && miscIsSpace(s[0]):
			s = s[1:]
		case len(s) >= 2 && s[0] == 0xC2 && s[1] == 0xA0:
			s = s[2:]
		default:
			left = false
		}
	}
	for {
		n := len(s)
		switch {
		case n > 0 && miscIsSpace(s[n-1]):
			s = s[:n-1]
		case n >= 2 && s[n-2] == 0xC2 && s[n-1] == 0xA0:
			s = s[:n-2]
		default:
			return s
		}
	}
}

// miscIsSpace reports whether b is ASCII white space.
func miscIsSpace(b byte) bool { return b == ' ' || (b >= '\t' && b <= '\r') }

// miscIsCyrillicLetter reports whether r is a letter of the Cyrillic block
// U+0400-U+04FF (all of it but the sign and combining marks U+0482-U+0489).
func miscIsCyrillicLetter(r rune) bool {
	return r >= 0x400 && r <= 0x4FF && (r <= 0x481 || r >= 0x48A)
}

// miscLowerCyrillic lower-cases a letter of the Cyrillic block, as
// unicode.ToLower does, without its table search.
func miscLowerCyrillic(r rune) rune {
	switch {
	case r >= 0x410 && r <= 0x42F: // А-Я
		return r + 0x20
	case r >= 0x400 && r <= 0x40F: // Ѐ-Џ, with Є, І, Ї
		return r + 0x50
	case r >= 0x460 && r <= 0x481, r >= 0x48A && r <= 0x4BF, r >= 0x4D0 && r <= 0x4FF:
		return r | 1 // pairs: capital even, small odd
	case r >= 0x4C1 && r <= 0x4CE:
		if r&1 == 1 {
			return r + 1 // pairs: capital odd, small even
		}
	case r == 0x4C0: // palochka
		return 0x4CF
	}
	return r
}

// miscASCIILower lower-cases an ASCII letter and leaves other bytes alone.
func miscASCIILower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
