package canon

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// emailCases are known answers for AppendEmail. want "" means Invalid. The
// Punycode forms are the published ones (RFC 3492 / IANA test domains).
var emailCases = []struct{ in, want string }{
	// Trimming, mailto:, case.
	{"ivan.petrenko@example.com", "ivan.petrenko@example.com"},
	{"  Ivan.Petrenko@Example.COM  ", "ivan.petrenko@example.com"},
	{"\tuser@example.org\r\n", "user@example.org"},
	{"\u00a0user@example.org\u00a0", "user@example.org"},
	{"mailto:User@Example.com", "user@example.com"},
	{"MAILTO:user@example.com", "user@example.com"},
	{"user@example.com.", "user@example.com"},
	{"USER@UKR.NET", "user@ukr.net"},
	{"user@mail.ru", "user@mail.ru"},
	{"a@b.co", "a@b.co"},
	{"user@sub.domain.example.co.uk", "user@sub.domain.example.co.uk"},
	{"user@my-host.example", "user@my-host.example"},
	{"user@123.example", "user@123.example"},
	// Other providers keep dots and +tags.
	{"first.last+news@yahoo.com", "first.last+news@yahoo.com"},
	{"first.last+news@outlook.com", "first.last+news@outlook.com"},
	{"o'brien@example.ie", "o'brien@example.ie"},
	{"a_b-c{d}=e~f@example.com", "a_b-c{d}=e~f@example.com"},
	// Gmail: dots and +tags folded, googlemail.com is gmail.com.
	{"Ivan.Petrenko@gmail.com", "ivanpetrenko@gmail.com"},
	{"ivanpetrenko@gmail.com", "ivanpetrenko@gmail.com"},
	{"i.v.a.n.petrenko@gmail.com", "ivanpetrenko@gmail.com"},
	{"ivan.petrenko+shop@gmail.com", "ivanpetrenko@gmail.com"},
	{"ivan.petrenko+shop+more@gmail.com", "ivanpetrenko@gmail.com"},
	{"ivan.petrenko+sh.op@gmail.com", "ivanpetrenko@gmail.com"},
	{"IvanPetrenko@GMAIL.COM", "ivanpetrenko@gmail.com"},
	{"ivan.petrenko@googlemail.com", "ivanpetrenko@gmail.com"},
	{"Ivan.Petrenko+x@GoogleMail.com", "ivanpetrenko@gmail.com"},
	{"ivan.petrenko@gmail.com.", "ivanpetrenko@gmail.com"},
	{"mailto:ivan.petrenko+x@gmail.com", "ivanpetrenko@gmail.com"},
	// Not gmail: a look-alike domain is left alone.
	{"ivan.petrenko@gmail.co", "ivan.petrenko@gmail.co"},
	{"ivan.petrenko@mail.gmail.com", "ivan.petrenko@mail.gmail.com"},
	// IDNA: Unicode domains to Punycode, same as the ASCII spelling.
	{"user@пример.рф", "user@xn--e1afmkfd.xn--p1ai"},
	{"user@ПРИМЕР.РФ", "user@xn--e1afmkfd.xn--p1ai"},
	{"user@xn--e1afmkfd.xn--p1ai", "user@xn--e1afmkfd.xn--p1ai"},
	{"user@XN--E1AFMKFD.XN--P1AI", "user@xn--e1afmkfd.xn--p1ai"},
	{"user@bücher.de", "user@xn--bcher-kva.de"},
	{"user@münchen.de", "user@xn--mnchen-3ya.de"},
	{"user@例え.テスト", "user@xn--r8jz45g.xn--zckzah"},
	{"user@пример。рф", "user@xn--e1afmkfd.xn--p1ai"}, // ideographic full stop
	{"user@аррӏе.com", "user@xn--80ak6aa92e.com"},    // the Cyrillic homograph of apple.com
	// Unicode local parts (RFC 6531) are lower-cased, and in NFC since
	// version 2.
	{"Іван@example.com", "іван@example.com"},
	{"ПЕТРО.Коваль@ПРИМЕР.рф", "петро.коваль@xn--e1afmkfd.xn--p1ai"},
	{"e\u0301cole@example.com", "école@example.com"}, // decomposed
	{"E\u0301COLE@EXAMPLE.COM", "école@example.com"},
	{"école@example.com", "école@example.com"},
	{"\u212Bsa@example.com", "åsa@example.com"},                // the angstrom sign is Å in NFC
	{"\u1100\u1161@example.kr", "\uAC00@example.kr"},           // Hangul jamo compose
	{"i\u0307\u0301@example.com", "i\u0307\u0301@example.com"}, // no composite: stays
	// Reserved and invalid IDNA labels (version 2); more in idna_test.go.
	{"user@xn--bcher-kva.de", "user@xn--bcher-kva.de"},
	{"user@ab--cd.com", ""},
	{"user@xn--0.pt", ""},
	{"user@xn--53h.com", ""},
	{"user@☕.com", ""},
	{"user@xn--u-ccb.com", ""},
	// Invalid.
	{"", ""},
	{"   ", ""},
	{"user", ""},
	{"user@", ""},
	{"@example.com", ""},
	{"mailto:", ""},
	{"user@@example.com", ""},
	{"us@er@example.com", ""},
	{"user@localhost", ""},
	{"user@example", ""},
	{"user name@example.com", ""},
	{"user@exam ple.com", ""},
	{"user@example..com", ""},
	{"user@.example.com", ""},
	{"user@example.com..", ""},
	{"user@-example.com", ""},
	{"user@example-.com", ""},
	{"user@exa_mple.com", ""},
	{"user@1.2.3.4", ""},
	{"user@[1.2.3.4]", ""},
	{".user@example.com", ""},
	{"user.@example.com", ""},
	{"us..er@example.com", ""},
	{`"user"@example.com`, ""},
	{"user,name@example.com", ""},
	{"user(x)@example.com", ""},
	{"user<x>@example.com", ""},
	{"Ivan <ivan@example.com>", ""},
	{"ivan@example.com; petro@example.com", ""},
	{"user\x00@example.com", ""},
	{"user\u200b@example.com", ""},
	{"+tag@gmail.com", ""},
	{"..@gmail.com", ""},
	{"user@" + strings.Repeat("a", 64) + ".com", ""},
	{strings.Repeat("a", 65) + "@example.com", ""},
	{"user@\xff.com", ""},
	{"\xffuser@example.com", ""},
	{"user@пример..рф", ""},
	{"user@例え", ""},
}

func TestAppendEmail(t *testing.T) {
	for _, c := range emailCases {
		got, st := AppendEmail(nil, c.in)
		if c.want == "" {
			assert.Equal(t, Invalid, st, "AppendEmail(%q) = %q", c.in, got)
			assert.Empty(t, got, "AppendEmail(%q) must leave dst unchanged", c.in)
			continue
		}
		assert.Equal(t, Valid, st, "AppendEmail(%q)", c.in)
		assert.Equal(t, c.want, string(got), "AppendEmail(%q)", c.in)
	}
}

func TestAppendEmailLimits(t *testing.T) {
	local64 := strings.Repeat("a", 64)
	got, st := AppendEmail(nil, local64+"@example.com")
	assert.Equal(t, Valid, st, "a 64-byte local part is allowed")
	assert.Equal(t, local64+"@example.com", string(got))

	label63 := strings.Repeat("b", 63)
	got, st = AppendEmail(nil, "u@"+label63+".com")
	assert.Equal(t, Valid, st, "a 63-byte label is allowed")
	assert.Equal(t, "u@"+label63+".com", string(got))

	long := strings.Repeat(label63+".", 4) + "com" // 259 bytes
	_, st = AppendEmail(nil, "u@"+long)
	assert.Equal(t, Invalid, st, "a domain over 253 bytes is invalid")

	// RFC 5321 counts octets of the address as written, in NFC.
	for _, c := range []struct {
		local string
		valid bool
	}{
		{strings.Repeat("é", 32), true},          // 64 octets
		{strings.Repeat("é", 33), false},         // 66
		{strings.Repeat("e\u0301", 32), true},    // 96 octets decomposed, 64 in NFC
		{strings.Repeat("e\u0301", 33), false},   // 66 in NFC
		{strings.Repeat("\u0958", 10), true},     // 30 octets, 60 in NFC (QA decomposes)
		{strings.Repeat("\u0958", 11), false},    // 33 octets, 66 in NFC
		{strings.Repeat("a", 64) + "é", false},   // 66
		{strings.Repeat("a", 65), false},         // ASCII
		{strings.Repeat("a", 1000) + "é", false}, // long, and not shortened by NFC
	} {
		_, st := AppendEmail(nil, c.local+"@example.com")
		want := Invalid
		if c.valid {
			want = Valid
		}
		assert.Equal(t, want, st, "local part of %d octets as written (%q...)", len(c.local), c.local[:min(8, len(c.local))])
	}
	domain := func(n int) string { // a domain of n octets
		return label63 + "." + label63 + "." + strings.Repeat("d", n-63-63-2-4) + ".com"
	}
	local64 = strings.Repeat("a", 64)
	got, st = AppendEmail(nil, local64+"@"+domain(189))
	assert.Equal(t, Valid, st, "an address of 254 octets is allowed")
	assert.Len(t, got, 254)
	_, st = AppendEmail(nil, local64+"@"+domain(190))
	assert.Equal(t, Invalid, st, "an address of 255 octets is invalid")
	_, st = AppendEmail(nil, local64+"@"+domain(189)+".")
	assert.Equal(t, Valid, st, "the root dot is not counted")
	_, st = AppendEmail(nil, "a.b.c.d."+strings.Repeat("a", 57)+"@gmail.com")
	assert.Equal(t, Invalid, st, "limits apply before the gmail folding: a local part of 65 octets")
}

func TestAppendEmailAppends(t *testing.T) {
	dst := []byte("x|")
	got, st := AppendEmail(dst, "A.B+c@gmail.com")
	require.Equal(t, Valid, st)
	assert.Equal(t, "x|ab@gmail.com", string(got))

	got, st = AppendEmail(dst, "a..b@example.com")
	assert.Equal(t, Invalid, st)
	assert.Equal(t, "x|", string(got), "Invalid must return dst unchanged")
}

func TestAppendEmailAllocs(t *testing.T) {
	buf := make([]byte, 0, 320)
	free := 0
	for _, c := range emailCases {
		local, domain := c.in[:max(0, strings.LastIndexByte(c.in, '@'))], c.in[strings.LastIndexByte(c.in, '@')+1:]
		if _, ascii := emailCheckDomain(domain); !ascii {
			continue // Unicode domains go through IDNA, which allocates
		}
		if norm.NFC.QuickSpanString(local) < len(local) && utf8.ValidString(local) {
			continue // normalised to NFC, which allocates
		}
		if emailOtherScriptALabel(domain) {
			continue // A-labels past Latin, Greek and Cyrillic are checked in a buffer
		}
		free++
		allocs := testing.AllocsPerRun(100, func() { AppendEmail(buf[:0], c.in) })
		assert.Zero(t, allocs, "AppendEmail(%q) allocates", c.in)
	}
	assert.Greater(t, free, 60, "cases that must not allocate")
}

// emailOtherScriptALabel reports whether domain has an A-label that
// decodes to anything but Latin, Greek and Cyrillic letters, digits and
// hyphens.
func emailOtherScriptALabel(domain string) bool {
	for _, l := range strings.Split(strings.ToLower(domain), ".") {
		if !strings.HasPrefix(l, "xn--") {
			continue
		}
		u, ok := punycodeDecodeString(l[4:])
		if !ok {
			continue
		}
		for _, r := range u {
			if !(r < 0x2B0 || r >= 0x370 && r <= 0x3FF || miscIsCyrillicLetter(r)) {
				return true
			}
		}
	}
	return false
}

var emailBench = []string{
	"ivan.petrenko@example.com",
	"  Ivan.Petrenko@Example.COM  ",
	"Ivan.Petrenko+shop@gmail.com",
	"ivan.petrenko@googlemail.com",
	"mailto:user@ukr.net",
	"first.last+news@yahoo.com",
	"user@xn--e1afmkfd.xn--p1ai",
	"Іван@example.com",
	"user@@example.com",
	"user name@example.com",
}

func BenchmarkAppendEmail(b *testing.B) {
	var total int
	for _, s := range emailBench {
		total += len(s)
	}
	b.SetBytes(int64(total / len(emailBench)))
	b.ReportAllocs()
	buf := make([]byte, 0, 320)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf, _ = AppendEmail(buf[:0], emailBench[i%len(emailBench)])
	}
}

// BenchmarkAppendEmailIDNA is the slow path: Unicode domains.
func BenchmarkAppendEmailIDNA(b *testing.B) {
	inputs := []string{"user@пример.рф", "user@bücher.de", "user@аррӏе.com"}
	b.ReportAllocs()
	buf := make([]byte, 0, 320)
	for i := 0; i < b.N; i++ {
		buf, _ = AppendEmail(buf[:0], inputs[i%len(inputs)])
	}
}

func FuzzAppendEmail(f *testing.F) {
	for _, c := range emailCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The in-place ASCII path and the rune-by-rune path on the NFC form
		// agree.
		local, _, _ := strings.Cut(s, "@")
		nfc := norm.NFC.String(local)
		for _, gmail := range []bool{false, true} {
			fast, n, ok1 := emailAppendLocal(nil, local, gmail)
			slow, ok2 := emailAppendLocalUnicode(nil, nfc, gmail)
			ok2 = ok2 && len(nfc) <= emailMaxLocal
			require.Equal(t, ok2, ok1, "local part %q, gmail %v", local, gmail)
			if ok1 {
				require.Equal(t, string(slow), string(fast), "local part %q, gmail %v", local, gmail)
				require.Equal(t, len(nfc), n, "NFC length of local part %q", local)
			}
		}

		dst := []byte("prefix")
		got, st := AppendEmail(dst, s)
		require.Equal(t, "prefix", string(got[:6]), "AppendEmail(%q) changed dst", s)
		if st != Valid {
			require.Equal(t, Invalid, st, "AppendEmail(%q)", s)
			require.Len(t, got, 6, "AppendEmail(%q): Invalid must leave dst unchanged", s)
			return
		}
		canon := string(got[6:])
		require.Equal(t, 1, strings.Count(canon, "@"), "AppendEmail(%q) = %q", s, canon)
		again, st2 := AppendEmail(nil, canon)
		require.Equal(t, Valid, st2, "AppendEmail(%q) = %q does not re-canonicalise", s, canon)
		require.Equal(t, canon, string(again), "AppendEmail(%q) = %q is not a fixed point", s, canon)
	})
}
