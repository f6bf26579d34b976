package canon

import (
	"unicode/utf8"
)

// National ID schemes, by the names [nationalIDScheme] reports.
const (
	schemeNone = iota
	schemeRNOKPP
	schemeIIN
	schemeAadhaar
	schemeINN
)

var schemeNames = [...]string{
	schemeNone:    "",
	schemeRNOKPP:  "rnokpp",
	schemeIIN:     "iin",
	schemeAadhaar: "aadhaar",
	schemeINN:     "inn",
}

// maxIDDigits is the longest national ID any scheme knows.
const maxIDDigits = 12

// AppendNationalID appends the canonical form of the national ID s to dst
// and returns the extended buffer and the value's status.
//
// The canonical form is the bare digits. Spaces (including no-break and
// thin spaces), dashes and dots are dropped anywhere; a trailing ".0" (or
// ".00"…) after plain digits, as spreadsheets write numbers, is dropped too.
// Any other character, a float such as "2.7e9" included, makes the value
// Invalid. Leading zeros that spreadsheets strip are restored for the known
// lengths: 9→10 digits (UA RNOKPP, RU INN of organisations), 11→12 digits
// (RU INN of individuals) and, with region KZ, 9, 10 or 11→12 digits (an
// IIN starts with 0 for people born 2000-2009, with 00 for those born in
// 2000 and with 000 for those born January-September 2000). Aadhaar numbers
// never start with 0 or 1, so nothing is restored for them.
//
// The region chooses the scheme: UA → RNOKPP (10 digits), KZ → IIN (12),
// IN → Aadhaar (12), RU → INN (10 or 12). Any other region, and the empty
// one, accepts 10 digits (RNOKPP, then INN) and 12 digits (IIN, Aadhaar,
// then INN) and is Valid when any of those schemes' checks passes.
//
// A value of the right length whose check fails (see [ValidRNOKPP],
// [ValidIIN], [ValidAadhaar], [ValidINN]) is appended with status
// CheckFailed, so copies of a fabricated set still match each other. A
// value of any other length is Invalid and dst is returned unchanged.
//
// AppendNationalID differs from the validators (and from python-stdnum) in
// one deliberate way: a value that is short by its stripped leading zeros
// is padded before it is checked, so "175901377" with region UA is the
// RNOKPP "0175901377", where ValidRNOKPP("175901377") is false.
//
// Digits of any script and full-width forms read as ASCII (see
// numeric.go): with region UA, "١٧٥٩٠١٣٧٧" and "１７５９０１３７７" are
// "0175901377", as "175901377" is.
//
// It does not allocate when dst has room for 12 more bytes and the value is
// written with ASCII digits; digits of other scripts cost one allocation.
func AppendNationalID(dst []byte, s string, region Region) ([]byte, Status) {
	var buf [maxIDDigits]byte
	n, ok := scanIDDigits(&buf, s)
	if !ok {
		if t, folded := foldNumericIfAny(s); folded {
			// Once: t has nothing left to fold.
			return AppendNationalID(dst, t, region)
		}
		return dst, Invalid
	}
	want := idLength(n, region)
	if want == 0 {
		return dst, Invalid
	}
	start := len(dst)
	for range want - n {
		dst = append(dst, '0')
	}
	dst = append(dst, buf[:n]...)
	if idScheme(dst[start:], region, true) == schemeNone {
		return dst, CheckFailed
	}
	return dst, Valid
}

// nationalIDScheme names the scheme of id, a canonical national ID as
// [AppendNationalID] makes it: "rnokpp", "iin", "aadhaar", "inn", or "".
// With region UA, KZ, IN or RU it is that region's scheme whenever id has
// the scheme's length, whether or not its check passes; with any other
// region it is the first scheme of id's length (RNOKPP, then INN for 10
// digits; IIN, Aadhaar, then INN for 12) whose check passes, or "".
func nationalIDScheme(id []byte, region Region) string {
	if !allDigits(id) {
		return ""
	}
	return schemeNames[idScheme(id, region, false)]
}

// idScheme returns the scheme of the canonical digits id under region, or
// schemeNone. For a country region it returns the region's scheme when id
// has its length and, if mustPass, passes its check. For any other region
// it returns the first scheme of id's length whose check passes.
func idScheme(id []byte, region Region, mustPass bool) int {
	switch region {
	case UA:
		if len(id) == 10 && (!mustPass || ValidRNOKPP(id)) {
			return schemeRNOKPP
		}
		return schemeNone
	case KZ:
		if len(id) == 12 && (!mustPass || ValidIIN(id)) {
			return schemeIIN
		}
		return schemeNone
	case IN:
		if len(id) == 12 && (!mustPass || ValidAadhaar(id)) {
			return schemeAadhaar
		}
		return schemeNone
	case RU:
		if (len(id) == 10 || len(id) == 12) && (!mustPass || ValidINN(id)) {
			return schemeINN
		}
		return schemeNone
	}
	switch len(id) {
	case 10:
		if ValidRNOKPP(id) {
			return schemeRNOKPP
		}
	case 12:
		if ValidIIN(id) {
			return schemeIIN
		}
		if ValidAadhaar(id) {
			return schemeAadhaar
		}
	}
	if ValidINN(id) {
		return schemeINN
	}
	return schemeNone
}

// idLength returns the canonical length of an n-digit national ID under
// region (n itself, or n+1 when a stripped leading zero is restored), or 0
// when no scheme of the region has that length.
func idLength(n int, region Region) int {
	switch region {
	case UA:
		if n == 9 || n == 10 {
			return 10
		}
	case KZ:
		// People born in 2000 have IINs starting 00 (000 until September),
		// which lose two or three zeros in a spreadsheet.
		if n >= 9 && n <= 12 {
			return 12
		}
	case IN:
		if n == 12 {
			return 12
		}
	default: // RU, and any region without a scheme of its own
		switch n {
		case 9, 10:
			return 10
		case 11, 12:
			return 12
		}
	}
	return 0
}

// scanIDDigits copies the digits of s into buf, dropping separators, and
// returns their count. ok is false when s holds any other character, no
// digit, or more digits than buf holds.
func scanIDDigits(buf *[maxIDDigits]byte, s string) (n int, ok bool) {
	s = trimSpreadsheetZero(s)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return 0, false
			}
			buf[n] = c
			n++
			i++
		case c < utf8.RuneSelf:
			if !isASCIISeparator(c) {
				return 0, false
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isUnicodeSeparator(r) {
				return 0, false
			}
			i += size
		}
	}
	return n, n > 0
}

// trimSpreadsheetZero drops a fractional part of zeros (".0", ".00", …)
// from s when the rest, bar surrounding spaces, is plain digits: the form a
// spreadsheet gives a number stored as a float.
func trimSpreadsheetZero(s string) string {
	end := len(s)
	for end > 0 && (s[end-1] == ' ' || s[end-1] == '\t' || s[end-1] == '\r' || s[end-1] == '\n') {
		end--
	}
	i := end
	for i > 0 && s[i-1] == '0' {
		i--
	}
	if i == end || i == 0 || s[i-1] != '.' {
		return s
	}
	dot := i - 1
	begin := 0
	for begin < dot && (s[begin] == ' ' || s[begin] == '\t') {
		begin++
	}
	if begin == dot || !allDigits(s[begin:dot]) {
		return s
	}
	return s[begin:dot]
}

// isASCIISeparator reports whether c is an ASCII space, dash or dot, the
// separators dropped from numbers.
func isASCIISeparator(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', '-', '.':
		return true
	}
	return false
}

// isUnicodeSeparator reports whether r is a non-ASCII space or dash that
// dumps write inside numbers: no-break, figure, thin and narrow no-break
// spaces, the byte-order mark, the Unicode hyphens and dashes, and the
// minus sign.
func isUnicodeSeparator(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u2008', '\u2009', '\u200a', '\u202f', '\u205f', '\u3000', '\ufeff',
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u00b7', '\u2024':
		return true
	}
	return false
}

// rnokppEpoch is 1899-12-31 as a count of days since 1970-01-01: RNOKPP
// digits 1-5 count days from it.
var rnokppEpoch = daysFromCivil(1899, 12, 31)

// BirthDateFromID returns the birth date, as ISO 8601 (YYYY-MM-DD), that
// a canonical national ID encodes, or ok=false. See [AppendBirthDateFromID]
// for the rules; this form allocates the returned string.
func BirthDateFromID(id []byte, region Region) (date string, ok bool) {
	var buf [10]byte
	b, ok := AppendBirthDateFromID(buf[:0], id, region)
	if !ok {
		return "", false
	}
	return string(b), true
}

// AppendBirthDateFromID appends the ISO 8601 birth date (YYYY-MM-DD) that
// a canonical national ID encodes to dst, or returns dst and ok=false.
//
// A UA RNOKPP (10 digits) encodes the date in digits 1-5 as days since
// 1899-12-31 (00001 is 1900-01-01; 00000 encodes no date). A KZ IIN (12
// digits) encodes YYMMDD in digits 1-6 with the century in digit 7: 1, 2 →
// 1800s; 3, 4 → 1900s; 5, 6 → 2000s; the date must exist. With region UA
// or KZ the date is read whatever the check digit; with any region but UA,
// KZ, IN and RU the scheme is chosen as [nationalIDScheme] does, so the
// check must pass. Aadhaar numbers and INNs carry no date.
//
// It does not allocate when dst has room for 10 more bytes.
func AppendBirthDateFromID(dst, id []byte, region Region) ([]byte, bool) {
	if !allDigits(id) {
		return dst, false
	}
	switch idScheme(id, region, false) {
	case schemeRNOKPP:
		days := int(id[0]-'0')*10000 + int(id[1]-'0')*1000 + int(id[2]-'0')*100 +
			int(id[3]-'0')*10 + int(id[4]-'0')
		if days == 0 {
			return dst, false
		}
		y, m, d := civilFromDays(rnokppEpoch + days)
		return appendISODate(dst, y, m, d), true
	case schemeIIN:
		y, m, d, ok := iinDate(id)
		if !ok {
			return dst, false
		}
		return appendISODate(dst, y, m, d), true
	}
	return dst, false
}

// appendISODate appends YYYY-MM-DD for a year in 0-9999.
func appendISODate(dst []byte, y, m, d int) []byte {
	return append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date, counting in 400-year eras that start on
// 1 March (after Howard Hinnant's "chrono-compatible low-level date
// algorithms").
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// floorDiv divides rounding towards negative infinity.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
