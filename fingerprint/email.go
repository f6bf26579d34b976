package fingerprint

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// E-mail addresses.
//
// The canonical form of an address is local@domain with:
//   - surrounding white space and a leading "mailto:" (any case) removed;
//   - the local part lower-cased; it is a dot-atom (RFC 5322 atext
//     characters, or Unicode letters, digits and marks as RFC 6531 allows,
//     separated by single dots), 1-64 bytes;
//   - the domain lower-cased, a trailing root dot dropped, and a Unicode
//     domain converted to its ASCII (Punycode) form under the IDNA lookup
//     profile, so "пример.рф" and "xn--e1afmkfd.xn--p1ai" are the same;
//     it must have at least two labels of letters, digits and inner
//     hyphens, 1-63 bytes each, and a top-level label that is not all
//     digits (IP literals are invalid);
//   - for gmail.com and googlemail.com, which ignore dots and "+tag"
//     suffixes, the dots and the tag dropped from the local part and the
//     domain written as gmail.com. Other providers are only lower-cased.
//
// Anything else is invalid: a missing or second '@', white space or
// quotes inside, an empty local part, a domain without a dot.

const (
	emailMaxLocal  = 64
	emailMaxDomain = 253
)

// AppendEmail appends the canonical form of an e-mail address to dst; see
// the rules above. When the status is Invalid, dst is returned unchanged.
// It does not allocate when dst has room and the domain is ASCII; a Unicode
// domain is converted with IDNA, which allocates.
func AppendEmail(dst []byte, s string) ([]byte, Status) {
	s = miscTrim(s)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	at := strings.IndexByte(s, '@')
	if at <= 0 || at > emailMaxLocal || strings.IndexByte(s[at+1:], '@') >= 0 {
		return dst, Invalid
	}
	local, domain := s[:at], s[at+1:]
	if emailHasNonASCII(domain) {
		if !utf8.ValidString(domain) {
			return dst, Invalid
		}
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return dst, Invalid
		}
		domain = d
	}
	if strings.HasSuffix(domain, ".") {
		domain = domain[:len(domain)-1]
	}
	if !emailValidDomain(domain) {
		return dst, Invalid
	}
	gmail := strings.EqualFold(domain, "gmail.com") || strings.EqualFold(domain, "googlemail.com")
	if gmail {
		domain = "gmail.com"
	}

	out, ok := emailAppendLocal(dst, local, gmail)
	if !ok {
		return dst, Invalid
	}
	out = append(out, '@')
	for i := 0; i < len(domain); i++ {
		c := domain[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	return out, Valid
}

// emailAppendLocal checks the local part and appends it lower-cased. With
// gmail set, dots and everything from the first '+' are left out.
func emailAppendLocal(dst []byte, local string, gmail bool) ([]byte, bool) {
	n0 := len(dst)
	prevDot := true // no dot at the start
	tag := false
	for i := 0; i < len(local); {
		c := local[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '.':
				if prevDot {
					return dst, false
				}
				prevDot = true
				if gmail || tag {
					continue
				}
			case !emailAtext(c):
				return dst, false
			default:
				prevDot = false
				if gmail && c == '+' {
					tag = true
				}
				if tag {
					continue
				}
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(local[i:])
		i += size
		if r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
			return dst, false
		}
		prevDot = false
		if !tag {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	if prevDot || len(dst) == n0 {
		return dst, false // trailing dot, or nothing left before a gmail tag
	}
	return dst, true
}

// emailAtext reports whether c is an RFC 5322 atext character.
func emailAtext(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// emailValidDomain checks an ASCII host name: at least two labels of
// letters, digits and inner hyphens, 1-63 bytes each, and a top-level label
// that is not all digits.
func emailValidDomain(d string) bool {
	if len(d) == 0 || len(d) > emailMaxDomain {
		return false
	}
	labels := 0
	for d != "" {
		l := strings.IndexByte(d, '.')
		var label string
		if l < 0 {
			label, d = d, ""
		} else {
			label, d = d[:l], d[l+1:]
			if d == "" {
				return false // empty last label
			}
		}
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		digits := true
		for i := 0; i < len(label); i++ {
			c := label[i]
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				digits = false
			default:
				return false
			}
		}
		labels++
		if d == "" && digits {
			return false // numeric top-level label: an IP address
		}
	}
	return labels >= 2
}

func emailHasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
