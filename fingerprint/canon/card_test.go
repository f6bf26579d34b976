package canon

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Card numbers below are the published test PANs of card networks and
// payment processors (see checkDigitKAT) or synthetic.
var cardCases = []struct {
	in   string
	want string
	st   Status
}{
	// Full numbers: Luhn decides.
	{"4111111111111111", "4111111111111111", Valid},
	{"4111 1111 1111 1111", "4111111111111111", Valid},
	{"4111-1111-1111-1111", "4111111111111111", Valid},
	{" 4111.1111.1111.1111 ", "4111111111111111", Valid},
	{"4111\u00a01111\u00a01111\u00a01111", "4111111111111111", Valid},
	{"5555 5555 5555 4444", "5555555555554444", Valid},
	{"3782 822463 10005", "378282246310005", Valid},
	{"6011111111111117", "6011111111111117", Valid},
	{"3056 930902 5904", "30569309025904", Valid},
	{"3530111333300000", "3530111333300000", Valid},
	{"4222222222222", "4222222222222", Valid},             // 13 digits
	{"6759649826438453", "6759649826438453", Valid},       // Maestro test PAN
	{"6250941006528599", "6250941006528599", Valid},       // UnionPay test PAN
	{"5019717010103742", "5019717010103742", Valid},       // Dankort test PAN
	{"4111111111111112", "4111111111111112", CheckFailed}, // one digit changed
	{"4111111111111121", "4111111111111121", CheckFailed}, // transposition
	{"1234 5678 9012 3456", "1234567890123456", CheckFailed},
	{"000000000000", "000000000000", Valid},                     // 12 zeros pass Luhn
	{"1234567890123456789", "1234567890123456789", CheckFailed}, // 19 digits
	{"12345678901", "", Invalid},                                // 11 digits
	{"12345678901234567890", "", Invalid},                       // 20 digits
	{"4111 1111 1111 111a", "", Invalid},
	{"4111/1111/1111/1111", "", Invalid},
	{"", "", Invalid},
	// Masked renderings: kept as masked, one '*' a masked position.
	{"4149 49** **** 1234", "414949******1234", Valid},
	{"414949XXXXXX1234", "414949******1234", Valid},
	{"414949xxxxxx1234", "414949******1234", Valid},
	{"414949######1234", "414949******1234", Valid},
	{"414949••••••1234", "414949******1234", Valid},
	{"414949●●●●●●1234", "414949******1234", Valid},
	{"414949ХХХХХХ1234", "414949******1234", Valid}, // Cyrillic Х
	{"**** **** **** 1234", "************1234", Valid},
	{"XXXX-XXXX-XXXX-1234", "************1234", Valid},
	{"5555 55** **** 4444", "555555******4444", Valid},
	{"4111 11** **** ****", "411111**********", Valid}, // only the issuer prefix shown
	{"**** **** **** ****", "", Invalid},               // no digit shown
	{"**** **** **** *234", "", Invalid},               // three digits shown
	{"****1234", "", Invalid},                          // 8 positions
	{"4149 **49 **** 1234", "", Invalid},               // two runs of masks
	{"4149 49** **** 1234 ****", "", Invalid},
	{"Visa **** 1234", "", Invalid},
	{"4149 49?? ???? 1234", "", Invalid},
}

func TestAppendCard(t *testing.T) {
	for _, tc := range cardCases {
		got, st := AppendCard([]byte("c:"), tc.in)
		assert.Equal(t, tc.st, st, "status of %q", tc.in)
		assert.Equal(t, "c:"+tc.want, string(got), "canonical %q", tc.in)
		if !st.Hashable() {
			continue
		}
		again, st2 := AppendCard(nil, tc.want)
		assert.Equal(t, st, st2, "status of canonical %q", tc.want)
		assert.Equal(t, tc.want, string(again), "canonical of canonical %q", tc.want)
	}
}

// TestAppendCardMaskedMatches checks that renderings of one masked number
// share a canonical form and that it differs from the full number's.
func TestAppendCardMaskedMatches(t *testing.T) {
	var forms []string
	for _, s := range []string{"4149 49** **** 1234", "414949XXXXXX1234", "4149-49xx-xxxx-1234", "4149 49•• •••• 1234"} {
		got, st := AppendCard(nil, s)
		assert.Equal(t, Valid, st, "status of %q", s)
		forms = append(forms, string(got))
	}
	for _, f := range forms[1:] {
		assert.Equal(t, forms[0], f, "masked forms agree")
	}
	full, _ := AppendCard(nil, "4149491111111234")
	assert.NotEqual(t, forms[0], string(full), "masked and full forms differ")
	assert.False(t, strings.ContainsAny(forms[0], "X•"), "mask written as '*': %q", forms[0])
}

func TestAppendCardAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, tc := range cardCases {
		allocs := testing.AllocsPerRun(100, func() {
			buf, _ = AppendCard(buf[:0], tc.in)
		})
		assert.Zero(t, allocs, "allocations for %q", tc.in)
	}
}

func BenchmarkAppendCard(b *testing.B) {
	inputs := []string{
		"4111111111111111", "4111 1111 1111 1111", "5555-5555-5555-4444",
		"3782 822463 10005", "4149 49** **** 1234", "414949XXXXXX1234",
		"**** **** **** 1234", "4111111111111112",
	}
	var n int
	for _, s := range inputs {
		n += len(s)
	}
	b.SetBytes(int64(n / len(inputs)))
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	for i := 0; b.Loop(); i++ {
		buf, _ = AppendCard(buf[:0], inputs[i%len(inputs)])
	}
}

func FuzzAppendCard(f *testing.F) {
	for _, tc := range cardCases {
		f.Add(tc.in)
	}
	f.Add("\xe2\x80")
	f.Add("4111\xff1111")
	f.Fuzz(func(t *testing.T, s string) {
		got, st := AppendCard([]byte("p"), s)
		if !st.Hashable() {
			if string(got) != "p" {
				t.Fatalf("%q: Invalid appended %q", s, got)
			}
			return
		}
		c := got[1:]
		if len(c) < minCardDigits || len(c) > maxCardDigits {
			t.Fatalf("%q: canonical %q has %d positions", s, c, len(c))
		}
		for _, b := range c {
			if (b < '0' || b > '9') && b != '*' {
				t.Fatalf("%q: canonical %q holds %q", s, c, b)
			}
		}
		again, st2 := AppendCard(nil, string(c))
		if st2 != st || string(again) != string(c) {
			t.Fatalf("%q: %q (%v) re-canonicalises to %q (%v)", s, c, st, again, st2)
		}
		if st == CheckFailed && ValidLuhn(c) || st == Valid && allDigits(c) && !ValidLuhn(c) {
			t.Fatalf("%q: status %v disagrees with Luhn for %q", s, st, c)
		}
	})
}

// TestAppendCardLuhn checks the Luhn sums AppendCard keeps while scanning
// against ValidLuhn on pseudo-random numbers of every card length.
func TestAppendCardLuhn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var valid int
	for range 20000 {
		n := minCardDigits + rng.IntN(maxCardDigits-minCardDigits+1)
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		want := CheckFailed
		if ValidLuhn(b) {
			want = Valid
			valid++
		}
		_, st := AppendCard(nil, string(b))
		assert.Equal(t, want, st, "status of %s", b)
	}
	assert.Greater(t, valid, 1000, "valid numbers drawn")
}
