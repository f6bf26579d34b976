package canon

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// E-mail addresses.
//
// The canonical form of an address is local@domain with:
//   - surrounding white space and a leading "mailto:" (any case) removed;
//   - the local part in Unicode NFC (since Version 2: "e\u0301" and "é"
//     are one letter) and lower-cased; it is a dot-atom (RFC 5322 atext
//     characters, or Unicode letters, digits and marks as RFC 6531 allows,
//     separated by single dots);
//   - the domain lower-cased, a trailing root dot dropped, and a Unicode
//     domain converted to its ASCII (Punycode) form under the IDNA lookup
//     profile, so "пример.рф" and "xn--e1afmkfd.xn--p1ai" are the same;
//     it must have at least two labels of letters, digits and inner
//     hyphens, 1-63 bytes each, and a top-level label that is not all
//     digits (IP literals are invalid); a label with "--" in its third and
//     fourth places must be an A-label ("xn--...") that IDNA2008 allows
//     (since Version 2; see idna.go for the checks made and not made);
//   - the limits of RFC 5321 (4.5.3.1) on the address in that form, before
//     lower-casing and the gmail folding below: a local part of at most 64
//     octets and an address of at most 254 (since Version 2; the domain is
//     counted in its ASCII form, at most 253 octets);
//   - for gmail.com and googlemail.com, which ignore dots and "+tag"
//     suffixes, the dots and the tag dropped from the local part and the
//     domain written as gmail.com. Other providers are only lower-cased.
//
// Anything else is invalid: a missing or second '@', white space or
// quotes inside, an empty local part, a domain without a dot.

const (
	emailMaxLocal   = 64
	emailMaxDomain  = 253
	emailMaxAddress = 254
)

// AppendEmail appends the canonical form of an e-mail address to dst; see
// the rules above. When the status is Invalid, dst is returned unchanged.
// It does not allocate when dst has room and the domain is ASCII (A-labels
// included); a Unicode domain is converted with IDNA, and a local part not
// in NFC is normalised, which allocate.
func AppendEmail(dst []byte, s string) ([]byte, Status) {
	s = miscTrim(s)
	if len(s) >= 7 && s[6] == ':' && strings.EqualFold(s[:6], "mailto") {
		s = s[7:]
	}
	at := strings.IndexByte(s, '@')
	if at <= 0 || (at > emailMaxLocal && !emailHasNonASCII(s[:at])) {
		// Only a local part that is not ASCII can be shorter in NFC.
		return dst, Invalid
	}
	local, domain := s[:at], s[at+1:] // a second '@' fails the domain check
	if strings.HasSuffix(domain, ".") {
		domain = domain[:len(domain)-1]
	}
	ok, ascii := emailCheckDomain(domain)
	if !ascii {
		if !utf8.ValidString(domain) {
			return dst, Invalid
		}
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return dst, Invalid
		}
		domain = strings.TrimSuffix(d, ".")
		ok, ascii = emailCheckDomain(domain)
	}
	if !ok || !ascii {
		return dst, Invalid
	}
	domainLen := len(domain) // before gmail.com replaces googlemail.com
	gmail := false
	switch len(domain) {
	case len("gmail.com"):
		gmail = strings.EqualFold(domain, "gmail.com")
	case len("googlemail.com"):
		gmail = strings.EqualFold(domain, "googlemail.com")
	}
	if gmail {
		domain = "gmail.com"
	}

	out, localLen, ok := emailAppendLocal(dst, local, gmail)
	if !ok || localLen+1+domainLen > emailMaxAddress {
		return dst, Invalid
	}
	out = append(out, '@')
	n := len(out)
	out = append(out, domain...)
	for i := n; i < len(out); i++ {
		out[i] = miscASCIILower(out[i])
	}
	return out, Valid
}

// emailAtext marks the RFC 5322 atext characters: the bytes an unquoted
// local part may hold besides dots.
var emailAtext = func() (t [utf8.RuneSelf]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-/=?^_`{|}~" {
		t[c] = true
	}
	return t
}()

// emailSpecial marks the bytes of emailLocalMap and emailHostMap that need
// more than copying.
const emailSpecial = 0x80

// emailLocalMap maps an atext byte other than '+' to its lower-case form;
// every other byte ('.', '+', non-ASCII, invalid) to emailSpecial.
var emailLocalMap = func() (t [256]byte) {
	for c := range t {
		t[c] = emailSpecial
		if c < utf8.RuneSelf && emailAtext[c] && c != '+' {
			t[c] = miscASCIILower(byte(c))
		}
	}
	return t
}()

// emailHostMap maps a host-name letter, digit or hyphen to its lower-case
// form; every other byte to emailSpecial.
var emailHostMap = func() (t [256]byte) {
	for c := range t {
		t[c] = emailSpecial
		switch l := miscASCIILower(byte(c)); {
		case l >= 'a' && l <= 'z', l >= '0' && l <= '9', l == '-':
			t[c] = l
		}
	}
	return t
}()

// emailAppendLocal checks the local part and appends it lower-cased. With
// gmail set, dots and everything from the first '+' are left out. An ASCII
// local part is copied and then fixed up in place; any other is brought to
// NFC first. It returns the length of the local part in NFC, which must be
// at most emailMaxLocal bytes.
func emailAppendLocal(dst []byte, local string, gmail bool) ([]byte, int, bool) {
	if len(local) > emailMaxLocal {
		// Too long, unless NFC shortens it.
		if !emailHasNonASCII(local) {
			return dst, 0, false
		}
		return emailAppendLocalNFC(dst, local, gmail)
	}
	n0 := len(dst)
	dst = append(dst, local...)
	w := n0
	prevDot := true // no dot at the start
scan:
	for r := n0; r < len(dst); r++ {
		c := dst[r]
		if m := emailLocalMap[c]; m != emailSpecial {
			dst[w] = m
			w++
			prevDot = false
			continue
		}
		switch {
		case c == '.':
			if prevDot {
				return dst[:n0], 0, false
			}
			prevDot = true
			if !gmail {
				dst[w] = c
				w++
			}
		case c == '+':
			if gmail {
				// Drop the tag, but check it.
				switch emailDotAtom(dst[r+1:]) {
				case emailAtomBad:
					return dst[:n0], 0, false
				case emailAtomUnicode:
					return emailAppendLocalNFC(dst[:n0], local, gmail)
				}
				prevDot = false
				break scan
			}
			dst[w] = c
			w++
			prevDot = false
		case c >= utf8.RuneSelf:
			return emailAppendLocalNFC(dst[:n0], local, gmail)
		default:
			return dst[:n0], 0, false
		}
	}
	if prevDot || w == n0 {
		return dst[:n0], 0, false // trailing dot, or nothing left before a gmail tag
	}
	return dst[:w], len(local), true
}

// emailAppendLocalNFC is emailAppendLocalUnicode for a local part in any
// normalisation form: it brings local to NFC and checks its length in that
// form. It allocates only when NFC's quick check does not settle that local
// is in NFC already (combining marks, or bytes that are not UTF-8, which
// fail the check that follows).
func emailAppendLocalNFC(dst []byte, local string, gmail bool) ([]byte, int, bool) {
	if !emailNFCInert(local) && norm.NFC.QuickSpanString(local) < len(local) && utf8.ValidString(local) {
		local = norm.NFC.String(local)
	}
	if len(local) > emailMaxLocal {
		return dst, 0, false
	}
	out, ok := emailAppendLocalUnicode(dst, local, gmail)
	return out, len(local), ok
}

// Outcomes of emailDotAtom.
const (
	emailAtomOK = iota
	emailAtomBad
	emailAtomUnicode // holds non-ASCII bytes: check it rune by rune
)

// emailDotAtom checks b, the rest of a local part after an atext byte:
// atext bytes and single dots, not ending with a dot.
func emailDotAtom(b []byte) int {
	prevDot := false
	for _, c := range b {
		switch {
		case c == '.':
			if prevDot {
				return emailAtomBad
			}
			prevDot = true
		case c >= utf8.RuneSelf:
			return emailAtomUnicode
		case emailAtext[c]:
			prevDot = false
		default:
			return emailAtomBad
		}
	}
	if prevDot {
		return emailAtomBad
	}
	return emailAtomOK
}

// emailAppendLocalUnicode is emailAppendLocal for a local part with
// non-ASCII letters, which may change length when lower-cased.
func emailAppendLocalUnicode(dst []byte, local string, gmail bool) ([]byte, bool) {
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
				if gmail {
					continue
				}
			case !emailAtext[c]:
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
		switch {
		case miscIsCyrillicLetter(r):
			r = miscLowerCyrillic(r)
		case r == utf8.RuneError || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			return dst, false
		default:
			r = unicode.ToLower(r)
		}
		prevDot = false
		if !tag {
			dst = utf8.AppendRune(dst, r)
		}
	}
	if prevDot || len(dst) == n0 {
		return dst, false // trailing dot, or nothing left before a gmail tag
	}
	return dst, true
}

// emailCheckDomain checks a host name: at least two labels of ASCII
// letters, digits and inner hyphens, 1-63 bytes each, at most 253 bytes in
// all, a top-level label that is not all digits, and no label with "--" in
// its third and fourth places but valid A-labels (idnaCheckALabel), under
// the Bidi rule when one of them is right to left. ascii is false when d
// holds a non-ASCII byte (before any other fault): it needs IDNA first.
func emailCheckDomain(d string) (ok, ascii bool) {
	if len(d) == 0 || len(d) > emailMaxDomain {
		return false, !emailHasNonASCII(d)
	}
	start, labels := 0, 0
	rtl := false // an A-label is right to left: the Bidi rule applies to every label
	for i := 0; i < len(d); i++ {
		c := d[i]
		if emailHostMap[c] != emailSpecial {
			continue
		}
		switch {
		case c == '.':
			l := d[start:i]
			if !emailLabel(l) {
				return false, true
			}
			if emailTagged(l) {
				a, ok := emailTaggedLabel(l)
				if !ok {
					return false, true
				}
				rtl = rtl || a.rtl
			}
			labels++
			start = i + 1
		case c >= utf8.RuneSelf:
			return false, false
		default:
			return false, true
		}
	}
	last := d[start:]
	if labels == 0 || !emailLabel(last) {
		return false, true
	}
	if emailTagged(last) {
		a, ok := emailTaggedLabel(last)
		if !ok {
			return false, true
		}
		rtl = rtl || a.rtl
	}
	if rtl && !emailBidiDomain(d) {
		return false, true
	}
	for i := 0; i < len(last); i++ {
		if last[i] > '9' {
			return true, true
		}
	}
	return false, true // numeric top-level label: an IP address
}

// emailLabel checks the length and hyphens of a host-name label.
func emailLabel(l string) bool {
	return len(l) > 0 && len(l) <= 63 && l[0] != '-' && l[len(l)-1] != '-'
}

// emailTagged reports whether a label has "--" in its third and fourth
// places: an A-label, or one reserved for other tags.
func emailTagged(l string) bool { return len(l) >= 4 && l[2] == '-' && l[3] == '-' }

// emailTaggedLabel checks a label with "--" in its third and fourth places:
// only an A-label that idnaCheckALabel accepts is allowed (RFC 5891,
// 4.2.3.1 reserves the others).
func emailTaggedLabel(l string) (idnaALabel, bool) {
	if l[0]|0x20 != 'x' || l[1]|0x20 != 'n' {
		return idnaALabel{}, false
	}
	return idnaCheckALabel(l)
}

// emailBidiDomain reports whether every label of d, a domain whose labels
// emailLabel accepted, satisfies the Bidi rule (RFC 5893, 2): an ASCII
// label must start with a letter.
func emailBidiDomain(d string) bool {
	for d != "" {
		l, rest, _ := strings.Cut(d, ".")
		d = rest
		if emailTagged(l) {
			if a, _ := idnaCheckALabel(l); !a.bidiOK {
				return false
			}
			continue
		}
		if l[0] <= '9' {
			return false
		}
	}
	return true
}

// emailNFCInert reports whether s is ASCII and Cyrillic letters (U+0400-
// U+04FF but the combining marks U+0483-U+0489), which are in NFC however
// they follow each other: NFC needs no look at it.
func emailNFCInert(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
		case c >= 0xD0 && c <= 0xD3 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			if r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F); !miscIsCyrillicLetter(r) {
				return false
			}
			i++
		default:
			return false
		}
	}
	return true
}

func emailHasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
