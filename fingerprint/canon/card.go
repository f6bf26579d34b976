package canon

import (
	"unicode/utf8"
)

// Card number lengths (ISO/IEC 7812-1: a PAN has at most 19 digits; the
// shortest in use have 12).
const (
	minCardDigits = 12
	maxCardDigits = 19
	// minMaskedKnown is how many digits a masked card number must show.
	minMaskedKnown = 4
)

// AppendCard appends the canonical form of a bank card number to dst and
// returns the extended buffer and the value's status.
//
// A full number is 12-19 digits, with spaces, dashes or dots anywhere; its
// canonical form is the digits, Valid when they pass the Luhn check (see
// [ValidLuhn]) and CheckFailed otherwise.
//
// A masked rendering ("4149 49** **** 1234", "414949XXXXXX1234",
// "**** **** **** 1234") has one run of masked positions, written with
// '*', 'X', 'x', '#', '•', '●' or the Cyrillic 'Х'/'х', and at least four
// shown digits, 12-19 positions in all. Its canonical form keeps the digits
// and writes each masked position as '*' ("414949******1234"); it is Valid,
// since it cannot be checked.
//
// Digits of any script and full-width forms read as ASCII (see
// numeric.go), so "４１１１ １１１１ １１１１ １１１１" is the card
// "4111111111111111" and "Ｘ" masks a digit like "X".
//
// Anything else is Invalid and dst is returned unchanged. It does not
// allocate when dst has room for 19 more bytes and the value is written
// with ASCII digits; digits of other scripts cost one allocation.
func AppendCard(dst []byte, s string) ([]byte, Status) {
	var buf [maxCardDigits]byte
	n, digits := 0, 0
	runs := 0 // runs of masked positions
	// Luhn sums computed on the way: sumA doubles the digits at odd
	// positions from the left, sumB those at even ones. Which is the Luhn
	// sum depends on the length, known only at the end.
	sumA, sumB := 0, 0
	lastMasked := false
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		mask := false
		switch {
		case c >= '0' && c <= '9':
		case c == '*' || c == 'X' || c == 'x' || c == '#':
			mask = true
		case c < utf8.RuneSelf:
			if !isASCIISeparator(c) {
				return dst, Invalid
			}
			i++
			continue
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case isMaskRune(r):
				mask = true
			case isUnicodeSeparator(r):
				i += size
				continue
			default:
				if t, folded := foldNumericIfAny(s); folded {
					// A digit of another script or a full-width form;
					// once: t has nothing left to fold.
					return AppendCard(dst, t)
				}
				return dst, Invalid
			}
		}
		if n == len(buf) {
			return dst, Invalid
		}
		if mask {
			if !lastMasked {
				runs++
			}
			buf[n] = '*'
		} else {
			buf[n] = c
			digits++
			d := int(c - '0')
			if n&1 == 0 {
				sumA += d
				sumB += luhnDouble[d]
			} else {
				sumA += luhnDouble[d]
				sumB += d
			}
		}
		lastMasked = mask
		n++
		i += size
	}
	if n < minCardDigits {
		return dst, Invalid
	}
	switch {
	case runs == 0:
		dst = append(dst, buf[:n]...)
		// The rightmost digit is never doubled: with an even length the
		// leftmost one (position 0) is.
		sum := sumA
		if n&1 == 0 {
			sum = sumB
		}
		if sum%10 == 0 {
			return dst, Valid
		}
		return dst, CheckFailed
	case runs == 1 && digits >= minMaskedKnown:
		return append(dst, buf[:n]...), Valid
	}
	return dst, Invalid
}

// luhnDouble maps a digit to the Luhn value of its double.
var luhnDouble = [10]int{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}

// isMaskRune reports whether r is a non-ASCII character that dumps use to
// mask card digits: bullets and the Cyrillic Х.
func isMaskRune(r rune) bool {
	switch r {
	case '\u2022', '\u25cf', '\u2217', '\u0425', '\u0445':
		return true
	}
	return false
}
