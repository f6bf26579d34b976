package canon

// Check-digit validators for the national identifiers and card numbers that
// leakprov checks for fabrication. Each takes the bare digits of a number
// (a string or a byte slice; no separators) and reports whether the number
// has the right length and passes its check. They never allocate.
//
// The validators are tested for exact agreement with python-stdnum 1.18 (the
// Debian package python3-stdnum) on the labelled numbers in
// testdata/checkdigits, and against published known answers.

// ValidLuhn reports whether s is a non-empty string of ASCII digits that
// passes the Luhn (mod 10, "double-add-double") check used by payment card
// numbers (ISO/IEC 7812-1, annex B): from the rightmost digit leftwards,
// every second digit is doubled (9 is subtracted from a product above 9) and
// the sum of all digits must be a multiple of 10.
func ValidLuhn[S ~string | ~[]byte](s S) bool {
	if len(s) == 0 {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i]) - '0'
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// rnokppWeights are the weights of digits 1-9 of a Ukrainian RNOKPP.
var rnokppWeights = [9]int{-1, 5, 7, 9, 4, 6, 10, 5, 7}

// ValidRNOKPP reports whether s is a valid Ukrainian individual taxpayer
// registration number (РНОКПП, formerly ІПН/ДРФО): exactly 10 ASCII digits
// whose tenth digit equals (Σ wᵢ·dᵢ mod 11) mod 10 over digits 1-9 with the
// weights −1, 5, 7, 9, 4, 6, 10, 5, 7 (the remainder taken non-negative).
// Digits 1-5 are the holder's birth date as days since 1899-12-31 and digit
// 9 is odd for men and even for women; neither is checked, as in
// python-stdnum's stdnum.ua.rntrc, which this function mirrors exactly.
//
// Source of the algorithm: uk.wikipedia.org/wiki/РНОКПП (the State Tax
// Service's registration number) and stdnum.ua.rntrc.
func ValidRNOKPP[S ~string | ~[]byte](s S) bool {
	if len(s) != 10 || !allDigits(s) {
		return false
	}
	sum := 0
	for i, w := range rnokppWeights {
		sum += w * int(s[i]-'0')
	}
	r := sum % 11
	if r < 0 {
		r += 11
	}
	return int(s[9]-'0') == r%10
}

// iinWeights2 is the second weight sequence of the Kazakh IIN check.
var iinWeights2 = [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}

// iinCheckDigit returns the check digit of the first 11 digits of a Kazakh
// IIN or BIN, or -1 when both weight sequences leave remainder 10 (such a
// number is never issued).
func iinCheckDigit[S ~string | ~[]byte](s S) int {
	sum := 0
	for i := range 11 {
		sum += (i + 1) * int(s[i]-'0')
	}
	r := sum % 11
	if r != 10 {
		return r
	}
	sum = 0
	for i, w := range iinWeights2 {
		sum += w * int(s[i]-'0')
	}
	r = sum % 11
	if r == 10 {
		return -1
	}
	return r
}

// ValidIIN reports whether s is a valid Kazakh individual identification
// number (ИИН / ЖСН): exactly 12 ASCII digits where digits 1-6 are a real
// calendar date YYMMDD, digit 7 (1-6) gives the century and sex (1, 2: the
// 1800s; 3, 4: the 1900s; 5, 6: the 2000s; odd for men, even for women),
// and digit 12 is the check digit: Σ i·dᵢ mod 11 over digits 1-11 (weights
// 1…11); when that is 10, Σ wᵢ·dᵢ mod 11 with the weights 3, 4, 5, 6, 7, 8,
// 9, 10, 11, 1, 2; when that is 10 again the number is invalid.
//
// Source: Rules for forming the identification number, approved by
// Resolution of the Government of the Republic of Kazakhstan of 22 May 2007
// No. 406 (adilet.zan.kz, P070000406). Since its 2013 amendment
// (Resolution No. 853) the digits need not match the holder's real birth
// date; this function checks the structure, not the person. python-stdnum
// has no IIN module: the test oracle is an independent implementation of
// these rules in testdata/checkdigits/label.py.
func ValidIIN[S ~string | ~[]byte](s S) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	if _, _, _, ok := iinDate(s); !ok {
		return false
	}
	return iinCheckDigit(s) == int(s[11]-'0')
}

// iinDate returns the birth date encoded in digits 1-7 of an IIN, with
// ok=false when digit 7 is not 1-6 or the date does not exist. s must hold
// at least 7 ASCII digits.
func iinDate[S ~string | ~[]byte](s S) (year, month, day int, ok bool) {
	c := int(s[6] - '0')
	if c < 1 || c > 6 {
		return 0, 0, 0, false
	}
	year = 1800 + 100*((c-1)/2) + int(s[0]-'0')*10 + int(s[1]-'0')
	month = int(s[2]-'0')*10 + int(s[3]-'0')
	day = int(s[4]-'0')*10 + int(s[5]-'0')
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

// daysIn returns the number of days in month (1-12) of year (Gregorian).
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Verhoeff's dihedral-group tables: verhoeffD is the multiplication table
// of the dihedral group D5, verhoeffP the position permutations (P applied
// i mod 8 times to position i, counted from the right).
var (
	verhoeffD = [10][10]uint8{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
		{3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
		{5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
		{7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
		{9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]uint8{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		{1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
		{8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
		{4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
		{7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

// verhoeffOK reports whether the ASCII digits s (non-empty, checked by the
// caller) pass the Verhoeff check.
func verhoeffOK[S ~string | ~[]byte](s S) bool {
	var c uint8
	for i := 0; i < len(s); i++ {
		c = verhoeffD[c][verhoeffP[i&7][s[len(s)-1-i]-'0']]
	}
	return c == 0
}

// ValidAadhaar reports whether s is a valid Indian Aadhaar number: exactly
// 12 ASCII digits, the first 2-9, not a palindrome, passing the Verhoeff
// check (J. Verhoeff, "Error Detecting Decimal Codes", Mathematical Centre
// Tracts 29, 1969) over all 12 digits. The rules are those of UIDAI's
// "A UID Numbering Scheme" (2010); the palindrome rule follows
// python-stdnum's stdnum.in_.aadhaar, which this function mirrors exactly.
func ValidAadhaar[S ~string | ~[]byte](s S) bool {
	if len(s) != 12 || !allDigits(s) || s[0] < '2' {
		return false
	}
	palindrome := true
	for i := range 6 {
		if s[i] != s[11-i] {
			palindrome = false
			break
		}
	}
	return !palindrome && verhoeffOK(s)
}

// INN weight tables: 10-digit numbers (organisations) and the two check
// digits of 12-digit numbers (individuals).
var (
	innWeights10 = [9]int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights11 = [10]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	innWeights12 = [11]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// ValidINN reports whether s is a valid Russian taxpayer identification
// number (ИНН): either 10 ASCII digits (organisations), whose last digit is
// (Σ wᵢ·dᵢ mod 11) mod 10 over digits 1-9 with the weights 2, 4, 10, 3, 5,
// 9, 4, 6, 8; or 12 ASCII digits (individuals), whose digit 11 is that sum
// over digits 1-10 with the weights 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 and whose
// digit 12 is that sum over digits 1-11 with the weights 3, 7, 2, 4, 10, 3,
// 5, 9, 4, 6, 8.
//
// Source: the algorithm the Federal Tax Service of Russia assigns INNs
// with, as described in ru.wikipedia.org/wiki/Идентификационный_номер_налогоплательщика
// and implemented in python-stdnum's stdnum.ru.inn, which this function
// mirrors exactly.
func ValidINN[S ~string | ~[]byte](s S) bool {
	if !allDigits(s) {
		return false
	}
	switch len(s) {
	case 10:
		return innDigit(s, innWeights10[:]) == int(s[9]-'0')
	case 12:
		return innDigit(s, innWeights11[:]) == int(s[10]-'0') &&
			innDigit(s, innWeights12[:]) == int(s[11]-'0')
	}
	return false
}

// innDigit returns (Σ wᵢ·dᵢ mod 11) mod 10 over the leading digits of s.
func innDigit[S ~string | ~[]byte](s S, w []int) int {
	sum := 0
	for i, wi := range w {
		sum += wi * int(s[i]-'0')
	}
	return sum % 11 % 10
}

// allDigits reports whether every byte of s is an ASCII digit.
func allDigits[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
