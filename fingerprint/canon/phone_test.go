package canon

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// All numbers below are synthetic: made-up subscriber digits in valid
// ranges; the London number is in the range Ofcom reserves for drama
// (020 7946 0xxx).
var phoneCases = []struct {
	in     string
	region Region
	want   string // "" when Invalid
}{
	// Ukraine: international spellings.
	{"+380671234567", UA, "+380671234567"},
	{"+380 67 123 45 67", UA, "+380671234567"},
	{"+38 (067) 123-45-67", UA, "+380671234567"},
	{"(+38) 067 123 45 67", UA, "+380671234567"},
	{"+380-67-123-45-67", "", "+380671234567"},
	{"+380.67.123.45.67", "", "+380671234567"},
	{"380671234567", UA, "+380671234567"},
	{"380671234567", "", "+380671234567"},
	{"38 067 123 45 67", "", "+380671234567"},
	{"00380671234567", UA, "+380671234567"},
	{"00 380 67 123 45 67", "", "+380671234567"},
	{"+3800671234567", UA, "+380671234567"}, // trunk prefix after the code
	{"tel:+380671234567", "", "+380671234567"},
	{"TEL: +380-67-123-45-67", "", "+380671234567"},
	{"\u00a0+380\u00a067\u00a0123\u00a045\u00a067 ", "", "+380671234567"},
	{"+380\u201367\u2013123\u201345\u201367", "", "+380671234567"}, // en dashes
	{"+380 67 123 45 67 ext. 123", UA, "+380671234567"},
	{"+380671234567;ext=55", "", "+380671234567"},
	{"+380 67 123 45 67 x12", "", "+380671234567"},
	{"+380 67 123 45 67 доб. 7", "", "+380671234567"},
	// Ukraine: national spellings.
	{"0671234567", UA, "+380671234567"},
	{"067-123-45-67", UA, "+380671234567"},
	{"(067) 123 45 67", UA, "+380671234567"},
	{"067.123.45.67", UA, "+380671234567"},
	{"067/123/45/67", UA, "+380671234567"},
	{"80671234567", UA, "+380671234567"},
	{"8 067 123 45 67", UA, "+380671234567"},
	{"8 (067) 123-45-67", UA, "+380671234567"},
	{"671234567", UA, "+380671234567"}, // trunk 0 lost in a spreadsheet
	{"044 123 45 67", UA, "+380441234567"},
	{"+380 44 123 4567", "", "+380441234567"},
	{"0 800 123 456", UA, "+380800123456"},
	// Ukraine: invalid.
	{"0671234567", "", ""},
	{"80671234567", "", ""},
	{"+380 67 123 456", UA, ""},
	{"+380 67 123 45 678", UA, ""},
	{"+380 20 123 4567", UA, ""},
	{"067123456a", UA, ""},
	{"067 123 45 67 x", UA, ""},
	{"+380 67 123 45 67 ext 123456789012345678901", UA, ""},
	{"+380 67 123 45 67 abc", UA, ""},
	{"++380671234567", UA, ""},
	{"38+0671234567", UA, ""},
	{"+380671234567+", UA, ""},
	{"", UA, ""},
	{"   ", UA, ""},
	{"+", "", ""},
	{"0", UA, ""},
	{"12345678901234567890123456", UA, ""},
	// Russia.
	{"+7 912 345-67-89", "", "+79123456789"},
	{"+7 (912) 345-67-89", RU, "+79123456789"},
	{"8 (912) 345-67-89", RU, "+79123456789"},
	{"89123456789", RU, "+79123456789"},
	{"79123456789", RU, "+79123456789"},
	{"79123456789", "", "+79123456789"},
	{"9123456789", RU, "+79123456789"},
	{"+7 (495) 123-45-67", "", "+74951234567"},
	{"8 495 123 45 67", RU, "+74951234567"},
	{"8 800 555 35 35", RU, "+78005553535"},
	{"810 7 912 345 67 89", RU, "+79123456789"},
	{"0079123456789", RU, "+79123456789"},
	{"+7 8 912 345 67 89", "", "+79123456789"},
	{"8 912 345 67 89 доб. 123", RU, "+79123456789"},
	{"89123456789", KZ, "+79123456789"}, // RU and KZ share the +7 plan
	{"89123456789", "", ""},
	{"9123456789", "", ""},
	{"+7 612 345 67 89", "", ""},
	{"+7 912 345 67 8", RU, ""},
	{"+7 912 345 67 890", RU, ""},
	{"8 912 345 67 89 ext", RU, ""},
	// Kazakhstan.
	{"+7 701 234 56 78", "", "+77012345678"},
	{"8 701 234 56 78", KZ, "+77012345678"},
	{"87012345678", KZ, "+77012345678"},
	{"77012345678", KZ, "+77012345678"},
	{"77012345678", "", "+77012345678"},
	{"7012345678", KZ, "+77012345678"},
	{"+7 727 258 12 34", "", "+77272581234"},
	{"8 (727) 258-12-34", KZ, "+77272581234"},
	{"+7 700 123 45 67", KZ, "+77001234567"},
	{"87012345678", RU, "+77012345678"},
	{"79123456789", KZ, "+79123456789"},
	{"+7 703 123 45 67", KZ, ""},
	{"87012345678", "", ""},
	{"8 701 234 56 7", KZ, ""},
	// India.
	{"+91 98765 43210", "", "+919876543210"},
	{"+91-98765-43210", IN, "+919876543210"},
	{"919876543210", IN, "+919876543210"},
	{"919876543210", "", "+919876543210"},
	{"09876543210", IN, "+919876543210"},
	{"098765 43210", IN, "+919876543210"},
	{"9876543210", IN, "+919876543210"},
	{"0091 98765 43210", IN, "+919876543210"},
	{"+91 11 2345 6789", "", "+911123456789"},
	{"011 2345 6789", IN, "+911123456789"},
	{"1800 123 4567", IN, "+9118001234567"},
	{"+91 98765 4321", IN, ""},
	{"+91 50123 45678", IN, ""},
	{"09876543210", "", ""},
	{"9876543210", "", ""},
	// A country code without '+' of another fast-path country.
	{"79123456789", UA, "+79123456789"},
	{"380671234567", IN, "+380671234567"},
	{"919876543210", RU, "+919876543210"},
	// Other countries through libphonenumber.
	{"+44 20 7946 0958", "", "+442079460958"},
	{"+44 20 7946 0958", UA, "+442079460958"},
	{"0044 20 7946 0958", "", "+442079460958"},
	{"020 7946 0958", "GB", "+442079460958"},
	{"07400 123456", "GB", "+447400123456"},
	{"+380671234567", "GB", "+380671234567"},
	{"+999 1234 5678", "", ""},
	{"442079460958", "", ""},
	{"020 7946 095", "GB", ""},
}

func TestAppendPhone(t *testing.T) {
	require.GreaterOrEqual(t, len(phoneCases), 80)
	for _, c := range phoneCases {
		got, st := AppendPhone(nil, c.in, c.region)
		if c.want == "" {
			assert.Equal(t, Invalid, st, "AppendPhone(%q, %q) = %q", c.in, c.region, got)
			assert.Empty(t, got, "AppendPhone(%q, %q)", c.in, c.region)
			continue
		}
		assert.Equal(t, Valid, st, "AppendPhone(%q, %q)", c.in, c.region)
		assert.Equal(t, c.want, string(got), "AppendPhone(%q, %q)", c.in, c.region)
	}
}

// TestAppendPhoneKeepsDst checks that AppendPhone appends to dst and leaves
// it unchanged when the value is Invalid.
func TestAppendPhoneKeepsDst(t *testing.T) {
	for _, c := range phoneCases {
		dst := []byte("prefix|")
		got, st := AppendPhone(dst, c.in, c.region)
		assert.Equal(t, "prefix|"+c.want, string(got), "AppendPhone(%q, %q) status %v", c.in, c.region, st)
	}
}

// TestAppendPhoneIdempotent checks that every valid output canonicalises to
// itself, with its region and without one.
func TestAppendPhoneIdempotent(t *testing.T) {
	for _, c := range phoneCases {
		if c.want == "" {
			continue
		}
		for _, r := range []Region{"", c.region, PhoneRegion([]byte(c.want))} {
			got, st := AppendPhone(nil, c.want, r)
			assert.Equal(t, Valid, st, "AppendPhone(%q, %q)", c.want, r)
			assert.Equal(t, c.want, string(got), "AppendPhone(%q, %q)", c.want, r)
		}
	}
}

func TestCanonicalisePhone(t *testing.T) {
	got, st := Append(nil, Phone, "8 067 123 45 67", Options{Region: UA})
	assert.Equal(t, Valid, st)
	assert.Equal(t, "+380671234567", string(got))
}

func TestPhoneRegion(t *testing.T) {
	cases := []struct {
		in   string
		want Region
	}{
		{"+380671234567", UA},
		{"+380441234567", UA},
		{"+79123456789", RU},
		{"+74951234567", RU},
		{"+78005553535", RU},
		{"+77012345678", KZ},
		{"+77272581234", KZ},
		{"+76123456789", KZ},
		{"+919876543210", IN},
		{"+442079460958", "GB"},
		{"+447400123456", "GB"},
		{"+7", RU},
		{"380671234567", ""},
		{"", ""},
		{"+", ""},
		{"+999123456", ""},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, PhoneRegion([]byte(c.in)), "PhoneRegion(%q)", c.in)
	}
}

func TestPhoneMobile(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"+380671234567", true},
		{"+380501234567", true},
		{"+380441234567", false},
		{"+380800123456", false},
		{"+79123456789", true},
		{"+74951234567", false},
		{"+78005553535", false},
		{"+77012345678", true},
		{"+77272581234", false},
		{"+919876543210", true},
		{"+911123456789", false},
		{"+447400123456", true},
		{"+442079460958", false},
		{"+3806712345x7", false},
		{"+38067123456", false},
		{"79123456789", false},
		{"", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, phoneMobile([]byte(c.in)), "phoneMobile(%q)", c.in)
	}
}

// phoneFastInputs are fast-path inputs in the spellings dumps use.
var phoneFastInputs = []struct {
	in     string
	region Region
}{
	{"+380671234567", UA},
	{"+38 (067) 123-45-67", UA},
	{"0671234567", UA},
	{"8 067 123 45 67", UA},
	{"380671234567", ""},
	{"00380671234567", UA},
	{"+7 912 345-67-89", RU},
	{"8 (912) 345-67-89", RU},
	{"79123456789", RU},
	{"8 495 123 45 67", RU},
	{"+7 701 234 56 78", KZ},
	{"87012345678", KZ},
	{"+91 98765 43210", IN},
	{"09876543210", IN},
	{"919876543210", ""},
	{"011 2345 6789", IN},
	{"tel:+380671234567", ""},
	{"+380 67 123 45 67 ext. 123", UA},
	{"0671234567", ""},       // invalid: no region
	{"+380 67 123 456", UA},  // invalid: short
	{"067123456a", UA},       // invalid: letter
	{"+7 612 345 67 89", RU}, // invalid: range
	{"9876543210000000", IN}, // invalid: long
	{"+91 50123 45678", IN},  // invalid: range
	{"\u00a0+380\u00a067\u00a0123\u00a045\u00a067", UA},
}

func TestAppendPhoneAllocs(t *testing.T) {
	dst := make([]byte, 0, 64)
	for _, c := range phoneFastInputs {
		allocs := testing.AllocsPerRun(100, func() {
			dst, _ = AppendPhone(dst[:0], c.in, c.region)
		})
		assert.Zero(t, allocs, "AppendPhone(%q, %q) allocates", c.in, c.region)
	}
	for _, e := range []string{"+380671234567", "+77012345678", "+919876543210"} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = phoneMobile([]byte(e)) }), "phoneMobile(%q)", e)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = PhoneRegion([]byte(e)) }), "PhoneRegion(%q)", e)
	}
}

func BenchmarkAppendPhone(b *testing.B) {
	dst := make([]byte, 0, 64)
	total := 0
	for _, c := range phoneFastInputs {
		total += len(c.in)
	}
	b.SetBytes(int64(total / len(phoneFastInputs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := &phoneFastInputs[i]
		dst, _ = AppendPhone(dst[:0], c.in, c.region)
		i++
		if i == len(phoneFastInputs) {
			i = 0
		}
	}
}

// BenchmarkAppendPhoneRendering measures single spellings.
func BenchmarkAppendPhoneRendering(b *testing.B) {
	for _, c := range []struct {
		name, in string
		region   Region
	}{
		{"UA-plus", "+380671234567", UA},
		{"UA-grouped", "+38 (067) 123-45-67", UA},
		{"RU-trunk", "8 (912) 345-67-89", RU},
		{"KZ-bare", "77012345678", KZ},
		{"IN-fixed", "011 2345 6789", IN},
		{"invalid-letter", "067123456a", UA},
		{"fallback-GB", "+44 20 7946 0958", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			dst := make([]byte, 0, 64)
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for b.Loop() {
				dst, _ = AppendPhone(dst[:0], c.in, c.region)
			}
		})
	}
}

func BenchmarkPhoneMobile(b *testing.B) {
	e := []byte("+919876543210")
	b.ReportAllocs()
	for b.Loop() {
		_ = phoneMobile(e)
	}
}

var phoneFuzzRegions = []Region{"", UA, RU, KZ, IN, "GB", "US", "DE"}

func FuzzAppendPhone(f *testing.F) {
	for _, c := range phoneCases {
		f.Add(c.in, uint8(max(0, slices.Index(phoneFuzzRegions, c.region))))
	}
	f.Add("+380 67 123 45 67 ;ext=1#", uint8(1))
	f.Add("tel:", uint8(0))
	f.Add("8 10 ", uint8(2))
	f.Add("00", uint8(4))
	f.Add("\xe2\x80", uint8(1))
	f.Add("\xc2", uint8(0))
	f.Fuzz(func(t *testing.T, s string, ri uint8) {
		region := phoneFuzzRegions[int(ri)%len(phoneFuzzRegions)]
		dst := []byte("x")
		got, st := AppendPhone(dst, s, region)
		require.True(t, strings.HasPrefix(string(got), "x"), "AppendPhone(%q, %q) lost dst", s, region)
		out := got[1:]
		if st != Valid {
			require.Equal(t, Invalid, st)
			require.Empty(t, out, "AppendPhone(%q, %q) = %q, %v", s, region, out, st)
			return
		}
		require.GreaterOrEqual(t, len(out), 3, "AppendPhone(%q, %q) = %q", s, region, out)
		require.Equal(t, byte('+'), out[0], "AppendPhone(%q, %q) = %q", s, region, out)
		for _, c := range out[1:] {
			require.True(t, c >= '0' && c <= '9', "AppendPhone(%q, %q) = %q", s, region, out)
		}
		for _, r := range []Region{"", region} {
			again, st2 := AppendPhone(nil, string(out), r)
			require.Equal(t, Valid, st2, "re-canonicalising %q (from %q, %q) with %q", out, s, region, r)
			require.Equal(t, string(out), string(again), "re-canonicalising %q (from %q, %q) with %q", out, s, region, r)
		}
		_ = PhoneRegion(out)
		_ = phoneMobile(out)
	})
}
