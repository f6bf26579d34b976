package sampleset

import (
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// colInfo holds the evidence gathered about one column.
type colInfo struct {
	idx       int
	name      string
	header    canon.Kind
	hasHeader bool

	cells    []string // trimmed cell of every row, "" when empty or missing
	n        int      // non-empty cells
	topCount int      // occurrences of the most frequent value
	regN     int      // non-empty cells tried under every region
	distinct int

	// Per region (index into the regions gathered under), over the first
	// regN values.
	phoneOK   []float64 // valid phones (bare 9-digit values, RU 10-digit non-mobiles count half)
	phoneAny  []int     // valid phones
	phoneVote []int     // valid phones whose number belongs to that region
	idOK      []int     // national IDs passing their check digits
	idShape   []int     // national IDs with a canonical form (valid or check failed)

	email, card, date, birthOK int
	order                      canon.DateOrder
	licence, passport          int
	digits9, bare10RU          int
	letters2, spaced10         int // see canon.DocLetters2, canon.DocSpaced10
	nameN, single              int
	patronymic, surname        int
	address, digitsOnly        int
	token, hash, userShape     int
	letters                    int
	cyrillic                   int // of the first regionSniffValues values with letters
	script                     map[canon.Region]int
	ccVote                     map[canon.Region]int // phones with a country code, by region

	kind  canon.Kind
	isTok bool // token-shaped column, username or password decided later
}

// gather scans column c.idx of rows and counts the evidence for each kind;
// the phone and national-ID checks run under every region of regs.
func (c *colInfo) gather(rows [][]string, regs []canon.Region) {
	c.cells = make([]string, len(rows))
	c.phoneOK = make([]float64, len(regs))
	c.phoneAny = make([]int, len(regs))
	c.phoneVote = make([]int, len(regs))
	c.idOK = make([]int, len(regs))
	c.idShape = make([]int, len(regs))
	c.script = map[canon.Region]int{}
	c.ccVote = map[canon.Region]int{}
	seen := make(map[string]int, len(rows))
	var dateCands []string
	buf := make([]byte, 0, 256)
	for ri, r := range rows {
		if c.idx >= len(r) {
			continue
		}
		v := strings.TrimSpace(r[c.idx])
		if v == "" {
			continue
		}
		c.cells[ri] = v
		c.n++
		seen[v]++
		c.topCount = max(c.topCount, seen[v])
		perRegion := len(regs) == 1 || c.n <= regionSniffValues
		if perRegion {
			c.regN++
		}
		if strings.IndexByte(v, '@') >= 0 {
			if _, st := canon.AppendEmail(buf[:0], v); st == canon.Valid {
				c.email++
			}
		}
		if digits, ok := phoneLike(v); ok && perRegion {
			bare9 := digits == 9 && isDigits(v)
			// Ten bare digits are a Russian passport as often as a
			// national number; Russian mobiles start with 9.
			bare10 := digits == 10 && isDigits(v) && v[0] != '9'
			for i, reg := range regs {
				e, st := canon.AppendPhone(buf[:0], v, reg)
				if st != canon.Valid {
					continue
				}
				c.phoneAny[i]++
				if bare9 || bare10 && reg == canon.RU {
					c.phoneOK[i] += 0.5
				} else {
					c.phoneOK[i]++
				}
				if reg == "" {
					// A number with its country code names its region.
					if pr := canon.PhoneRegion(e); pr != "" {
						c.ccVote[pr]++
					}
				} else if pr := canon.PhoneRegion(e); pr == "" || pr == reg {
					c.phoneVote[i]++
				}
			}
		}
		if d, ok := idLike(v); ok && perRegion {
			for i, reg := range regs {
				_, st := canon.AppendNationalID(buf[:0], d, reg)
				if st == canon.Valid {
					c.idOK[i]++
				}
				if st.Hashable() {
					c.idShape[i]++
				}
			}
		}
		if cardLike(v) {
			if _, st := canon.AppendCard(buf[:0], v); st == canon.Valid {
				c.card++
			}
		}
		if dateLike(v) {
			dateCands = append(dateCands, v)
		}
		switch canon.DocumentPattern(v) {
		case canon.DocLicence:
			c.licence++
		case canon.DocPassport:
			c.passport++
		case canon.DocDigits9:
			c.digits9++
		case canon.DocRU10:
			c.bare10RU++
		case canon.DocLetters2:
			c.letters2++
		case canon.DocSpaced10:
			c.spaced10++
		}
		if ok, toks := nameShape(v); ok && validName(&buf, v) {
			c.nameN++
			if toks == 1 {
				c.single++
				if isPatronymic(v) {
					c.patronymic++
				}
				if surnameSuffix(v) {
					c.surname++
				}
			}
		}
		if addressShape(v) {
			c.address++
		}
		if isDigits(v) {
			c.digitsOnly++
		}
		if hasLetter(v) {
			c.letters++
			if c.n <= regionSniffValues {
				if sr := scriptRegion(v); sr != "" {
					c.script[sr]++
				}
				if firstLetterCyrillic(v) {
					c.cyrillic++
				}
			}
		}
		if tokenShape(v) {
			c.token++
			if hashShape(v) {
				c.hash++
			}
			if usernameShape(v) {
				c.userShape++
			}
		}
	}
	c.distinct = len(seen)
	if len(dateCands) > 0 {
		c.order = canon.DetectDateOrder(dateCands)
		now := time.Now()
		for _, v := range dateCands {
			iso, st := canon.AppendDate(buf[:0], v, c.order)
			if st != canon.Valid {
				continue
			}
			c.date++
			if age, ok := ageOf(iso, now); ok && age >= minBirthAge && !timeOfDay(v) {
				c.birthOK++
			}
		}
	}
}

// minBirthAge: a date column is taken for birth dates from its values alone
// when most of its dates make people at least this old (issue dates,
// registration dates and kindergarten queues need a header).
const minBirthAge = 14

// timeOfDay reports whether a date value carries a time of day other than
// midnight, as timestamps do and birth dates do not.
func timeOfDay(v string) bool {
	i := strings.IndexByte(v, ':')
	if i < 0 {
		return false
	}
	j := strings.LastIndexAny(v[:i], " T")
	if j < 0 {
		return false
	}
	t := v[j+1:]
	if k := strings.IndexAny(t, "+Z"); k >= 0 {
		t = t[:k]
	}
	if strings.HasSuffix(t, " AM") || strings.HasSuffix(t, " am") {
		t = t[:len(t)-3]
		if strings.HasPrefix(t, "12:") {
			t = t[2:] // 12:00 AM is midnight
		}
	}
	for k := 0; k < len(t); k++ {
		if t[k] >= '1' && t[k] <= '9' {
			return true
		}
	}
	return false
}

// validName reports whether the name canonicaliser accepts v, keeping its
// grown buffer in *buf.
func validName(buf *[]byte, v string) bool {
	out, st := canon.AppendName((*buf)[:0], v)
	*buf = out[:0]
	return st == canon.Valid
}

// ageOf returns the age in whole years on now of a person born on the ISO
// date iso, and false when the date is in the future or over 120 years ago
// (or is a year alone).
func ageOf(iso []byte, now time.Time) (int, bool) {
	if len(iso) < 10 {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", string(iso[:10]))
	if err != nil || t.After(now) {
		return 0, false
	}
	age := now.Year() - t.Year()
	if now.YearDay() < t.YearDay() {
		age--
	}
	if age < 0 || age > 120 {
		return 0, false
	}
	return age, true
}

func (c *colInfo) share(x float64) float64 {
	if c.n == 0 {
		return 0
	}
	return x / float64(c.n)
}

// regShare is share for the per-region counts.
func (c *colInfo) regShare(x float64) float64 {
	if c.regN == 0 {
		return 0
	}
	return x / float64(c.regN)
}
