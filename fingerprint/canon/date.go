package canon

// Dates (birth_date).
//
// The canonical form of a date is ISO 8601: "YYYY-MM-DD" (10 bytes, day
// precision). A value that holds only a year, such as "1985", canonicalises
// to the four-byte "1985" (year precision); [DatePrecision] tells the two
// apart. Accepted spellings, with surrounding space trimmed:
//
//   - day/month/year and month/day/year with '.', '/' or '-':
//     "03.04.1990", "3/4/1990", "03-04-1990"; [DateOrder] says which of
//     the two small fields is the day, but a value that fits only one
//     reading (the second field above 12) is read that way whatever the
//     order says;
//   - year first with '-', '.' or '/': "1990-04-03", "1990.04.03",
//     "1990/4/3"; the separators of one value must be the same;
//   - eight digits, year first: "19900403";
//   - a year alone: "1985";
//   - two-digit years after a day and a month: "03.04.90". A two-digit year
//     yy is read as 20yy when yy <= 30 and as 19yy otherwise (pivot 30), so
//     "03.04.30" is 2030-04-03 and "03.04.31" is 1931-04-03;
//   - any of the above but the year alone, followed by a time of day, which
//     is checked for shape and then ignored: "1990-04-03 00:00:00",
//     "1990-04-03T00:00:00Z", "1990-04-03T00:00:00.000+03:00",
//     "03.04.1990 0:00", "4/3/1990 12:00:00 AM", "19900403T000000".
//
// Years outside 1880-2100 are invalid, and so are dates that do not exist
// (31.02.1990, 29.02.1900); leap years follow the Gregorian rules.
//
// Any of the above may be written with the digits of another script or
// full-width forms, which read as ASCII (see numeric.go).

const (
	dateMinYear = 1880
	dateMaxYear = 2100
	// datePivot is the largest two-digit year read as 20yy.
	datePivot = 30
)

// dateShape is what the layout of a date value says about its fields.
type dateShape uint8

const (
	dateBad  dateShape = iota
	dateYear           // a year alone
	dateYMD            // year, month, day, in that order
	dateXXY            // two small fields (day and month in some order), then the year
)

// dateParts is a date value split into numbers, before the calendar check.
// For dateYMD a is the month and b the day; for dateXXY a and b are the
// first and second fields as written.
type dateParts struct {
	shape dateShape
	y     int
	a, b  int
}

// AppendDate appends the ISO 8601 form of a date, "1990-04-03", or "1990"
// for a year alone, to dst. order says how to read an ambiguous value such
// as 03.04.1990; see [DetectDateOrder]. When the status is Invalid, dst is
// returned unchanged. Digits of any script and full-width forms read as
// ASCII (see numeric.go): "٠٣.٠٤.١٩٩٠" and "１９９０－０４－０３" are
// dates. It does not allocate when dst has room and the value is written
// with ASCII digits; digits of other scripts cost one allocation.
func AppendDate(dst []byte, s string, order DateOrder) ([]byte, Status) {
	p := dateParse(s)
	if p.shape == dateBad {
		if t, ok := foldNumericIfAny(s); ok {
			p = dateParse(t)
		}
	}
	var y, m, d int
	switch p.shape {
	case dateYear:
		if p.y < dateMinYear || p.y > dateMaxYear {
			return dst, Invalid
		}
		return dateAppend4(dst, p.y), Valid
	case dateYMD:
		y, m, d = p.y, p.a, p.b
	case dateXXY:
		y = p.y
		if order == MonthFirst {
			m, d = p.a, p.b
		} else {
			d, m = p.a, p.b
		}
		if !dateValid(y, m, d) {
			// Only the other reading can be right.
			m, d = d, m
		}
	default:
		return dst, Invalid
	}
	if !dateValid(y, m, d) {
		return dst, Invalid
	}
	dst = dateAppend4(dst, y)
	return append(dst, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10)), Valid
}

// DatePrecision returns "day" for a canonical date of the form YYYY-MM-DD
// and "year" for a canonical year alone (YYYY), as [AppendDate] writes them.
// It returns "" for anything else.
func DatePrecision(canonical []byte) string {
	switch {
	case len(canonical) == 10 && canonical[4] == '-' && canonical[7] == '-':
		return "day"
	case len(canonical) == 4:
		return "year"
	}
	return ""
}

// DetectDateOrder decides from a column's values whether ambiguous dates
// are day-first or month-first. It counts the values that are valid only
// when read day-first (first field above 12, as in 25.12.1990) and those
// valid only when read month-first (second field above 12, as in
// 12/25/1990). It returns MonthFirst when the month-first-only values are
// more numerous, and DayFirst otherwise: day-first is the convention in
// Ukraine, Russia, Kazakhstan and India. Year-first values, years alone and
// values that are no date are ignored.
func DetectDateOrder(values []string) DateOrder {
	var dayOnly, monthOnly int
	for _, v := range values {
		p := dateParse(v)
		if p.shape == dateBad {
			if t, ok := foldNumericIfAny(v); ok {
				p = dateParse(t)
			}
		}
		if p.shape != dateXXY {
			continue
		}
		dayFirst := dateValid(p.y, p.b, p.a)
		monthFirst := dateValid(p.y, p.a, p.b)
		switch {
		case dayFirst && !monthFirst:
			dayOnly++
		case monthFirst && !dayFirst:
			monthOnly++
		}
	}
	if monthOnly > dayOnly {
		return MonthFirst
	}
	return DayFirst
}

// dateParse splits a date value into its numbers; see the file comment for
// the layouts. It checks the layout, not the calendar.
func dateParse(s string) dateParts {
	s = miscTrim(s)
	n1, l1 := dateDigits(s)
	if l1 == 0 {
		return dateParts{}
	}
	i := l1
	if i == len(s) || (s[i] != '.' && s[i] != '/' && s[i] != '-') {
		switch {
		case l1 == 4 && i == len(s):
			return dateParts{shape: dateYear, y: n1}
		case l1 == 8 && dateTimeSuffix(s[i:]):
			return dateParts{shape: dateYMD, y: n1 / 10000, a: n1 / 100 % 100, b: n1 % 100}
		}
		return dateParts{}
	}
	sep := s[i]
	i++
	n2, l2 := dateDigits(s[i:])
	if l2 < 1 || l2 > 2 {
		return dateParts{}
	}
	i += l2
	if i == len(s) || s[i] != sep {
		return dateParts{}
	}
	i++
	n3, l3 := dateDigits(s[i:])
	i += l3
	if !dateTimeSuffix(s[i:]) {
		return dateParts{}
	}
	switch {
	case l1 == 4 && l3 >= 1 && l3 <= 2:
		return dateParts{shape: dateYMD, y: n1, a: n2, b: n3}
	case l1 <= 2 && l3 == 4:
		return dateParts{shape: dateXXY, y: n3, a: n1, b: n2}
	case l1 <= 2 && l3 == 2:
		y := 1900 + n3
		if n3 <= datePivot {
			y = 2000 + n3
		}
		return dateParts{shape: dateXXY, y: y, a: n1, b: n2}
	}
	return dateParts{}
}

// dateTimeSuffix reports whether t is empty or a time of day after a date:
// 'T' or spaces, then hh:mm[:ss[.frac]] or hhmm[ss[.frac]], then optionally
// AM/PM and a zone (Z, +hh, +hhmm, +hh:mm).
func dateTimeSuffix(t string) bool {
	if t == "" {
		return true
	}
	switch t[0] {
	case 'T', 't':
		t = t[1:]
	case ' ', '\t':
		t = dateSkipSpace(t)
	default:
		return false
	}
	h, l := dateDigits(t)
	t = t[l:]
	switch l {
	case 1, 2:
		if h > 24 || t == "" || t[0] != ':' {
			return false
		}
		if m, l := dateDigits(t[1:]); l != 2 || m > 59 {
			return false
		}
		t = t[3:]
		if t != "" && t[0] == ':' {
			if sec, l := dateDigits(t[1:]); l != 2 || sec > 60 {
				return false
			}
			t = t[3:]
		}
	case 4, 6:
		if h/dateTen(l-2) > 24 {
			return false
		}
	default:
		return false
	}
	if t != "" && (t[0] == '.' || t[0] == ',') {
		_, l := dateDigits(t[1:])
		if l == 0 {
			return false
		}
		t = t[1+l:]
	}
	t = dateSkipSpace(t)
	if len(t) >= 2 && (t[0]|0x20 == 'a' || t[0]|0x20 == 'p') && t[1]|0x20 == 'm' {
		t = dateSkipSpace(t[2:])
	}
	switch {
	case t == "":
		return true
	case t == "Z" || t == "z":
		return true
	case t[0] == '+' || t[0] == '-':
		_, l := dateDigits(t[1:])
		switch {
		case l == 2 && len(t) == 3, l == 4 && len(t) == 5:
			return true
		case l == 2 && len(t) == 6 && t[3] == ':':
			_, l2 := dateDigits(t[4:])
			return l2 == 2
		}
	}
	return false
}

// dateDigits reads the run of ASCII digits at the start of s and returns its
// value (only meaningful up to 9 digits) and its length.
func dateDigits(s string) (n, l int) {
	for l < len(s) && s[l] >= '0' && s[l] <= '9' {
		if l < 9 {
			n = n*10 + int(s[l]-'0')
		}
		l++
	}
	return n, l
}

func dateTen(e int) int {
	n := 1
	for ; e > 0; e-- {
		n *= 10
	}
	return n
}

func dateSkipSpace(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

// dateValid reports whether y-m-d is a day of the Gregorian calendar within
// the accepted years.
func dateValid(y, m, d int) bool {
	if y < dateMinYear || y > dateMaxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= dateDaysIn(y, m)
}

func dateDaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateAppend4 appends y, 0 <= y <= 9999, as four digits.
func dateAppend4(dst []byte, y int) []byte {
	return append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}
