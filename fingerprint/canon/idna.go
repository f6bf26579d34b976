package canon

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/secure/bidirule"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// Internationalised domain labels in e-mail addresses (since Version 2).
//
// A host-name label whose third and fourth characters are "--" is reserved
// (RFC 5891, 4.2.3.1): only "xn--" labels, A-labels, are accepted, and an
// A-label must be what IDNA2008 allows. idnaCheckALabel checks (without
// allocating when the U-label is of Latin, Greek or Cyrillic letters):
//   - that the part after "xn--" is valid Punycode (RFC 3492: basic code
//     points before the last delimiter, digits in either case, no overflow,
//     no code point past U+10FFFF or among the surrogates) and decodes to a
//     U-label with at least one non-ASCII character. Decoding is one to
//     one, so the A-label is the encoding of its U-label (RFC 5891, 5.4),
//     which FuzzPunycodeLabel checks by encoding again;
//   - the U-label: in NFC; no hyphen at its start, its end, or in its
//     third and fourth positions; no combining mark at its start (RFC 5891,
//     5.4 and 4.2.3);
//   - each code point against the derived property of RFC 5892, computed
//     from Go's Unicode tables (see idnaProperty): lower-case letters,
//     other letters, marks and decimal digits that NFKC and lower-casing
//     leave alone, less the ignorable ones, the ignorable blocks and the
//     old Hangul jamo, with the exceptions of RFC 5892, 2.6; upper-case
//     letters, symbols, punctuation and spaces are DISALLOWED, so symbol
//     and emoji labels that UTS #46 lets through ("xn--53h", ☕) are
//     invalid here;
//   - the CONTEXTO rules of RFC 5892, Appendix A.3-A.9 (middle dot between
//     two l's, Greek keraia before Greek, Hebrew geresh and gershayim after
//     Hebrew, the katakana middle dot with kana or Han, Arabic-Indic and
//     extended Arabic-Indic digits not mixed), and the CONTEXTJ rules of
//     A.1 and A.2: a zero-width joiner or non-joiner after a virama; a
//     non-joiner in any other place is handed to golang.org/x/net/idna
//     (which allocates), whose tables hold the joining types of A.1's
//     second rule;
//   - the Bidi rule of RFC 5893 (golang.org/x/text/secure/bidirule) on
//     every label of a domain with a right-to-left label, the ASCII ones
//     included.
//
// Not checked: the domain against any registry's policy or list of
// permitted scripts, mixed scripts and confusable characters (UTS #39),
// which are a registry's business and not part of IDNA2008. The tables are
// those of the Unicode version of Go and golang.org/x/text (15.0 today):
// code points assigned later are invalid until they are updated, and
// idna_tables.go is regenerated with them (TestIDNATablesCurrent).

// idnaMaxRunes bounds the code points of a U-label: an A-label has at most
// 63 bytes, four of them "xn--", and Punycode spends at least one byte on
// every code point.
const idnaMaxRunes = 59

// Punycode parameters (RFC 3492, 5).
const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 0x80
)

// punyMaxInt is the largest integer the decoder's state may hold (maxint
// of RFC 3492, 6.2, chosen as 2^31-1 like most implementations): a
// variable-length integer past it fails as an overflow. No U-label comes
// near it: n is at most U+10FFFF and the insertion point at most 59.
const punyMaxInt = math.MaxInt32

// punyDigits maps a Punycode digit to its value plus one: a-z (either
// case) are 0-25, 0-9 are 26-35; 0 marks a byte that is no digit.
var punyDigits = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = uint8(c-'a')+1, uint8(c-'a')+1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c-'0') + 27
	}
	return t
}()

// punyAdapt is the bias adaptation function of RFC 3492, 6.1, on 32 bits,
// which the decoder's bounds allow; its divisions by points and by
// delta+skew, the decoder's cost, are made with punyDiv and punyAdaptTail.
func punyAdapt(delta, points uint32, first bool) uint32 {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += punyDiv(delta, points)
	k := uint32(0)
	for delta > ((punyBase-punyTMin)*punyTMax)/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + uint32(punyAdaptTail[delta])
}

// punyAdaptTail holds the last term of punyAdapt, (base-tmin+1)·delta /
// (delta+skew), for every delta the loop before it leaves.
var punyAdaptTail = func() (t [((punyBase-punyTMin)*punyTMax)/2 + 1]uint8) {
	for d := range t {
		t[d] = uint8((punyBase - punyTMin + 1) * d / (d + punySkew))
	}
	return t
}()

// punyReciprocals holds ⌊2^64/d⌋+1 for the divisors 2-64 of punyDiv.
var punyReciprocals = func() (t [65]uint64) {
	for d := uint64(2); d < uint64(len(t)); d++ {
		t[d] = ^uint64(0)/d + 1
	}
	return t
}()

// punyDiv returns x/d for x < 2^31: by a multiplication for the small
// divisors the decoder meets (the high half of x·(⌊2^64/d⌋+1) is exact while
// x·d < 2^64), a division otherwise.
func punyDiv(x, d uint32) uint32 {
	switch {
	case d == 1:
		return x
	case d < uint32(len(punyReciprocals)):
		hi, _ := bits.Mul64(uint64(x), punyReciprocals[d])
		return uint32(hi)
	}
	return x / d
}

// punyThreshold is t of RFC 3492, 6.2, for the digit at k.
func punyThreshold(k, bias uint32) uint32 {
	switch {
	case k <= bias:
		return punyTMin
	case k >= bias+punyTMax:
		return punyTMax
	}
	return k - bias
}

// punycodeDecode decodes s, the Punycode part of an A-label (after
// "xn--"), into out and returns the number of code points. Basic code
// points are copied lower-cased. ok is false when s is no valid Punycode or
// decodes to more than idnaMaxRunes code points.
func punycodeDecode(out *[idnaMaxRunes]rune, s string) (n int, ok bool) {
	b := 0 // where the encoded deltas start
	switch j := strings.LastIndexByte(s, '-'); {
	case j == 0:
		// A delimiter with no basic code points before it is not consumed
		// (RFC 3492, 6.2), and '-' is no digit.
		return 0, false
	case j > idnaMaxRunes:
		return 0, false
	case j > 0:
		for _, c := range []byte(s[:j]) {
			if c >= utf8.RuneSelf {
				return 0, false
			}
			out[n] = rune(miscASCIILower(c))
			n++
		}
		b = j + 1
	}
	// i and w stay at most punyMaxInt, so their products fit in 64 bits and
	// the divisions can be made on 32.
	var i, cp uint64 = 0, punyInitialN
	bias := uint32(punyInitialBias)
	for pos := b; pos < len(s); {
		oldi, w := i, uint64(1)
		for k := uint32(punyBase); ; k += punyBase {
			if pos == len(s) {
				return 0, false
			}
			d := punyDigits[s[pos]]
			if d == 0 {
				return 0, false
			}
			digit := uint32(d - 1)
			pos++
			if i += uint64(digit) * w; i > punyMaxInt {
				return 0, false
			}
			t := punyThreshold(k, bias)
			if digit < t {
				break
			}
			if w *= uint64(punyBase - t); w > punyMaxInt {
				return 0, false
			}
		}
		points := uint32(n + 1)
		bias = punyAdapt(uint32(i-oldi), points, oldi == 0)
		q := punyDiv(uint32(i), points)
		cp += uint64(q)
		i -= uint64(q * points)
		if cp > unicode.MaxRune || (cp >= 0xD800 && cp <= 0xDFFF) || n == idnaMaxRunes {
			return 0, false
		}
		for j := n; j > int(i); j-- { // a few code points: cheaper than copy
			out[j] = out[j-1]
		}
		out[i] = rune(cp)
		n++
		i++
	}
	return n, true
}

// idnaClass is a code point's derived property under RFC 5892.
type idnaClass uint8

const (
	idnaDisallowed idnaClass = iota
	idnaPValid
	idnaContextJ
	idnaContextO
)

// idnaProperty returns the RFC 5892 derived property of r (section 2.7's
// algorithm), computed from Go's Unicode tables:
//
//	Exceptions (2.6)                         as listed
//	LDH (2.4)                                PVALID: a-z, 0-9, '-'
//	JoinControl (2.8)                        CONTEXTJ: U+200C, U+200D
//	Unstable (2.3)                           DISALLOWED: changed by NFKC or
//	                                         by lower-casing, and the small
//	                                         letters case folding maps to
//	                                         others ("ᲀ", Cherokee, U+0345
//	                                         and the letters with it)
//	IgnorableProperties (2.9)                DISALLOWED: the default-ignorable
//	                                         marks and letters
//	IgnorableBlocks (2.10)                   DISALLOWED: combining marks for
//	                                         symbols, musical notation
//	OldHangulJamo (2.9)                      DISALLOWED
//	LetterDigits (2.1): Ll Lu Lo Nd Lm Mn Mc PVALID
//	anything else, unassigned code points    DISALLOWED
//
// Unicode-dependent, like every IDNA2008 table: TestIDNAPropertyAgainstUTS46
// compares it with golang.org/x/net/idna's tables.
func idnaProperty(r rune) idnaClass {
	// Common letters first: basic Cyrillic and Latin-1 lower case.
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
		return idnaPValid
	case r < utf8.RuneSelf:
		return idnaDisallowed
	case r >= 0x430 && r <= 0x45F, r >= 0xDF && r <= 0xFF && r != 0xF7:
		return idnaPValid
	}
	switch r { // Exceptions (RFC 5892, 2.6)
	case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007:
		return idnaPValid
	case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB:
		return idnaContextO
	case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B:
		return idnaDisallowed
	case 0x200C, 0x200D:
		return idnaContextJ
	}
	switch {
	case r >= 0x0660 && r <= 0x0669, r >= 0x06F0 && r <= 0x06F9:
		return idnaContextO
	case !unicode.In(r, unicode.Ll, unicode.Lu, unicode.Lo, unicode.Nd, unicode.Lm, unicode.Mn, unicode.Mc):
		return idnaDisallowed
	case r >= 0x13A0 && r <= 0x13F5: // Cherokee capitals: case folding keeps them
	case unicode.ToLower(r) != r, // capitals
		unicode.ToLower(unicode.ToUpper(r)) != r && r != 0x0131, // folds to another small letter (ᲀ to в), but dotless i
		r >= 0x13F8 && r <= 0x13FD, r >= 0xAB70 && r <= 0xABBF,  // Cherokee small letters fold to capitals
		r == 0x0345, idnaHasYpogegrammeni(r): // ypogegrammeni folds to iota
		return idnaDisallowed
	case r == 0x034F, r == 0x17B4, r == 0x17B5, r >= 0x180B && r <= 0x180D, r == 0x180F,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // default ignorable
		return idnaDisallowed
	case r >= 0x20D0 && r <= 0x20FF, r >= 0x1D100 && r <= 0x1D24F: // ignorable blocks
		return idnaDisallowed
	case r >= 0x1100 && r <= 0x11FF, r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF: // old Hangul jamo
		return idnaDisallowed
	}
	// NFKC leaves r alone when r has no decomposition, or when it is one
	// of the canonical composites NFC puts together again.
	var b [utf8.UTFMax]byte
	if norm.NFKC.Properties(utf8.AppendRune(b[:0], r)).Decomposition() != nil {
		if _, found := slices.BinarySearch(idnaComposites[:], r); !found {
			return idnaDisallowed
		}
	}
	return idnaPValid
}

// idnaHasYpogegrammeni reports whether the canonical decomposition of r
// holds U+0345 (Greek letters with ypogegrammeni, "ᾳ"), which full case
// folding turns into an iota.
func idnaHasYpogegrammeni(r rune) bool {
	if r < 0x1F80 || r > 0x1FFF {
		return false
	}
	var b [utf8.UTFMax]byte
	return bytes.Contains(norm.NFD.Properties(utf8.AppendRune(b[:0], r)).Decomposition(), []byte("\u0345"))
}

// idnaALabel is what idnaCheckALabel found out about a valid A-label.
type idnaALabel struct {
	rtl    bool // the U-label has a right-to-left character: a Bidi domain
	bidiOK bool // the U-label satisfies the Bidi rule
}

// idnaCheckALabel reports whether label, a host-name label that starts
// with "xn--" in any case and is at most 63 bytes of letters, digits and
// hyphens, is a valid A-label (see the notes at the top of this file). It
// does not allocate for a U-label of Latin letters (up to U+02AF), Greek
// and Cyrillic letters, digits and hyphens; any other is checked for NFC
// and the Bidi rule in a buffer of its own.
func idnaCheckALabel(label string) (idnaALabel, bool) {
	var u [idnaMaxRunes]rune
	n, ok := punycodeDecode(&u, label[4:])
	if !ok || n == 0 {
		return idnaALabel{}, false
	}
	if u[0] == '-' || u[n-1] == '-' || (n >= 4 && u[2] == '-' && u[3] == '-') ||
		(u[0] >= 0x300 && !miscIsCyrillicLetter(u[0]) && unicode.Is(unicode.M, u[0])) { // no marks before U+0300
		return idnaALabel{}, false
	}
	ascii := true
	common := true // only PVALID Latin, Greek and Cyrillic letters, digits, hyphens
	for _, r := range u[:n] {
		if r < utf8.RuneSelf {
			if idnaProperty(r) != idnaPValid {
				return idnaALabel{}, false
			}
			continue
		}
		ascii = false
		if common && ((r >= 0x2B0 && !(r >= 0x370 && r <= 0x3FF) && !miscIsCyrillicLetter(r)) || idnaProperty(r) != idnaPValid) {
			common = false
		}
	}
	if ascii {
		return idnaALabel{}, false
	}
	if common {
		// Letters of left-to-right scripts that are starters and compose
		// with no starter: NFC holds, and the Bidi rule does when the label
		// starts with a letter.
		return idnaALabel{bidiOK: u[0] > '9'}, true
	}
	return idnaCheckULabel(label, u[:n])
}

// idnaCheckULabel makes the checks of idnaCheckALabel that need more than
// the code points one by one: the contextual rules, NFC and the Bidi rule.
// It allocates the U-label's UTF-8 form.
func idnaCheckULabel(label string, u []rune) (idnaALabel, bool) {
	b := make([]byte, 0, len(u)*utf8.UTFMax)
	joinerCheck := false // a ZWNJ that only the joining types can allow
	var arabicIndic, extendedArabicIndic, kanaOrHan bool
	for j, r := range u {
		switch idnaProperty(r) {
		case idnaPValid:
		case idnaContextJ:
			virama := j > 0 && idnaCCC(u[j-1]) == 9
			switch {
			case virama:
			case r == 0x200C:
				joinerCheck = true
			default:
				return idnaALabel{}, false
			}
		case idnaContextO:
			switch {
			case r == 0x00B7: // A.3: between two l's
				if j == 0 || j == len(u)-1 || u[j-1] != 'l' || u[j+1] != 'l' {
					return idnaALabel{}, false
				}
			case r == 0x0375: // A.4: before a Greek letter
				if j == len(u)-1 || !unicode.Is(unicode.Greek, u[j+1]) {
					return idnaALabel{}, false
				}
			case r == 0x05F3 || r == 0x05F4: // A.5, A.6: after a Hebrew letter
				if j == 0 || !unicode.Is(unicode.Hebrew, u[j-1]) {
					return idnaALabel{}, false
				}
			case r >= 0x0660 && r <= 0x0669: // A.8
				arabicIndic = true
			case r >= 0x06F0 && r <= 0x06F9: // A.9
				extendedArabicIndic = true
			}
		default:
			return idnaALabel{}, false
		}
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			kanaOrHan = true
		}
		b = utf8.AppendRune(b, r)
	}
	if arabicIndic && extendedArabicIndic {
		return idnaALabel{}, false
	}
	if !kanaOrHan && slices.Contains(u, 0x30FB) { // A.7: katakana middle dot with kana or Han
		return idnaALabel{}, false
	}
	if !norm.NFC.IsNormal(b) {
		return idnaALabel{}, false
	}
	a := idnaALabel{rtl: bidirule.Direction(b) == bidi.RightToLeft, bidiOK: bidirule.Valid(b)}
	if a.rtl && !a.bidiOK {
		return idnaALabel{}, false
	}
	if joinerCheck {
		// A.1's second rule needs the joining types of the letters around
		// the non-joiner.
		if _, err := idna.Lookup.ToUnicode(label); err != nil {
			return idnaALabel{}, false
		}
	}
	return a, true
}

// idnaCCC returns the canonical combining class of r.
func idnaCCC(r rune) uint8 {
	var b [utf8.UTFMax]byte
	return norm.NFC.Properties(utf8.AppendRune(b[:0], r)).CCC()
}
