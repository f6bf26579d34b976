package sampleset

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Value shapes.

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// phoneLike reports whether s is made of digits and phone punctuation
// only, with 6 to 15 digits, and returns the digit count.
func phoneLike(s string) (int, bool) {
	d := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			d++
		case ch == ' ' || ch == '+' || ch == '-' || ch == '(' || ch == ')' || ch == '.' || ch == '/':
		default:
			return 0, false
		}
	}
	return d, d >= 6 && d <= 15
}

// idLike returns s without spaces and dashes when what is left is 9 to 14
// digits.
func idLike(s string) (string, bool) {
	if isDigits(s) {
		return s, len(s) >= 9 && len(s) <= 14
	}
	var b [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = ch
			n++
		case ch == ' ' || ch == '-':
		default:
			return "", false
		}
	}
	return string(b[:n]), n >= 9 && n <= 14
}

// cardLike reports whether s could be a full or masked card number: 12 to
// 40 bytes with a digit.
func cardLike(s string) bool {
	return len(s) >= 12 && len(s) <= 40 && hasDigit(s)
}

// dateLike reports whether s could be a date: 6 to 32 bytes with at least
// four digits and a date separator, or eight bare digits.
func dateLike(s string) bool {
	if len(s) < 6 || len(s) > 32 {
		return false
	}
	if len(s) == 8 && isDigits(s) {
		return true
	}
	d := 0
	sep := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			d++
		case ch == '.' || ch == '-' || ch == '/':
			sep = true
		}
	}
	return sep && d >= 4
}

// nameShape reports whether v looks like a person's name: 1 to 4 words of
// letters (with inner hyphens or apostrophes, "?" standing for an
// apostrophe lost to an encoding, or a one-letter initial with a dot), each
// capitalised or all caps, or every word in small letters (dumps that
// lower-cased everything), and returns the word count.
func nameShape(v string) (bool, int) {
	words, lower := 0, 0
	for w := range strings.FieldsSeq(v) {
		words++
		ok, low := nameWord(w)
		if words > 4 || !ok {
			return false, 0
		}
		if low {
			lower++
		}
	}
	if lower > 0 && lower < words {
		return false, 0 // "Ivan petrenko" is no name as written
	}
	return words > 0, words
}

// nameWord reports whether w is a name word, and whether it is written in
// small letters only.
func nameWord(w string) (ok, lower bool) {
	letters := 0
	first := true
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
			if first {
				lower = unicode.IsLower(r)
				first = false
			} else if lower && unicode.IsUpper(r) {
				return false, false
			}
			letters++
		case unicode.IsMark(r):
			if first {
				return false, false
			}
		case r == '-' || isApostrophe(r) || r == '?':
			if letters == 0 || i == len(w)-1 {
				return false, false
			}
		case r == '.':
			return letters == 1 && i == len(w)-1 && !lower, false
		default:
			return false, false
		}
	}
	return letters >= 2, lower
}

// addressShape reports whether v looks like a postal address: at least 10
// characters and 2 words, with letters, and digits or commas.
func addressShape(v string) bool {
	if utf8.RuneCountInString(v) < 10 {
		return false
	}
	words := 0
	for range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		words++
	}
	return words >= 2 && hasLetter(v) && (hasDigit(v) || strings.IndexByte(v, ',') >= 0)
}

// tokenShape reports whether v is one printable token of 3 to 128
// characters: a password, hash or username.
func tokenShape(v string) bool {
	n := 0
	for _, r := range v {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
		n++
	}
	return n >= 3 && n <= 128 && strings.IndexByte(v, '@') < 0
}

// hashShape reports whether v looks like a password hash: hex of a
// digest's length, or a crypt-style "$id$..." string.
func hashShape(v string) bool {
	if strings.HasPrefix(v, "$") && strings.Count(v, "$") >= 3 {
		return true
	}
	switch len(v) {
	case 32, 40, 56, 64, 96, 128:
	default:
		return false
	}
	for i := 0; i < len(v); i++ {
		ch := v[i] | 0x20
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return false
		}
	}
	return true
}

// usernameShape reports whether v looks like a username: 3 to 32 letters,
// digits, dots, dashes and underscores, with a letter.
func usernameShape(v string) bool {
	n := 0
	for _, r := range v {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
			return false
		}
		n++
	}
	return n >= 3 && n <= 32 && hasLetter(v)
}
