package canon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Synthetic national IDs used below (made with the algorithms and checked
// with testdata/checkdigits/label.py and python-stdnum):
//
//	UA 3300701234  born 1990-05-15 (day 33007), man
//	UA 3300701240  born 1990-05-15, woman
//	UA 0736545678  born 1920-03-01 (day 7365): leading zero
//	UA 0000100004  day 1: 1900-01-01
//	KZ 900515300008  1990-05-15, man
//	KZ 051231600007  2005-12-31, woman: leading zero
//	KZ 000101500001  2000-01-01, man: three leading zeros
//	KZ 000229500008  2000-02-29, man: three leading zeros
//	KZ 180601600011  2018-06-01, woman
//	IN 987654321012, 499123456783
//	RU 0274062111 (organisation), 027406211167 (individual): leading zero
var nationalIDCases = []struct {
	in     string
	region Region
	want   string
	st     Status
	scheme string
}{
	// UA RNOKPP.
	{"3300701234", UA, "3300701234", Valid, "rnokpp"},
	{"3300701240", UA, "3300701240", Valid, "rnokpp"},
	{" 3300 701 234 ", UA, "3300701234", Valid, "rnokpp"},
	{"3300-701-234", UA, "3300701234", Valid, "rnokpp"},
	{"3300.701.234", UA, "3300701234", Valid, "rnokpp"},
	{"3300\u00a0701\u00a0234", UA, "3300701234", Valid, "rnokpp"},
	{"3300\u202f701\u2013234", UA, "3300701234", Valid, "rnokpp"},
	{"3300701234.0", UA, "3300701234", Valid, "rnokpp"},
	{"3300701234.00", UA, "3300701234", Valid, "rnokpp"},
	{"0736545678", UA, "0736545678", Valid, "rnokpp"},
	{"736545678", UA, "0736545678", Valid, "rnokpp"},   // spreadsheet dropped the zero
	{"736545678.0", UA, "0736545678", Valid, "rnokpp"}, // and wrote a float
	{"1759013776", UA, "1759013776", Valid, "rnokpp"},  // [stdnum]
	{"3300701235", UA, "3300701235", CheckFailed, "rnokpp"},
	{"3300701243", UA, "3300701243", CheckFailed, "rnokpp"}, // transposition
	{"736545679", UA, "0736545679", CheckFailed, "rnokpp"},
	{"33007012", UA, "", Invalid, ""},
	{"33007012345", UA, "", Invalid, ""},
	{"3300701234 5", UA, "", Invalid, ""},
	{"33007O1234", UA, "", Invalid, ""}, // letter O
	{"3.3007e9", UA, "", Invalid, ""},
	{"3300701234.5", UA, "", Invalid, ""}, // 11 digits once the dot goes
	{"", UA, "", Invalid, ""},
	{" - . ", UA, "", Invalid, ""},
	{"+3300701234", UA, "", Invalid, ""},
	{"ІПН 3300701234", UA, "", Invalid, ""},
	// KZ IIN.
	{"900515300008", KZ, "900515300008", Valid, "iin"},
	{"900 515 300 008", KZ, "900515300008", Valid, "iin"},
	{"051231600007", KZ, "051231600007", Valid, "iin"},
	{"51231600007", KZ, "051231600007", Valid, "iin"},
	{"000101500001", KZ, "000101500001", Valid, "iin"},
	{"101500001", KZ, "000101500001", Valid, "iin"}, // three zeros dropped
	{"229500008", KZ, "000229500008", Valid, "iin"},
	{"229500008.0", KZ, "000229500008", Valid, "iin"},
	{"180601600011", KZ, "180601600011", Valid, "iin"},
	{"900515300007", KZ, "900515300007", CheckFailed, "iin"},
	{"901315300008", KZ, "901315300008", CheckFailed, "iin"}, // month 13
	{"900515700008", KZ, "900515700008", CheckFailed, "iin"}, // century digit 7
	{"12345678", KZ, "", Invalid, ""},
	{"9005153000081", KZ, "", Invalid, ""},
	// IN Aadhaar.
	{"234123412346", IN, "234123412346", Valid, "aadhaar"}, // [stdnum]
	{"2341 2341 2346", IN, "234123412346", Valid, "aadhaar"},
	{"2341-2341-2346", IN, "234123412346", Valid, "aadhaar"},
	{"987654321012", IN, "987654321012", Valid, "aadhaar"},
	{"499123456783", IN, "499123456783", Valid, "aadhaar"},
	{"234123412347", IN, "234123412347", CheckFailed, "aadhaar"},
	{"123412341234", IN, "123412341234", CheckFailed, "aadhaar"}, // starts with 1
	{"222222222222", IN, "222222222222", CheckFailed, "aadhaar"}, // palindrome
	{"34123412346", IN, "", Invalid, ""},                         // never padded
	{"XXXX XXXX 2346", IN, "", Invalid, ""},                      // masked
	// RU INN.
	{"7707083893", RU, "7707083893", Valid, "inn"}, // [FNS] Sberbank
	{"123456789047", RU, "123456789047", Valid, "inn"},
	{"0274062111", RU, "0274062111", Valid, "inn"},
	{"274062111", RU, "0274062111", Valid, "inn"},
	{"027406211167", RU, "027406211167", Valid, "inn"},
	{"27406211167", RU, "027406211167", Valid, "inn"},
	{"7707083894", RU, "7707083894", CheckFailed, "inn"},
	{"123456789048", RU, "123456789048", CheckFailed, "inn"},
	{"77070838", RU, "", Invalid, ""},
	{"1234567890123", RU, "", Invalid, ""},
	// No region: schemes by length, the first whose check passes.
	{"3300701234", "", "3300701234", Valid, "rnokpp"},
	{"736545678", "", "0736545678", Valid, "rnokpp"},
	{"7707083893", "", "7707083893", Valid, "inn"},
	{"900515300008", "", "900515300008", Valid, "iin"},
	{"234123412346", "", "234123412346", Valid, "aadhaar"},
	{"123456789047", "", "123456789047", Valid, "inn"},
	{"27406211167", "", "027406211167", Valid, "inn"},
	{"51231600007", "", "051231600007", Valid, "iin"},
	{"1111111112", "", "1111111112", CheckFailed, ""},
	{"229500008", "", "0229500008", CheckFailed, ""}, // only KZ restores three zeros
	{"12345678", "", "", Invalid, ""},
	{"1234567890123", "", "", Invalid, ""},
	// A region without a scheme of its own behaves as no region.
	{"3300701234", "US", "3300701234", Valid, "rnokpp"},
	{"234123412346", "DE", "234123412346", Valid, "aadhaar"},
	// Leading zeros are restored only for the region's lengths.
	{"3300701234", KZ, "003300701234", CheckFailed, "iin"}, // KZ pads 10 digits
	{"900515300008", UA, "", Invalid, ""},
}

func TestAppendNationalID(t *testing.T) {
	for _, tc := range nationalIDCases {
		prefix := []byte("x:")
		got, st := AppendNationalID(prefix, tc.in, tc.region)
		assert.Equal(t, tc.st, st, "status of %q in %q", tc.in, tc.region)
		assert.Equal(t, "x:"+tc.want, string(got), "canonical %q in %q", tc.in, tc.region)
		if !st.Hashable() {
			continue
		}
		id := got[len(prefix):]
		assert.Equal(t, tc.scheme, nationalIDScheme(id, tc.region), "scheme of %q in %q", tc.in, tc.region)
		// The canonical form is a fixed point.
		again, st2 := AppendNationalID(nil, string(id), tc.region)
		assert.Equal(t, st, st2, "status of canonical %s", id)
		assert.Equal(t, string(id), string(again), "canonical of canonical %s", id)
	}
}

func TestNationalIDScheme(t *testing.T) {
	for _, tc := range []struct {
		id     string
		region Region
		want   string
	}{
		{"3300701235", UA, "rnokpp"}, // country regions name the scheme even when the check fails
		{"3300701236", "", ""},
		{"3300701235", "", "inn"}, // not an RNOKPP, but a valid INN
		{"123412341234", IN, "aadhaar"},
		{"123412341234", "", ""},
		{"900515300008", RU, "inn"},
		{"900515300008", "", "iin"},
		{"33007012", UA, ""},
		{"33007o1234", UA, ""},
		{"", "", ""},
	} {
		assert.Equal(t, tc.want, nationalIDScheme([]byte(tc.id), tc.region), "scheme of %q in %q", tc.id, tc.region)
	}
}

func TestBirthDateFromID(t *testing.T) {
	for _, tc := range []struct {
		id     string
		region Region
		want   string
		ok     bool
	}{
		{"3300701234", UA, "1990-05-15", true},
		{"3300701240", UA, "1990-05-15", true},
		{"0736545678", UA, "1920-03-01", true},
		{"0000100004", UA, "1900-01-01", true},
		{"1759013776", UA, "1948-02-28", true},
		{"3658411112", UA, "2000-02-29", true},
		{"9999900007", UA, "2173-10-14", true},
		{"3300701235", UA, "1990-05-15", true}, // check digit not required with a region
		{"0000012345", UA, "", false},          // day 0
		{"3300701234", "", "1990-05-15", true},
		{"3300701236", "", "", false}, // without a region the check must pass
		{"3300701235", "", "", false}, // a valid INN: no date
		{"900515300008", KZ, "1990-05-15", true},
		{"051231600007", KZ, "2005-12-31", true},
		{"000229500008", KZ, "2000-02-29", true},
		{"520229100050", KZ, "1852-02-29", true},
		{"900515300007", KZ, "1990-05-15", true}, // check digit not required with a region
		{"901315300008", KZ, "", false},          // month 13
		{"900515700008", KZ, "", false},          // century 7
		{"000229300008", KZ, "", false},          // 1900-02-29
		{"900515300008", "", "1990-05-15", true},
		{"234123412346", IN, "", false},
		{"234123412346", "", "", false},
		{"7707083893", RU, "", false},
		{"123456789047", "", "", false},
		{"330070123", UA, "", false},
		{"33007O1234", UA, "", false},
		{"", UA, "", false},
	} {
		got, ok := BirthDateFromID([]byte(tc.id), tc.region)
		assert.Equal(t, tc.ok, ok, "ok for %q in %q", tc.id, tc.region)
		assert.Equal(t, tc.want, got, "date of %q in %q", tc.id, tc.region)
	}
}

// TestRNOKPPDates checks the day count against the calendar for every day
// a five-digit count reaches.
func TestRNOKPPDates(t *testing.T) {
	y, m, d := 1899, 12, 31
	id := []byte("0000000000")
	for days := 1; days <= 99999; days++ {
		d++
		if d > daysIn(y, m) {
			d, m = 1, m+1
			if m > 12 {
				m, y = 1, y+1
			}
		}
		id[0] = byte('0' + days/10000)
		id[1] = byte('0' + days/1000%10)
		id[2] = byte('0' + days/100%10)
		id[3] = byte('0' + days/10%10)
		id[4] = byte('0' + days%10)
		got, ok := AppendBirthDateFromID(nil, id, UA)
		require.True(t, ok, "day %d", days)
		require.Equal(t, string(appendISODate(nil, y, m, d)), string(got), "day %d", days)
	}
}

func TestAppendNationalIDAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, tc := range nationalIDCases {
		allocs := testing.AllocsPerRun(100, func() {
			buf, _ = AppendNationalID(buf[:0], tc.in, tc.region)
			_ = nationalIDScheme(buf, tc.region)
			buf, _ = AppendBirthDateFromID(buf, buf, tc.region)
		})
		assert.Zero(t, allocs, "allocations for %q in %q", tc.in, tc.region)
	}
}

func BenchmarkAppendNationalID(b *testing.B) {
	inputs := []struct {
		s string
		r Region
	}{
		{"3300701234", UA}, {"736545678.0", UA}, {"900 515 300 008", KZ},
		{"2341 2341 2346", IN}, {"027406211167", RU}, {"7707083893", ""},
		{"234123412346", ""}, {"3300701235", UA},
	}
	var n int
	for _, in := range inputs {
		n += len(in.s)
	}
	b.SetBytes(int64(n / len(inputs)))
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	for i := 0; b.Loop(); i++ {
		in := inputs[i%len(inputs)]
		buf, _ = AppendNationalID(buf[:0], in.s, in.r)
	}
}

func BenchmarkBirthDateFromID(b *testing.B) {
	ids := []struct {
		id []byte
		r  Region
	}{
		{[]byte("3300701234"), UA}, {[]byte("900515300008"), KZ}, {[]byte("3300701234"), ""},
	}
	b.ReportAllocs()
	buf := make([]byte, 0, 16)
	for i := 0; b.Loop(); i++ {
		in := ids[i%len(ids)]
		buf, _ = AppendBirthDateFromID(buf[:0], in.id, in.r)
	}
}

func FuzzAppendNationalID(f *testing.F) {
	for _, tc := range nationalIDCases {
		f.Add(tc.in, string(tc.region))
	}
	f.Add("0.0", "UA")
	f.Add("\xff\xfe12345", "")
	f.Fuzz(func(t *testing.T, s, region string) {
		r := Region(region)
		got, st := AppendNationalID([]byte("p"), s, r)
		if !st.Hashable() {
			if string(got) != "p" {
				t.Fatalf("%q: Invalid appended %q", s, got)
			}
			return
		}
		id := got[1:]
		if len(id) != 10 && len(id) != 12 || !allDigits(id) {
			t.Fatalf("%q in %q: canonical %q is not 10 or 12 digits", s, r, id)
		}
		again, st2 := AppendNationalID(nil, string(id), r)
		if st2 != st || string(again) != string(id) {
			t.Fatalf("%q in %q: %q (%v) re-canonicalises to %q (%v)", s, r, id, st, again, st2)
		}
		if (st == Valid) != (nationalIDScheme(id, r) != "" && idScheme(id, r, true) != schemeNone) {
			t.Fatalf("%q in %q: status %v but scheme %q", s, r, st, nationalIDScheme(id, r))
		}
		if date, ok := BirthDateFromID(id, r); ok && len(date) != 10 {
			t.Fatalf("%q in %q: date %q", s, r, date)
		}
	})
}
