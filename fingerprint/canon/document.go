package canon

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Passport and driving licence numbers.
//
// The canonical form of a document number is its letters and digits, in
// order, with:
//   - full-width forms (U+FF01-U+FF5E) read as their ASCII counterparts,
//     and the decimal digits of every script as ASCII digits (see
//     numeric.go), without allocating;
//     other compatibility forms and decomposed letters are brought to NFKC
//     first (the slow path; it allocates);
//   - letters upper-cased, Latin and Cyrillic alike;
//   - separators dropped: white space (including no-break and typographic
//     spaces), hyphens and dashes, '.', '/', '\', '_', '#', ':', the
//     numero sign '№', and a word "No" ("No", "NO", "no", "Nº", "N°")
//     that stands apart: at the start or after a separator, and followed by
//     a separator or the end, or, for the forms with a small or ordinal o,
//     directly by a digit ("No123456");
//   - the Cyrillic letters that look like Latin ones folded to Latin, so
//     that a number typed in either layout hashes the same: А→A, В→B, Е→E,
//     І→I, К→K, М→M, Н→H, О→O, Р→P, С→C, Т→T, Х→X (and their lower-case
//     forms). Only these twelve: other Cyrillic letters (Ж, Ш, Ї, У, ...)
//     stay Cyrillic.
//
// A canonical number has 5-20 letters and digits, at least 4 of them
// digits, and no letters but Latin and Cyrillic ones; anything else
// (brackets, commas, other scripts) makes the value invalid. So
// "ВОВ584508", "BOB 584508" and "вов-584508" are all "BOB584508", and
// "45 06 123456" is "4506123456".

const (
	docMinLen    = 5
	docMaxLen    = 20
	docMinDigits = 4
)

// docResult is the outcome of one pass over a document number.
type docResult uint8

const (
	docOK      docResult = iota
	docInvalid           // no canonical form
	docSlow              // needs NFKC first
)

// AppendDocument appends the canonical form of a passport or driving
// licence number to dst; see the rules above. When the status is Invalid,
// dst is returned unchanged. It does not allocate when dst has room and the
// value is written with ASCII, Cyrillic, full-width forms and the listed
// separators.
func AppendDocument(dst []byte, s string) ([]byte, Status) {
	out, res := docAppend(dst, s, false)
	if res == docSlow {
		// NFKC turns '№' into "No", which may touch a letter; make it a
		// separator first.
		t := norm.NFKC.String(strings.ReplaceAll(s, "№", " "))
		out, res = docAppend(dst, t, true)
	}
	if res != docOK {
		return dst, Invalid
	}
	return out, Valid
}

// documentShape returns the shape of a canonical document number: each
// letter written as 'A' and each digit as '9', so "BOB584508" gives
// "AAA999999". It serves pattern checks such as "3 letters + 6 digits".
func documentShape(canonical []byte) string {
	return string(appendDocumentShape(make([]byte, 0, len(canonical)), canonical))
}

// appendDocumentShape appends the shape of a canonical document number to
// dst, as documentShape returns it, without allocating when dst has room.
// Characters other than letters and digits are kept as they are.
func appendDocumentShape(dst, canonical []byte) []byte {
	for i := 0; i < len(canonical); {
		c := canonical[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= '0' && c <= '9':
				c = '9'
			case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
				c = 'A'
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRune(canonical[i:])
		i += size
		switch {
		case unicode.IsLetter(r):
			dst = append(dst, 'A')
		case unicode.IsDigit(r):
			dst = append(dst, '9')
		default:
			dst = append(dst, canonical[i-size:i]...)
		}
	}
	return dst
}

// DocPattern is the pattern of a passport or driving licence number as
// written, as [DocumentPattern] returns it.
type DocPattern int

// Document patterns, judged on the upper-cased value without separators.
const (
	// DocNone is no pattern of a passport or licence number.
	DocNone DocPattern = iota
	// DocLicence is a driving licence: a UA licence, a RU licence with its
	// letters, or an IN licence with its state code.
	DocLicence
	// DocPassport is a passport: an IN passport (a letter and seven digits)
	// or a KZ passport (a letter and eight digits).
	DocPassport
	// DocDigits9 is nine digits: a 9-digit ID card (UA, KZ) or something
	// else.
	DocDigits9
	// DocRU10 is 10 bare digits, a Russian passport or something else.
	DocRU10
	// DocLetters2 is two letters and six digits: an old Ukrainian passport
	// booklet, or a Kazakh driving licence (Kazakh passports are N and
	// eight digits); the region decides.
	DocLetters2
	// DocSpaced10 is ten digits with a space: a Russian passport ("45 10
	// 123456") or a Russian licence since 2011 ("77 12 345678").
	DocSpaced10
)

var indianStates = "AN AP AR AS BR CG CH CT DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OD OR PB PY RJ SK TG TN TR TS UK UP WB"

// DocumentPattern classifies v, a passport or licence number as written
// (with spaces, '-', '/', '.' or '№' between its letters and digits), by
// its pattern and returns that pattern, or [DocNone] when v has none of
// them: UA licence 3 letters + 6 digits; UA passport 2 letters + 6 digits,
// UA or KZ ID card 9 digits; RU passport 4+6 digits (with a space), RU
// licence 2 digits + 2 letters + 6 digits; KZ passport letter + 8 digits,
// KZ licence 2 letters + 6 digits; IN passport letter + 7 digits; IN
// licence state code + 13 digits. Digits of other scripts and full-width
// forms read as ASCII (see numeric.go).
func DocumentPattern(v string) DocPattern {
	// At most 40 characters (of up to four bytes: digits of other scripts).
	if len(v) > 4*40 || (len(v) > 40 && utf8.RuneCountInString(v) > 40) {
		return DocNone
	}
	var pat [24]byte // 'L' letter, 'D' digit
	var lat [24]byte // the letters as written (ASCII) for state codes
	n := 0
	spaced := false
	for _, r := range v {
		if a, ok := foldNumericRune(r); ok {
			r = rune(a) // digits of other scripts, full-width forms
		}
		switch {
		case r >= '0' && r <= '9':
			if n == len(pat) {
				return DocNone
			}
			pat[n], lat[n] = 'D', byte(r)
			n++
		case unicode.IsLetter(r):
			if n == len(pat) {
				return DocNone
			}
			pat[n] = 'L'
			if r < utf8.RuneSelf {
				lat[n] = byte(unicode.ToUpper(r))
			}
			n++
		case r == ' ':
			spaced = true
		case r == '-' || r == '/' || r == '.' || r == '№':
		default:
			return DocNone
		}
	}
	p := string(pat[:n])
	switch p {
	case "LLLDDDDDD", "DDLLDDDDDD":
		return DocLicence
	case "LLDDDDDD":
		return DocLetters2
	case "LDDDDDDD", "LDDDDDDDD":
		return DocPassport
	case "DDDDDDDDD":
		return DocDigits9
	case "DDDDDDDDDD":
		if spaced {
			return DocSpaced10
		}
		return DocRU10
	case "LLDDDDDDDDDDDDD":
		if lat[0] != 0 && lat[1] != 0 && strings.Contains(indianStates, string(lat[:2])) {
			return DocLicence
		}
	}
	return DocNone
}

// Classes of ASCII characters in document numbers.
const (
	docBad uint8 = iota
	docSep
	docDigit
	docUpper
	docLower
)

var docClass = func() (t [utf8.RuneSelf]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = docDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c-'A'+'a'] = docUpper, docLower
	}
	for _, c := range " \t\n\r\v\f-./\\_#:" {
		t[c] = docSep
	}
	return t
}()

// docAppend makes one pass over s, appending the canonical form to dst.
// Without lenient it reports docSlow at the first character it cannot
// handle without NFKC; with lenient (s is already NFKC) it also accepts any
// Latin or Cyrillic letter.
func docAppend(dst []byte, s string, lenient bool) ([]byte, docResult) {
	n, digits := 0, 0
	apart := true // at the start or after a separator
	for i := 0; i < len(s); {
		c := s[i]
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			if c >= 0xD0 && c <= 0xD3 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				// Two-byte UTF-8 of U+0400-U+04FF, the Cyrillic block.
				r, size = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2
			} else {
				r, size = utf8.DecodeRuneInString(s[i:])
				if a, ok := foldNumericRune(r); ok {
					// A full-width form of an ASCII character, or a digit
					// of another script (see numeric.go).
					r = rune(a)
				}
			}
		}
		i += size

		switch {
		case r < utf8.RuneSelf:
			switch docClass[r] {
			case docSep:
				apart = true
				continue
			case docDigit:
				dst = append(dst, byte(r))
				digits++
			case docLower:
				r -= 'a' - 'A'
				fallthrough
			case docUpper:
				if apart && r == 'N' {
					if skip := docNumeroWord(s[i:]); skip > 0 {
						i += skip
						continue
					}
				}
				dst = append(dst, byte(r))
			default:
				return dst, docInvalid // ASCII punctuation or control
			}
		case miscIsCyrillicLetter(r):
			r = docFoldLookalike(docUpperCyrillic(r))
			if r < utf8.RuneSelf {
				dst = append(dst, byte(r))
			} else {
				dst = append(dst, byte(0xC0|r>>6), byte(0x80|r&0x3F))
			}
		case docSeparator(r):
			apart = true
			continue
		case !lenient:
			return dst, docSlow
		case unicode.IsLetter(r) && (unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Cyrillic, r)):
			dst = utf8.AppendRune(dst, docFoldLookalike(unicode.ToUpper(r)))
		default:
			return dst, docInvalid
		}
		apart = false
		n++
		if n > docMaxLen {
			return dst, docInvalid
		}
	}
	if n < docMinLen || digits < docMinDigits {
		return dst, docInvalid
	}
	return dst, docOK
}

// docSeparator reports whether r is dropped from document numbers.
func docSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '-', '.', '/', '\\', '_', '#', ':',
		0x00A0, 0x202F, 0x205F, 0x3000, 0x200B, 0xFEFF, // more spaces, BOM
		0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, // hyphens, dashes, minus
		0x2116: // numero sign
		return true
	}
	return r >= 0x2000 && r <= 0x200A // typographic spaces
}

// docNumeroWord looks at what follows an 'N' or 'n' that stands apart and
// returns how many bytes of a "No" word to skip after it, or 0 when it is
// no such word.
func docNumeroWord(t string) int {
	if t == "" {
		return 0
	}
	o, size := utf8.DecodeRuneInString(t)
	if a, ok := foldNumericRune(o); ok {
		o = rune(a) // full-width "ｏ"
	}
	var small bool // a small or ordinal o: may run straight into digits
	switch o {
	case 'o', 'º', '°':
		small = true
	case 'O':
	default:
		return 0
	}
	rest := t[size:]
	if rest == "" {
		return size
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if small {
		if _, digit := foldDigit(r); digit {
			return size
		}
	}
	if a, ok := foldNumericRune(r); ok {
		r = rune(a) // a full-width separator
	}
	if docSeparator(r) {
		return size
	}
	return 0
}

// docUpperCyrillic upper-cases a letter of the Cyrillic block U+0400-U+04FF.
func docUpperCyrillic(r rune) rune {
	switch {
	case r >= 0x430 && r <= 0x44F: // а-я
		return r - 0x20
	case r >= 0x450 && r <= 0x45F: // ѐ-џ, with є, і, ї
		return r - 0x50
	case r >= 0x460 && r <= 0x481, r >= 0x48A && r <= 0x4BF, r >= 0x4D0 && r <= 0x4FF:
		return r &^ 1 // pairs: capital even, small odd
	case r >= 0x4C1 && r <= 0x4CE:
		if r&1 == 0 {
			return r - 1 // pairs: capital odd, small even
		}
	case r == 0x4CF: // small palochka
		return 0x4C0
	}
	return r
}

// docFoldLookalike maps the twelve Cyrillic capitals that look like Latin
// ones to those Latin capitals.
func docFoldLookalike(r rune) rune {
	switch r {
	case 'А':
		return 'A'
	case 'В':
		return 'B'
	case 'Е':
		return 'E'
	case 'І':
		return 'I'
	case 'К':
		return 'K'
	case 'М':
		return 'M'
	case 'Н':
		return 'H'
	case 'О':
		return 'O'
	case 'Р':
		return 'P'
	case 'С':
		return 'C'
	case 'Т':
		return 'T'
	case 'Х':
		return 'X'
	}
	return r
}
