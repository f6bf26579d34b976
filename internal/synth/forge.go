package synth

import (
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Fabrication that check digits do not show: the Generator's
// MismatchedIDs, SequentialIDs, NaiveBirthDates and UnallocatedPhones.

// born returns the generator's birth-date bounds, the defaults filled in.
func (g *Generator) born() (from, to time.Time) {
	from, to = g.BornFrom, g.BornTo
	if from.IsZero() {
		from = time.Date(1921, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(2005, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return from, to
}

// naiveDate draws a year between from's and to's, a month and a day of
// 1-28, again until the date is within [from, to].
func (g *Generator) naiveDate(from, to time.Time) time.Time {
	for {
		y := from.Year() + g.r.IntN(to.Year()-from.Year()+1)
		d := time.Date(y, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
		if !d.Before(from) && !d.After(to) {
			return d
		}
	}
}

// unallocatedPhone returns a number with the region's calling code and
// the length of its mobile numbers that canon finds in no allocated range
// however it is spelt (every phone Style, read under the region), its
// national part led by a digit other than 0.
func (g *Generator) unallocatedPhone() string {
	prefix, n := "+380", 9
	switch g.region {
	case canon.RU, canon.KZ:
		prefix, n = "+7", 10
	case canon.IN:
		prefix, n = "+91", 10
	}
	for {
		s := prefix + string('1'+byte(g.r.IntN(9))) + g.digits(n-1)
		if !anyPhoneSpellingValid(s, g.region) {
			return s
		}
	}
}

// anyPhoneSpellingValid reports whether canon reads any spelling of the
// E.164 number e164 as a valid phone under region.
func anyPhoneSpellingValid(e164 string, region canon.Region) bool {
	for st := PhoneE164; st <= PhoneTrunk8; st++ {
		if _, status := canon.AppendPhone(nil, RenderPhone(e164, region, st), region); status != canon.Invalid {
			return true
		}
	}
	return false
}

// mismatchedID returns a UA or KZ national ID that passes its check but
// encodes a birth date other than p's (drawn within the generator's
// bounds) and the other sex.
func (g *Generator) mismatchedID(p *Person) string {
	from, to := g.born()
	span := int(to.Sub(from).Hours()/24) + 1
	other := p.BirthDate
	for other.Equal(p.BirthDate) {
		other = from.AddDate(0, 0, g.r.IntN(span))
	}
	sex := Female
	if p.Sex == Female {
		sex = Male
	}
	if g.region == canon.KZ {
		return IIN(g.r, other, sex, false)
	}
	return RNOKPP(g.r, other, sex, false)
}

// idCheckDigits is the number of check digits that end the region's
// national ID: two for the RU INN of a person, one for the others.
func idCheckDigits(region canon.Region) int {
	if region == canon.RU {
		return 2
	}
	return 1
}

// sequentialID returns the national ID after the one sequentialID last
// returned: the next body (the digits before the check digits) that has
// valid check digits. The first is p's regular ID; when a thousand bodies
// in a row have none (an IIN whose century digit ran past 6), the count
// starts again from a regular ID of p.
func (g *Generator) sequentialID(p *Person) string {
	cd := idCheckDigits(g.region)
	for {
		if g.next == "" {
			id := g.nationalID(p)
			g.next = increment(id[:len(id)-cd])
			return id
		}
		for range 1000 {
			body := g.next
			g.next = increment(body)
			if id := withCheckDigits(body, cd, g.region); id != "" {
				return id
			}
		}
		g.next = ""
	}
}

// increment adds one to a string of ASCII digits, keeping its length
// (999 becomes 000).
func increment(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			break
		}
		b[i] = '0'
	}
	return string(b)
}

// withCheckDigits returns body followed by the cd check digits that make a
// valid national ID of the region, or "" when none do.
func withCheckDigits(body string, cd int, region canon.Region) string {
	total := 10
	if cd == 2 {
		total = 100
	}
	for i := range total {
		id := body + string('0'+byte(i%10))
		if cd == 2 {
			id = body + string('0'+byte(i/10)) + string('0'+byte(i%10))
		}
		if ValidNationalID(id, region) {
			return id
		}
	}
	return ""
}
