package canon

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/bidi"
)

// punycodeEncode appends the Punycode encoding of u (RFC 3492, 6.3) to dst:
// the reference the decoder is checked against, written from the RFC
// apart from the decoder.
func punycodeEncode(dst []byte, u []rune) []byte {
	basic := 0
	for _, r := range u {
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
			basic++
		}
	}
	if basic > 0 {
		dst = append(dst, '-')
	}
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	n, delta, bias := rune(punyInitialN), 0, uint32(punyInitialBias)
	for h := basic; h < len(u); {
		m := rune(unicode.MaxRune + 1)
		for _, r := range u {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range u {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := punyBase; ; k += punyBase {
				t := int(punyThreshold(uint32(k), bias))
				if q < t {
					break
				}
				dst = append(dst, digit(t+(q-t)%(punyBase-t)))
				q = (q - t) / (punyBase - t)
			}
			dst = append(dst, digit(q))
			bias = punyAdapt(uint32(delta), uint32(h+1), h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return dst
}

// punycodeVectors pair U-labels with their Punycode: the samples of RFC
// 3492, 7.1 given by their encodings (decoded by golang.org/x/net/idna for
// comparison), and labels of IdnaTestV2.txt (Unicode 15.0) and of the
// e-mail tests.
var punycodeVectors = []struct{ u, puny string }{
	{"bücher", "bcher-kva"},
	{"münchen", "mnchen-3ya"},
	{"пример", "e1afmkfd"},
	{"рф", "p1ai"},
	{"例え", "r8jz45g"},
	{"テスト", "zckzah"},
	{"faß", "fa-hia"},
	{"日本語", "wgv71a119e"},
	{"βόλος", "nxasmm1c"},
	{"βόλοσ", "nxasmq6b"},
	{"ü", "tda"},
	{"öbb", "bb-eka"},
	{"夙", "bss"},
	{"à\u05D0", "0ca24w"},
	{"a\u094D\u200Cb", "ab-fsf604u"},
	{"\u0646\u0627\u0645\u0647\u200C\u0627\u06CC", "mgba3gch31f060k"},
	{"аррӏе", "80ak6aa92e"},
}

// punycodeRFCSamples are the encodings of RFC 3492, 7.1 (A)-(S), mixed-case
// annotations included.
var punycodeRFCSamples = []string{
	"egbpdaj6bu4bxfgehfvwxn",
	"ihqwcrb4cv8a8dqg056pqjye",
	"ihqwctvzc91f659drss3x8bo0yb",
	"Proprostnemluvesky-uyb24dma41a",
	"4dbcagdahymbxekheh6e0a7fei0b",
	"i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd",
	"n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa",
	"989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c",
	"b1abfaaepdrnnbgefbaDotcwatmq2g4l",
	"PorqunopuedensimplementehablarenEspaol-fmd56a",
	"TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g",
	"3B-ww4c5e180e575a65lsy2b",
	"-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
	"Hello-Another-Way--fc4qua05auwb3674vfr0b",
	"2-u9tlzr9756bt3uc0v",
	"MajiKoi5-783gue6qz075azm5e",
	"de-jg4avhby1noc0d",
	"d9juau41awczczp",
}

func punycodeDecodeString(s string) (string, bool) {
	var u [idnaMaxRunes]rune
	n, ok := punycodeDecode(&u, s)
	if !ok {
		return "", false
	}
	return string(u[:n]), true
}

func TestPunycodeVectors(t *testing.T) {
	for _, v := range punycodeVectors {
		got, ok := punycodeDecodeString(v.puny)
		assert.True(t, ok, "decode %q", v.puny)
		assert.Equal(t, v.u, got, "decode %q", v.puny)
		assert.Equal(t, v.puny, string(punycodeEncode(nil, []rune(v.u))), "encode %q", v.u)
		got, ok = punycodeDecodeString(strings.ToUpper(v.puny))
		assert.True(t, ok && got == v.u, "decode %q: digits in either case", strings.ToUpper(v.puny))
	}
	for _, s := range punycodeRFCSamples {
		got, ok := punycodeDecodeString(s)
		require.True(t, ok, "decode RFC 3492 sample %q", s)
		ref, err := idna.Punycode.ToUnicode("xn--" + s)
		require.NoError(t, err, "x/net/idna decodes RFC 3492 sample %q", s)
		assert.Equal(t, strings.ToLower(ref), strings.ToLower(got), "decode RFC 3492 sample %q", s) // basic code points are lower-cased
		assert.Equal(t, strings.ToLower(s), string(punycodeEncode(nil, []rune(got))), "encode RFC 3492 sample %q", s)
	}
	for _, bad := range []string{
		"-abc",                                 // a delimiter with nothing before it is no digit
		"0",                                    // a digit that wants another
		"a-",                                   // fine as Punycode ("a"), not as an A-label: checked later
		"99999999",                             // overflow
		"zzzzzzzzz",                            // overflow
		"ab_c",                                 // not a digit
		"é-kva",                                // non-ASCII basic code point
		"kva\xff",                              // not a digit
		"a" + strings.Repeat("a-", 30) + "kva", // more code points than a label holds
	} {
		got, ok := punycodeDecodeString(bad)
		if bad == "a-" {
			assert.True(t, ok && got == "a", "decode %q", bad)
			continue
		}
		assert.False(t, ok, "decode %q = %q", bad, got)
	}
	// A surrogate or a code point past U+10FFFF never comes out.
	for _, r := range []rune{0xD800, 0xDFFF} {
		enc := string(punycodeEncode(nil, []rune{'a', r}))
		_, ok := punycodeDecodeString(enc)
		assert.False(t, ok, "decode %q, the encoding of a surrogate", enc)
	}
	_, ok := punycodeDecodeString(string(punycodeEncode(nil, []rune{unicode.MaxRune + 1})))
	assert.False(t, ok, "decode the encoding of U+110000")
	assert.Zero(t, testing.AllocsPerRun(100, func() { punycodeDecodeString("e1afmkfd") })-1, "punycodeDecode allocates") // one for the test's string
}

// punyDiv divides exactly by a multiplication wherever the decoder uses it.
func TestPunyDiv(t *testing.T) {
	rng := rand.New(rand.NewPCG(3492, 5891))
	for d := uint32(1); d <= 100; d++ {
		xs := []uint32{0, 1, d - 1, d, d + 1, punyMaxInt, punyMaxInt - 1, punyMaxInt / d * d, punyMaxInt/d*d - 1}
		for range 10_000 {
			xs = append(xs, rng.Uint32N(punyMaxInt+1))
		}
		for _, x := range xs {
			if got := punyDiv(x, d); got != x/d {
				t.Fatalf("punyDiv(%d, %d) = %d, want %d", x, d, got, x/d)
			}
		}
	}
	for delta := range punyAdaptTail {
		assert.Equal(t, uint8(36*delta/(delta+38)), punyAdaptTail[delta], "punyAdaptTail[%d]", delta)
	}
}

// idnaDomainCases are e-mail domains with A-labels, from IdnaTestV2.txt
// (Unicode 15.0; the status each line gives there follows as a comment) and
// from the rules of RFC 5891-5893. valid is IDNA2008's answer, stricter than
// UTS #46 for symbols (NV8).
var idnaDomainCases = []struct {
	domain string
	valid  bool
}{
	{"xn--fa-hia.de", true},               // faß.de
	{"XN--FA-HIA.DE", true},               // the same, upper case
	{"xn--bcher-kva.de", true},            // bücher.de
	{"xn--bb-eka.at", true},               // öbb
	{"xn--nxasmm1c.com", true},            // βόλος.com
	{"xn--nxasmq6b.com", true},            // βόλοσ.com
	{"xn--tda.xn--tda", true},             // ü.ü
	{"xn--wgv71a119e.jp", true},           // 日本語.jp
	{"xn--bss.com", true},                 // 夙
	{"xn--3y9a.com", true},                // ꭠ
	{"xn--0ca.xn--ssa73l", true},          // à.א̈
	{"xn--0ca81i.xn--4db", true},          // à̈.א
	{"xn--ab-fsf604u.com", true},          // a्‌b: ZWNJ after a virama
	{"xn--ab-fsf014u.com", true},          // a्‍b: ZWJ after a virama
	{"xn--ab-fsf.com", true},              // a्b
	{"www.xn--10cl1a0b660p.com", true},    // www.ශ්‍රී.com
	{"www.xn--10cl1a0b.com", true},        // www.ශ්රී.com
	{"xn--mgba3gch31f060k.com", true},     // نامه‌ای.com: ZWNJ between joining letters
	{"xn--mgba3gch31f.com", true},         // نامهای.com
	{"xn--e1afmkfd.xn--p1ai", true},       // пример.рф
	{"xn--80ak6aa92e.com", true},          // аррӏе.com: a homograph, but valid
	{"xn--u-ccb.com", false},              // u + combining diaeresis: not NFC [V1]
	{"xn--acom-0w1b.com", false},          // a⒈com [V6]
	{"xn--a-ecp.ru", false},               // a⒈ [V6]
	{"xn--0.pt", false},                   // not Punycode [P4]
	{"xn--a.pt", false},                   // U+0080 [V6]
	{"xn--xn--a--gua.pt", false},          // xn--a-ä: hyphens in the 3rd and 4th places [V2]
	{"xn--0ca24w.com", false},             // àא [B5, B6]
	{"xn--0-sfa.xn--4db", false},          // 0à.א: a label starting with a digit in a Bidi domain [B1]
	{"xn--0ca.xn--0-zhcb98c", false},      // à.א0٠א [B4]
	{"xn--ssa.xn--4db", false},            // a leading combining mark [V5, B1]
	{"xn--0ca88g.xn--4db", false},         // àˇ.א [B6]
	{"xn--ab-j1t.com", false},             // a‌b: ZWNJ out of context [C1]
	{"xn--ab-m1t.com", false},             // a‍b: ZWJ out of context [C2]
	{"xn--b-bcba413a.com", false},         // ̈̈بb [B1, V5]
	{"xn--ab-uuba211bca8057b.com", false}, // aب̈‌̈بb [B5]
	{"xn--xn--bss-7z6ccid.com", false},    // [C1, C2]
	{"xn--12345678901234567890123456789012345678901234567890123456-fxe.com", false}, // a label over 63 bytes [A4_2]
	{"xn--53h.com", false},         // ☕: valid in UTS #46, a symbol (NV8) for IDNA2008
	{"xn--7a.com", false},          // ¡: punctuation
	{"xn--pkf.com", false},         // ᧚ (U+19DA), no decimal digit: DISALLOWED
	{"xn--.com", false},            // empty
	{"xn--abc.com", false},         // decodes to C1 controls
	{"ab--cd.com", false},          // reserved for tagged labels
	{"r3--sn.example.com", false},  // likewise
	{"a--b.com", true},             // hyphens in the 2nd and 3rd places
	{"abc--d.com", true},           // and in the 4th and 5th
	{"123.xn--4db", false},         // a Bidi domain whose ASCII label starts with a digit
	{"a123.xn--4db", true},         // a Bidi domain of two good labels
	{"xn--4db.com", true},          // א.com
	{"xn--1-eha.xn--4db", false},   // "1ü": an LTR A-label starting with a digit in a Bidi domain
	{"xn--1-eha.com", true},        // the same label in an LTR domain
	{"xn--l-gda.com", false},       // "l·" (U+00B7) not between two l's
	{"xn--ll-0ea.com", true},       // "l·l"
	{"xn--collegi-xma.cat", true},  // "col·legi" (Catalan)
	{"xn--ngb8iyr.com", false},     // Arabic-Indic and extended Arabic-Indic digits mixed
	{"xn--9hb.xn--4db", false},     // a lone Arabic-Indic digit cannot start an RTL label [B1]
	{"xn--ngbc5azd.xn--4db", true}, // شبكة.א: Arabic and Hebrew letters
	{"xn--ab-3n4a.jp", false},      // a katakana middle dot without kana or Han
	{"xn--lcka3v.jp", true},        // カ・カ: with katakana
	{"xn--wva3j.gr", false},        // keraia at the end
	{"xn--wva4j.gr", true},         // keraia before a Greek letter
	{"xn--a-0jc.com", false},       // geresh after a Latin letter
	{"xn--4db4e.com", true},        // geresh after a Hebrew letter
}

// The vectors the table cites, written out with golang.org/x/net/idna's
// Punycode encoder (no validation) so that the comments above can be
// checked.
func TestIDNADomainCasesSpelled(t *testing.T) {
	for _, c := range []struct{ a, u string }{
		{"xn--1-eha", "1ü"},
		{"xn--l-gda", "l·"},
		{"xn--ll-0ea", "l·l"},
		{"xn--collegi-xma", "col·legi"},
		{"xn--ngb8iyr", "\u0628\u0661\u06F1"},
		{"xn--9hb", "\u0661"},
		{"xn--ngbc5azd", "شبكة"},
		{"xn--ab-3n4a", "a・b"},
		{"xn--lcka3v", "カ・カ"},
		{"xn--wva3j", "α\u0375"},
		{"xn--wva4j", "\u0375α"},
		{"xn--a-0jc", "a\u05F3"},
		{"xn--4db4e", "\u05D0\u05F3"},
	} {
		a, err := idna.Punycode.ToASCII(c.u)
		require.NoError(t, err, c.u)
		assert.Equal(t, c.a, a, "the A-label of %q", c.u)
	}
}

func TestIDNADomains(t *testing.T) {
	for _, c := range idnaDomainCases {
		got, st := AppendEmail(nil, "user@"+c.domain)
		if c.valid {
			assert.Equal(t, Valid, st, "AppendEmail(user@%s)", c.domain)
			assert.Equal(t, "user@"+strings.ToLower(c.domain), string(got), "AppendEmail(user@%s)", c.domain)
		} else {
			assert.Equal(t, Invalid, st, "AppendEmail(user@%s) = %q", c.domain, got)
		}
	}
}

// A valid A-label's Unicode spelling is valid too, with the same
// canonical form. (The other way round need not hold: UTS #46 maps a
// Unicode domain to NFC and lower case first, so "ü.com" is valid where
// the A-label of "u" and a combining diaeresis is not.)
func TestIDNAUnicodeAndALabelAgree(t *testing.T) {
	n := 0
	for _, c := range idnaDomainCases {
		u, err := idna.Punycode.ToUnicode(c.domain)
		if err != nil || u == strings.ToLower(c.domain) || !c.valid {
			continue
		}
		n++
		ga, sa := AppendEmail(nil, "user@"+c.domain)
		gu, su := AppendEmail(nil, "user@"+u)
		require.Equal(t, Valid, sa, "user@%s", c.domain)
		assert.Equal(t, Valid, su, "user@%s is valid, its Unicode spelling user@%s is not", c.domain, u)
		assert.Equal(t, string(ga), string(gu), "user@%s and user@%s", c.domain, u)
	}
	assert.Greater(t, n, 20, "valid A-label domains compared")
}

// The A-label checks allocate nothing for Latin and Cyrillic labels.
func TestIDNAAllocs(t *testing.T) {
	buf := make([]byte, 0, 320)
	for _, d := range []string{"xn--e1afmkfd.xn--p1ai", "xn--bcher-kva.de", "xn--fa-hia.de", "xn--80ak6aa92e.com", "xn--0.pt", "ab--cd.com"} {
		s := "user@" + d
		assert.Zero(t, testing.AllocsPerRun(100, func() { AppendEmail(buf[:0], s) }), "AppendEmail(%q) allocates", s)
	}
}

// idnaProperty agrees with golang.org/x/net/idna's UTS #46 tables: every
// code point idnaProperty calls PVALID is valid there, and every letter,
// mark or decimal digit valid there is PVALID here, but for those that
// IDNA2008 disallows and UTS #46 keeps (idnaStricterThanUTS46). Symbols
// and punctuation (NV8 in UTS #46) are DISALLOWED here and not compared.
func TestIDNAPropertyAgainstUTS46(t *testing.T) {
	profile := idna.New(idna.ValidateForRegistration())
	valid := func(r rune) bool {
		// The code point after a base it cannot combine with, of its own
		// direction, so that only r's own validity decides.
		base := "q"
		if p, _ := bidi.LookupRune(r); p.Class() == bidi.R || p.Class() == bidi.AL || p.Class() == bidi.AN {
			base = "\u05D0"
		}
		_, err := profile.ToASCII(base + string(r))
		return err == nil
	}
	mismatches, stricter, pvalid := 0, map[string]int{}, 0
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		mine := idnaProperty(r)
		if mine == idnaContextJ || mine == idnaContextO {
			continue
		}
		if mine == idnaPValid {
			pvalid++
		}
		theirs := valid(r)
		switch {
		case mine == idnaPValid && !theirs:
			if mismatches < 20 {
				t.Errorf("%U (%q) is PVALID here, not valid under UTS #46", r, r)
			}
			mismatches++
		case mine != idnaPValid && theirs && unicode.In(r, unicode.L, unicode.M, unicode.Nd):
			if why := idnaStricterThanUTS46(r); why != "" {
				stricter[why]++
				continue
			}
			if mismatches < 20 {
				t.Errorf("%U (%q) is valid under UTS #46, not PVALID here", r, r)
			}
			mismatches++
		}
	}
	assert.Zero(t, mismatches, "code points on which the tables disagree")
	t.Logf("%d PVALID code points; valid under UTS #46 only: %v", pvalid, stricter)
	assert.Greater(t, pvalid, 100_000, "PVALID code points")
	for _, why := range []string{"enclosing mark", "exception", "old Hangul jamo", "ignorable block"} {
		assert.Positive(t, stricter[why], "code points UTS #46 keeps and IDNA2008 disallows as %s", why)
	}
}

// idnaStricterThanUTS46 names the rule of RFC 5892 that disallows r where
// UTS #46 keeps it, or "".
func idnaStricterThanUTS46(r rune) string {
	switch {
	case unicode.Is(unicode.Me, r):
		return "enclosing mark" // not among LetterDigits (2.1)
	case r == 0x0640, r == 0x07FA, r == 0x302E, r == 0x302F, r >= 0x3031 && r <= 0x3035, r == 0x303B:
		return "exception" // 2.6
	case r >= 0x1100 && r <= 0x11FF, r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
		return "old Hangul jamo" // 2.9
	case r >= 0x20D0 && r <= 0x20FF, r >= 0x1D100 && r <= 0x1D24F:
		return "ignorable block" // 2.10
	}
	return ""
}

// FuzzPunycodeLabel checks the decoder against golang.org/x/net/idna's and
// against the encoder: what decodes encodes back to the same label, lower
// cased, so an A-label is always the encoding of its U-label.
func FuzzPunycodeLabel(f *testing.F) {
	for _, v := range punycodeVectors {
		f.Add(v.puny)
	}
	for _, s := range punycodeRFCSamples {
		f.Add(s)
	}
	for _, s := range []string{"", "-", "a-", "0", "99999999", "zzzzzzzzz", "-> $1.00 <--", "abc-d-e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var u [idnaMaxRunes]rune
		n, ok := punycodeDecode(&u, s)
		if ok {
			enc := string(punycodeEncode(nil, u[:n]))
			require.Equal(t, strings.ToLower(s), enc, "decode(%q) = %q encodes to %q", s, string(u[:n]), enc)
			for _, r := range u[:n] {
				require.True(t, utf8.ValidRune(r), "decode(%q) holds %U", s, r)
			}
		}
		if len(s) > idnaMaxRunes || strings.ContainsAny(s, ".") || !isASCII(s) {
			return
		}
		ref, err := idna.Punycode.ToUnicode("xn--" + s)
		refOK := err == nil
		if refOK && strings.ContainsRune(ref, utf8.RuneError) && !ok {
			return // x/net/idna lets surrogates through, as U+FFFD
		}
		if !refOK && ok && isASCII(string(u[:n])) && n > 0 {
			return // x/net/idna refuses labels that decode to ASCII; the A-label check does too
		}
		require.Equal(t, refOK, ok, "decode(%q): x/net/idna says %q, %v", s, ref, err)
		if ok && s != "" {
			require.Equal(t, strings.ToLower(ref), strings.ToLower(string(u[:n])), "decode(%q)", s)
		}
		// The label checks never panic and agree with their own fast path.
		if l := "xn--" + s; ok && emailHostLabel(l) {
			a, valid := idnaCheckALabel(l)
			if valid && !a.rtl {
				_ = a.bidiOK
			}
		}
	})
}

// emailHostLabel reports whether l is letters, digits and inner hyphens,
// at most 63 bytes: what emailCheckDomain hands to idnaCheckALabel.
func emailHostLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if emailHostMap[l[i]] == emailSpecial {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
