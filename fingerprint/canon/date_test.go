package canon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dateCases are known answers for AppendDate. want "" means Invalid.
var dateCases = []struct {
	in    string
	order DateOrder
	want  string
}{
	// Day first, every separator.
	{"03.04.1990", DayFirst, "1990-04-03"},
	{"03/04/1990", DayFirst, "1990-04-03"},
	{"03-04-1990", DayFirst, "1990-04-03"},
	{"3.4.1990", DayFirst, "1990-04-03"},
	{"3/4/1990", DayFirst, "1990-04-03"},
	{"03.4.1990", DayFirst, "1990-04-03"},
	{"25.12.1990", DayFirst, "1990-12-25"},
	{"  03.04.1990  ", DayFirst, "1990-04-03"},
	{"\t03.04.1990\r\n", DayFirst, "1990-04-03"},
	{"\u00a003.04.1990\u00a0", DayFirst, "1990-04-03"},
	// Month first.
	{"04/03/1990", MonthFirst, "1990-04-03"},
	{"4/3/1990", MonthFirst, "1990-04-03"},
	{"04-03-1990", MonthFirst, "1990-04-03"},
	{"12/25/1990", MonthFirst, "1990-12-25"},
	// The order is overruled when only one reading is a date.
	{"12/25/1990", DayFirst, "1990-12-25"},
	{"25.12.1990", MonthFirst, "1990-12-25"},
	{"13/12/1990", MonthFirst, "1990-12-13"},
	// Year first: the order does not matter.
	{"1990-04-03", DayFirst, "1990-04-03"},
	{"1990-04-03", MonthFirst, "1990-04-03"},
	{"1990.04.03", DayFirst, "1990-04-03"},
	{"1990/04/03", DayFirst, "1990-04-03"},
	{"1990-4-3", DayFirst, "1990-04-03"},
	{"19900403", DayFirst, "1990-04-03"},
	{"19900403", MonthFirst, "1990-04-03"},
	{"18800101", DayFirst, "1880-01-01"},
	{"21001231", DayFirst, "2100-12-31"},
	// Year only.
	{"1985", DayFirst, "1985"},
	{" 1985 ", MonthFirst, "1985"},
	{"1880", DayFirst, "1880"},
	{"2100", DayFirst, "2100"},
	// Two-digit years, pivot 30.
	{"03.04.90", DayFirst, "1990-04-03"},
	{"03.04.00", DayFirst, "2000-04-03"},
	{"03.04.30", DayFirst, "2030-04-03"},
	{"03.04.31", DayFirst, "1931-04-03"},
	{"03.04.99", DayFirst, "1999-04-03"},
	{"4/3/85", MonthFirst, "1985-04-03"},
	{"29.02.00", DayFirst, "2000-02-29"},
	// Time parts are ignored.
	{"1990-04-03 00:00:00", DayFirst, "1990-04-03"},
	{"1990-04-03T00:00:00Z", DayFirst, "1990-04-03"},
	{"1990-04-03T00:00:00.000Z", DayFirst, "1990-04-03"},
	{"1990-04-03T23:59:59+03:00", DayFirst, "1990-04-03"},
	{"1990-04-03T23:59:59-0500", DayFirst, "1990-04-03"},
	{"1990-04-03T12:00+05", DayFirst, "1990-04-03"},
	{"1990-04-03 12:00", DayFirst, "1990-04-03"},
	{"03.04.1990 0:00", DayFirst, "1990-04-03"},
	{"03.04.1990 00:00:00", DayFirst, "1990-04-03"},
	{"4/3/1990 12:00:00 AM", MonthFirst, "1990-04-03"},
	{"4/3/1990 1:05 pm", MonthFirst, "1990-04-03"},
	{"19900403T000000", DayFirst, "1990-04-03"},
	{"19900403T0000Z", DayFirst, "1990-04-03"},
	{"1990-04-03T00:00:00,5", DayFirst, "1990-04-03"},
	// Leap years.
	{"29.02.2000", DayFirst, "2000-02-29"},
	{"29.02.1996", DayFirst, "1996-02-29"},
	{"2024-02-29", DayFirst, "2024-02-29"},
	{"29.02.1900", DayFirst, ""},
	{"29.02.1990", DayFirst, ""},
	{"2100-02-29", DayFirst, ""},
	{"2023-02-29", DayFirst, ""},
	// Days that do not exist.
	{"31.02.1990", DayFirst, ""},
	{"30.02.1990", DayFirst, ""},
	{"31.04.1990", DayFirst, ""},
	{"31.06.1990", DayFirst, ""},
	{"31.09.1990", DayFirst, ""},
	{"31.11.1990", DayFirst, ""},
	{"00.04.1990", DayFirst, ""},
	{"03.00.1990", DayFirst, ""},
	{"32.01.1990", DayFirst, ""},
	{"13.13.1990", DayFirst, ""},
	{"1990-13-01", DayFirst, ""},
	{"1990-02-30", DayFirst, ""},
	{"19901301", DayFirst, ""},
	// Years outside 1880-2100.
	{"03.04.1879", DayFirst, ""},
	{"01.01.2101", DayFirst, ""},
	{"1879", DayFirst, ""},
	{"2101", DayFirst, ""},
	{"0000", DayFirst, ""},
	{"03041990", DayFirst, ""}, // eight digits must start with the year
	// Not dates.
	{"", DayFirst, ""},
	{"   ", DayFirst, ""},
	{"unknown", DayFirst, ""},
	{"03.04", DayFirst, ""},
	{"03.04.", DayFirst, ""},
	{"03.04.1990.", DayFirst, ""},
	{"03.04/1990", DayFirst, ""},
	{"1990-04/03", DayFirst, ""},
	{"03.04.199", DayFirst, ""},
	{"03.04.19901", DayFirst, ""},
	{"003.04.1990", DayFirst, ""},
	{"03.004.1990", DayFirst, ""},
	{"1990-004-03", DayFirst, ""},
	{"90-04-03", DayFirst, ""},
	{"198", DayFirst, ""},
	{"19850", DayFirst, ""},
	{"1990-04-03x", DayFirst, ""},
	{"1990-04-03 5", DayFirst, ""},
	{"1990-04-03 25:00", DayFirst, ""},
	{"1990-04-03 12:60", DayFirst, ""},
	{"1990-04-03T", DayFirst, ""},
	{"1990-04-03 12:00 XYZ", DayFirst, ""},
	{"1985 12:00", DayFirst, ""},
	{"3 апреля 1990", DayFirst, ""},
	{"-03.04.1990", DayFirst, ""},
}

func TestAppendDate(t *testing.T) {
	for _, c := range dateCases {
		got, st := AppendDate(nil, c.in, c.order)
		if c.want == "" {
			assert.Equal(t, Invalid, st, "AppendDate(%q, %d)", c.in, c.order)
			assert.Empty(t, got, "AppendDate(%q, %d) must leave dst unchanged", c.in, c.order)
			continue
		}
		assert.Equal(t, Valid, st, "AppendDate(%q, %d)", c.in, c.order)
		assert.Equal(t, c.want, string(got), "AppendDate(%q, %d)", c.in, c.order)
	}
}

func TestAppendDateAppends(t *testing.T) {
	dst := []byte("x|")
	got, st := AppendDate(dst, "03.04.1990", DayFirst)
	require.Equal(t, Valid, st)
	assert.Equal(t, "x|1990-04-03", string(got))

	got, st = AppendDate(dst, "31.02.1990", DayFirst)
	assert.Equal(t, Invalid, st)
	assert.Equal(t, "x|", string(got), "Invalid must return dst unchanged")
}

// TestAppendDateCalendar checks every day of 1880-2100 in three spellings
// against a day count kept independently of dateDaysIn.
func TestAppendDateCalendar(t *testing.T) {
	buf := make([]byte, 0, 16)
	for y := dateMinYear; y <= dateMaxYear; y++ {
		leap := (y%4 == 0 && y%100 != 0) || y%400 == 0
		for m := 1; m <= 12; m++ {
			days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
			if m == 2 && leap {
				days = 29
			}
			for d := 1; d <= 31; d++ {
				want := string(dateAppend4(nil, y)) + "-" + two(m) + "-" + two(d)
				in := two(d) + "." + two(m) + "." + string(dateAppend4(nil, y))
				got, st := AppendDate(buf[:0], in, DayFirst)
				if d > days {
					if !assert.Equal(t, Invalid, st, "AppendDate(%q)", in) {
						return
					}
					continue
				}
				if !assert.Equal(t, Valid, st, "AppendDate(%q)", in) || !assert.Equal(t, want, string(got), "AppendDate(%q)", in) {
					return
				}
			}
		}
	}
}

func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func TestDatePrecision(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1990-04-03", "day"},
		{"1985", "year"},
		{"", ""},
		{"1990-04", ""},
		{"19900403xx", ""},
	} {
		assert.Equal(t, c.want, DatePrecision([]byte(c.in)), "DatePrecision(%q)", c.in)
	}
	day, _ := AppendDate(nil, "3.4.1990", DayFirst)
	year, _ := AppendDate(nil, "1990", DayFirst)
	assert.Equal(t, "day", DatePrecision(day))
	assert.Equal(t, "year", DatePrecision(year))
}

func TestDetectDateOrder(t *testing.T) {
	cases := []struct {
		name   string
		values []string
		want   DateOrder
	}{
		{"empty column", nil, DayFirst},
		{"all ambiguous", []string{"03.04.1990", "01/02/1985", "05-06-1970"}, DayFirst},
		{"day first", []string{"25.12.1990", "03.04.1990", "13.01.1985"}, DayFirst},
		{"month first", []string{"12/25/1990", "04/03/1990", "01/13/1985"}, MonthFirst},
		{"month first, two-digit years", []string{"12/25/90", "1/31/85"}, MonthFirst},
		{"month first with time", []string{"12/25/1990 12:00:00 AM", "4/3/1990 0:00"}, MonthFirst},
		{"majority month first", []string{"12/25/1990", "01/13/1985", "25/12/1990"}, MonthFirst},
		{"majority day first", []string{"25/12/1990", "13/01/1985", "12/25/1990"}, DayFirst},
		{"tie is day first", []string{"25/12/1990", "12/25/1990"}, DayFirst},
		{"year first ignored", []string{"1990-12-25", "1985-01-13", "1990-04-03", "12/25/1990"}, MonthFirst},
		{"year-first never flips", []string{"1990-12-25", "1985-01-13"}, DayFirst},
		{"junk ignored", []string{"", "n/a", "31/31/1990", "12/25/1990"}, MonthFirst},
		{"impossible days ignored", []string{"02/30/1990", "30/02/1990"}, DayFirst},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, DetectDateOrder(c.values), c.name)
	}
}

func TestAppendDateAllocs(t *testing.T) {
	buf := make([]byte, 0, 32)
	for _, c := range dateCases {
		allocs := testing.AllocsPerRun(100, func() { AppendDate(buf[:0], c.in, c.order) })
		assert.Zero(t, allocs, "AppendDate(%q) allocates", c.in)
	}
	values := []string{"12/25/1990", "03.04.1990", "1990-04-03"}
	assert.Zero(t, testing.AllocsPerRun(100, func() { DetectDateOrder(values) }), "DetectDateOrder allocates")
}

func BenchmarkAppendDate(b *testing.B) {
	inputs := []struct {
		s     string
		order DateOrder
	}{
		{"03.04.1990", DayFirst},
		{"3/4/1990", MonthFirst},
		{"1990-04-03", DayFirst},
		{"19900403", DayFirst},
		{"1990-04-03T00:00:00Z", DayFirst},
		{"03.04.1990 0:00", DayFirst},
		{"03.04.90", DayFirst},
		{"1985", DayFirst},
		{"31.02.1990", DayFirst},
		{"unknown", DayFirst},
	}
	var total int
	for _, in := range inputs {
		total += len(in.s)
	}
	b.SetBytes(int64(total / len(inputs)))
	b.ReportAllocs()
	buf := make([]byte, 0, 32)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := inputs[i%len(inputs)]
		buf, _ = AppendDate(buf[:0], in.s, in.order)
	}
}

func BenchmarkDetectDateOrder(b *testing.B) {
	values := []string{"12/25/1990", "03.04.1990", "1990-04-03", "01/13/1985", "25/12/1990"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		DetectDateOrder(values)
	}
}

func FuzzAppendDate(f *testing.F) {
	for _, c := range dateCases {
		f.Add(c.in, uint8(c.order))
	}
	f.Fuzz(func(t *testing.T, s string, order uint8) {
		o := DateOrder(order % 2)
		dst := []byte("prefix")
		got, st := AppendDate(dst, s, o)
		require.Equal(t, "prefix", string(got[:6]), "AppendDate(%q) changed dst", s)
		if st != Valid {
			require.Equal(t, Invalid, st, "AppendDate(%q)", s)
			require.Len(t, got, 6, "AppendDate(%q): Invalid must leave dst unchanged", s)
			return
		}
		canon := string(got[6:])
		prec := DatePrecision(got[6:])
		require.NotEmpty(t, prec, "AppendDate(%q) = %q has no precision", s, canon)
		for _, o2 := range []DateOrder{DayFirst, MonthFirst} {
			again, st2 := AppendDate(nil, canon, o2)
			require.Equal(t, Valid, st2, "AppendDate(%q) = %q does not re-canonicalise", s, canon)
			require.Equal(t, canon, string(again), "AppendDate(%q) = %q is not a fixed point", s, canon)
		}
	})
}
