package provenance

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// The fabrication checks (the package documentation describes the
// method). fabStats gathers, record by record, counts that add up over
// records and three hash samples of bounded size (fabsample.go) whose
// merge does not depend on how the records were shared out among workers;
// resultAt turns them into one FabricationCheck a finding and weighs the
// findings; fabricationEvidence writes their sentences.

// Names of the checks, as FabricationCheck.Check gives them.
const (
	checkDigit        = "check-digit"
	checkFormat       = "format"
	checkEmbedded     = "embedded-birth-date"
	checkEmbeddedDate = "embedded-date-plausible"
	checkRegionCode   = "region-code"
	checkSequential   = "sequential"
	checkOneName      = "one-name"
	checkDaySpread    = "day-spread"
	checkAge          = "age"
	checkJanuary1     = "1-january"
)

// Weights of a flagged check (FabricationCheck.Weight).
const (
	weightStrong = "strong"
	weightWeak   = "weak"
)

// fabricationMinValues is the least number of values a check needs before
// it can be flagged.
const fabricationMinValues = 30

// Tolerances: the share of values failing a check that real data can show
// (typing errors, registry mistakes, placeholders, an IIN whose digits
// need not match the birth date since the 2013 rules). A check is flagged
// when the 95% lower bound of its failing share is above its tolerance
// (day-spread: when the upper bound of its share is below half of
// lateDayShare).
const (
	tolCheckDigit    = 0.10 // check-digit; embedded-birth-date
	tolImpossible    = 0.05 // embedded-date-plausible, region-code: no real ID fails them
	tolSequential    = 0.25 // sequential: share of IDs followed by the next number
	tolSharedID      = 0.25 // one-name of national IDs: name changes, typos
	tolSharedPhone   = 0.50 // one-name of phones: family and reassigned numbers
	tolPhoneRange    = 0.20 // format of phones: old and local numbers
	tolAge           = 0.10 // age: placeholders such as 1900-01-01, two-digit years
	alternativeShare = 0.90 // another region's rules pass this share: a wrong region, not fabrication
)

// maxAge is the oldest age, in years, a living person's birth date can
// give.
const maxAge = 120

// lateDayShare is the share of the days of a year, the 1st and 15th of
// each month left out, that are a 29th, 30th or 31st: 29.2425 of 341.2425
// (the 29th falls in 11 months and in February of one year in four, the
// 30th in 11, the 31st in 7).
const lateDayShare = 29.2425 / 341.2425

// notJanuary1Share is the share of the days of a year that are not
// 1 January.
const notJanuary1Share = 1 - 1/365.2425

// sequentialSpaceShare is the largest share of a scheme's value space
// (valueSpace) the sample's distinct IDs may fill for the sequential check
// to be flagged: a dump holding more of it may be dense because it is
// complete, not because it was counted out.
const sequentialSpaceShare = 0.01

// fabRegions are the regions whose national ID rules the check-digit
// check tries besides the sample's, in canon.KnownRegions order.
var fabRegions = [...]canon.Region{canon.UA, canon.RU, canon.KZ, canon.IN}

// fabStats counts, per kind, the values seen, those valid and those with
// no form at all; per national ID, how it fares under every region's rules
// and what it encodes; per birth date, its year and day; and samples of
// ID blocks and of values with the names of their records.
type fabStats struct {
	region                   canon.Region
	values, valid, malformed [canon.KindCount]int
	// idFailed counts the national IDs with a form that fail the check of
	// the sample's region, and underRegion those of them valid under each
	// of fabRegions' rules.
	idFailed    int
	underRegion [len(fabRegions)]int
	// embedded counts the records with a valid ID encoding a birth date
	// and a full birth date, embeddedOK those where the two agree.
	embedded, embeddedOK int
	// embYears holds the years of the birth dates valid IDs encode.
	embYears yearCounts
	// innCoded counts valid INNs, innCodeOK those whose first two digits
	// are a region code (01-99).
	innCoded, innCodeOK int
	// birthYears holds the years of the records' birth dates; fullDates
	// counts those with a day, jan1 those on 1 January, spreadDates those
	// on neither the 1st nor the 15th, lateDays those on the 29th-31st.
	birthYears                             yearCounts
	fullDates, jan1, spreadDates, lateDays int
	// seq samples blocks of 64 consecutive ID bodies (the ID without its
	// check digits), with the offsets held in each.
	seq blockSample
	// idNames and phoneNames sample national IDs and phones (by hash) with
	// the names of the records that hold them.
	idNames, phoneNames nameSample
}

// add counts one record's hashed values, read under region: every value
// for its kind; national IDs, the first full birth date, and the first
// ID's and phone's hash with the first name's.
func (f *fabStats) add(rec []fingerprint.Hashed, region canon.Region) {
	f.region = region
	var date []byte
	var emb [10]byte
	embLen := -1 // the length of emb once the first valid ID is seen; 0 when it encodes no date
	var idHash, phoneHash, nameHash uint64
	var hasID, hasPhone, hasName bool
	for i := range rec {
		h := &rec[i]
		if int(h.Kind) >= len(f.values) {
			continue
		}
		f.values[h.Kind]++
		switch h.Status {
		case canon.Valid:
			f.valid[h.Kind]++
		case canon.Invalid:
			f.malformed[h.Kind]++
		}
		if !h.Status.Hashable() {
			continue
		}
		switch h.Kind {
		case canon.NationalID:
			if !hasID {
				idHash, hasID = h.Hash, true
			}
			var scratch [10]byte
			d, ok := f.nationalID(h.Form, h.Status == canon.Valid, region, scratch[:0])
			if h.Status == canon.Valid && embLen < 0 {
				embLen = 0
				if ok {
					embLen = copy(emb[:], d)
				}
			}
		case canon.BirthDate:
			if h.Status == canon.Valid && date == nil {
				date = h.Form
			}
		case canon.Name:
			if !hasName {
				nameHash, hasName = h.Hash, true
			}
		case canon.Phone:
			if !hasPhone {
				phoneHash, hasPhone = h.Hash, true
			}
		}
	}
	if date != nil {
		f.birthDate(date)
		if embLen == 10 && len(date) == 10 {
			f.embedded++
			if agrees(emb[:], date) {
				f.embeddedOK++
			}
		}
	}
	if hasName {
		if hasID {
			f.idNames.add(idHash, nameHash)
		}
		if hasPhone {
			f.phoneNames.add(phoneHash, nameHash)
		}
	}
}

// agrees reports whether the record's birth date (YYYY-MM-DD) agrees with
// the one its ID encodes: the same, or 1 January of the same year, the
// placeholder of an unknown day.
func agrees(encoded, record []byte) bool {
	return string(encoded) == string(record) ||
		string(record[4:]) == "-01-01" && string(record[:4]) == string(encoded[:4])
}

// nationalID counts one national ID with a form and, when it is valid,
// what it encodes. It returns the birth date a valid ID encodes, appended
// to dst, with ok=false when it encodes none.
func (f *fabStats) nationalID(id []byte, valid bool, region canon.Region, dst []byte) (date []byte, ok bool) {
	if len(id) == 0 || len(id) > 12 || !isDigits(id) {
		return nil, false
	}
	if !valid {
		f.idFailed++
		for i, r := range fabRegions {
			if validUnder(id, r) {
				f.underRegion[i]++
			}
		}
		return nil, false
	}
	d, ok := canon.AppendBirthDateFromID(dst, id, region)
	if ok {
		if y, yok := year4(d); yok {
			f.embYears.add(y)
		}
	}
	scheme, cd := idScheme(id, region)
	if scheme == "inn" {
		f.innCoded++
		if id[0] != '0' || id[1] != '0' {
			f.innCodeOK++
		}
	}
	if cd < len(id) {
		var body uint64
		for _, c := range id[:len(id)-cd] {
			body = body*10 + uint64(c-'0')
		}
		f.seq.add(uint64(len(id))<<56|body>>6, uint(body&63))
	}
	return d, ok
}

// birthDate counts a record's valid birth date (YYYY-MM-DD or YYYY).
func (f *fabStats) birthDate(date []byte) {
	y, ok := year4(date)
	if !ok {
		return
	}
	f.birthYears.add(y)
	if len(date) != 10 || date[4] != '-' || date[7] != '-' {
		return
	}
	m, mok := two(date[5:7])
	d, dok := two(date[8:10])
	if !mok || !dok || m < 1 || m > 12 || d < 1 || d > 31 {
		return
	}
	f.fullDates++
	if m == 1 && d == 1 {
		f.jan1++
	}
	if d != 1 && d != 15 {
		f.spreadDates++
		if d >= 29 {
			f.lateDays++
		}
	}
}

func (f *fabStats) merge(g *fabStats) {
	if f.region == "" {
		f.region = g.region
	}
	for k := range f.values {
		f.values[k] += g.values[k]
		f.valid[k] += g.valid[k]
		f.malformed[k] += g.malformed[k]
	}
	f.idFailed += g.idFailed
	for i := range f.underRegion {
		f.underRegion[i] += g.underRegion[i]
	}
	f.embedded += g.embedded
	f.embeddedOK += g.embeddedOK
	f.embYears.merge(&g.embYears)
	f.innCoded += g.innCoded
	f.innCodeOK += g.innCodeOK
	f.birthYears.merge(&g.birthYears)
	f.fullDates += g.fullDates
	f.jan1 += g.jan1
	f.spreadDates += g.spreadDates
	f.lateDays += g.lateDays
	f.seq.merge(&g.seq)
	f.idNames.merge(&g.idNames)
	f.phoneNames.merge(&g.phoneNames)
}

// resultAt returns the checks and their weighing, ages taken at now.
func (f *fabStats) resultAt(now time.Time) Fabrication {
	out := Fabrication{Checks: []FabricationCheck{}}
	region := f.region
	scheme, known := regionScheme(region)
	add := func(c FabricationCheck) { out.Checks = append(out.Checks, c) }

	if n := f.values[canon.NationalID]; n > 0 {
		c := newCheck(canon.NationalID, checkDigit, f.valid[canon.NationalID], n)
		c.Weight, c.Region, c.Scheme = weightStrong, region, scheme
		c.Malformed = f.malformed[canon.NationalID]
		if known {
			c.Alternative = f.alternative(region)
		}
		explained := c.Alternative != nil && c.Alternative.Valid >= alternativeShare
		shaped := n - c.Malformed
		c.Flagged = !explained && failsBeyond(shaped-c.Passed, shaped, tolCheckDigit)
		add(c)
	}
	if n := f.values[canon.CardNumber]; n > 0 {
		c := newCheck(canon.CardNumber, checkDigit, f.valid[canon.CardNumber], n)
		c.Weight, c.Scheme, c.Malformed = weightStrong, "luhn", f.malformed[canon.CardNumber]
		shaped := n - c.Malformed
		c.Flagged = failsBeyond(shaped-c.Passed, shaped, tolCheckDigit)
		add(c)
	}
	for _, k := range []canon.Kind{canon.Phone, canon.Email, canon.BirthDate, canon.Passport, canon.DriverLicence} {
		if n := f.values[k]; n > 0 {
			c := newCheck(k, checkFormat, f.valid[k], n)
			if k == canon.Phone {
				// A phone is valid only in a range allocated to an operator
				// (canon checks libphonenumber's ranges): this is the
				// operator-range check.
				c.Weight = weightWeak
				c.Flagged = failsBeyond(n-c.Passed, n, tolPhoneRange)
			}
			add(c)
		}
	}
	if f.embedded > 0 {
		c := newCheck(canon.NationalID, checkEmbedded, f.embeddedOK, f.embedded)
		c.Weight, c.Region, c.Scheme = weightStrong, region, embeddingScheme(region)
		c.Flagged = failsBeyond(c.Values-c.Passed, c.Values, tolCheckDigit)
		add(c)
	}
	lo, hi := now.Year()-maxAge, now.Year()
	if n := f.embYears.total(); n > 0 {
		c := newCheck(canon.NationalID, checkEmbeddedDate, f.embYears.within(lo, hi), n)
		c.Weight, c.Region, c.Scheme = weightStrong, region, embeddingScheme(region)
		c.Flagged = failsBeyond(n-c.Passed, n, tolImpossible)
		add(c)
	}
	if f.innCoded > 0 {
		c := newCheck(canon.NationalID, checkRegionCode, f.innCodeOK, f.innCoded)
		c.Weight, c.Region, c.Scheme = weightStrong, region, "inn"
		c.Flagged = failsBeyond(c.Values-c.Passed, c.Values, tolImpossible)
		add(c)
	}
	if ids, next := f.seq.counts(); ids > 0 {
		c := newCheck(canon.NationalID, checkSequential, ids-next, ids)
		c.Weight, c.Region, c.Scheme = weightStrong, region, scheme
		if region == canon.RU || !known {
			// INNs are issued in sequence within a tax office: a complete
			// extract of one office is consecutive too.
			c.Weight = weightWeak
		}
		c.Sampling = f.seq.sampling()
		distinct := math.Ldexp(float64(ids), int(f.seq.level))
		c.Flagged = failsBeyond(next, ids, tolSequential) &&
			distinct < sequentialSpaceShare*valueSpace(canon.NationalID, region)
		add(c)
	}
	for _, s := range []struct {
		k   canon.Kind
		ns  *nameSample
		w   string
		tol float64
	}{{canon.NationalID, &f.idNames, weightStrong, tolSharedID}, {canon.Phone, &f.phoneNames, weightWeak, tolSharedPhone}} {
		if repeated, mixed := s.ns.counts(); repeated > 0 {
			c := newCheck(s.k, checkOneName, repeated-mixed, repeated)
			c.Weight, c.Sampling = s.w, s.ns.sampling()
			c.Flagged = failsBeyond(mixed, repeated, s.tol)
			add(c)
		}
	}
	if f.spreadDates > 0 {
		c := newCheck(canon.BirthDate, checkDaySpread, f.lateDays, f.spreadDates)
		c.Weight, c.Expected = weightWeak, round4(lateDayShare)
		c.Flagged = c.Values >= fabricationMinValues && ModifiedWilson(c.Passed, c.Values).High < lateDayShare/2
		add(c)
	}
	if n := f.birthYears.total(); n > 0 {
		c := newCheck(canon.BirthDate, checkAge, f.birthYears.within(lo, hi), n)
		c.Weight = weightWeak
		c.Flagged = failsBeyond(n-c.Passed, n, tolAge)
		add(c)
	}
	if f.fullDates > 0 {
		c := newCheck(canon.BirthDate, checkJanuary1, f.fullDates-f.jan1, f.fullDates)
		c.Expected = round4(notJanuary1Share)
		add(c)
	}
	out.Suspected = strongOrWeakSigns(out.Checks)
	return out
}

// strongOrWeakSigns reports whether checks hold a flagged strong check, or
// flagged weak checks of two kinds or more: weak checks of one kind (a
// phone column's format and its shared numbers) may share one innocent
// cause.
func strongOrWeakSigns(checks []FabricationCheck) bool {
	var weakKinds uint32
	for _, c := range checks {
		switch {
		case !c.Flagged:
		case c.Weight == weightStrong:
			return true
		case c.Weight == weightWeak:
			weakKinds |= 1 << (c.Kind & 31)
		}
	}
	return bits.OnesCount32(weakKinds) >= 2
}

// newCheck returns a check of passed of n values (n > 0).
func newCheck(k canon.Kind, name string, passed, n int) FabricationCheck {
	return FabricationCheck{Kind: k, Check: name, Valid: round4(float64(passed) / float64(n)), Values: n, Passed: passed}
}

// failsBeyond reports whether, of n >= fabricationMinValues values, the
// share failed is above tol at 95% confidence (the lower bound of its
// interval).
func failsBeyond(failed, n int, tol float64) bool {
	return n >= fabricationMinValues && ModifiedWilson(failed, n).Low > tol
}

// alternative returns the region other than region whose rules pass the
// most of the national IDs that fail region's check, when they pass at
// least half of them.
func (f *fabStats) alternative(region canon.Region) *FabricationAlternative {
	best := -1
	for i, r := range fabRegions {
		if r != region && (best < 0 || f.underRegion[i] > f.underRegion[best]) {
			best = i
		}
	}
	if best < 0 || f.idFailed == 0 {
		return nil
	}
	n := f.underRegion[best]
	if 2*n < f.idFailed {
		return nil
	}
	s, _ := regionScheme(fabRegions[best])
	return &FabricationAlternative{Region: fabRegions[best], Scheme: s, Valid: round4(float64(n) / float64(f.idFailed)), Passed: n}
}

// regionScheme returns the national ID scheme of a region with rules of
// its own ("rnokpp", "inn", "iin", "aadhaar"), or "any" and false.
func regionScheme(r canon.Region) (string, bool) {
	switch r {
	case canon.UA:
		return "rnokpp", true
	case canon.RU:
		return "inn", true
	case canon.KZ:
		return "iin", true
	case canon.IN:
		return "aadhaar", true
	}
	return "any", false
}

// embeddingScheme returns the scheme that encodes birth dates under a
// region: "rnokpp" (UA), "iin" (KZ), or "any" where either may.
func embeddingScheme(r canon.Region) string {
	switch r {
	case canon.UA, canon.KZ:
		s, _ := regionScheme(r)
		return s
	}
	return "any"
}

// validUnder reports whether the canonical digits id pass the rules of
// region r's national ID.
func validUnder(id []byte, r canon.Region) bool {
	switch r {
	case canon.UA:
		return len(id) == 10 && canon.ValidRNOKPP(id)
	case canon.KZ:
		return len(id) == 12 && canon.ValidIIN(id)
	case canon.IN:
		return len(id) == 12 && canon.ValidAadhaar(id)
	case canon.RU:
		return (len(id) == 10 || len(id) == 12) && canon.ValidINN(id)
	}
	return false
}

// idScheme returns the scheme of a valid national ID under region and the
// number of check digits that end it, as canon chooses the scheme: the
// region's own, or else the first of RNOKPP, INN (10 digits) or IIN,
// Aadhaar, INN (12) whose check passes.
func idScheme(id []byte, region canon.Region) (string, int) {
	if s, ok := regionScheme(region); ok {
		if s == "inn" && len(id) == 12 {
			return s, 2
		}
		return s, 1
	}
	switch {
	case len(id) == 10 && canon.ValidRNOKPP(id):
		return "rnokpp", 1
	case len(id) == 12 && canon.ValidIIN(id):
		return "iin", 1
	case len(id) == 12 && canon.ValidAadhaar(id):
		return "aadhaar", 1
	case len(id) == 12 && canon.ValidINN(id):
		return "inn", 2
	case canon.ValidINN(id):
		return "inn", 1
	}
	return "", len(id)
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// year4 reads the year that starts a canonical date.
func year4(date []byte) (int, bool) {
	if len(date) < 4 || !isDigits(date[:4]) {
		return 0, false
	}
	return int(date[0]-'0')*1000 + int(date[1]-'0')*100 + int(date[2]-'0')*10 + int(date[3]-'0'), true
}

// two reads two ASCII digits.
func two(b []byte) (int, bool) {
	if len(b) != 2 || !isDigits(b) {
		return 0, false
	}
	return int(b[0]-'0')*10 + int(b[1]-'0'), true
}

// yearCounts counts years from firstYear to firstYear+len(n)-1, and those
// outside.
type yearCounts struct {
	n       [400]int
	outside int
}

const firstYear = 1800

func (y *yearCounts) add(year int) {
	if i := year - firstYear; i >= 0 && i < len(y.n) {
		y.n[i]++
	} else {
		y.outside++
	}
}

func (y *yearCounts) merge(z *yearCounts) {
	for i := range y.n {
		y.n[i] += z.n[i]
	}
	y.outside += z.outside
}

func (y *yearCounts) total() int {
	t := y.outside
	for _, c := range y.n {
		t += c
	}
	return t
}

// within counts the years from lo to hi inclusive.
func (y *yearCounts) within(lo, hi int) int {
	t := 0
	for i, c := range y.n {
		if yr := firstYear + i; yr >= lo && yr <= hi {
			t += c
		}
	}
	return t
}

// fabricationEvidence writes the sentences of the fabrication checks: one
// per flagged check, what the check digits show under which rules, and
// the notes an analyst needs (another region's rules, placeholders).
func fabricationEvidence(f Fabrication) []string {
	strongPrefix := "Fabrication suspected: "
	weakPrefix := "A weak sign of fabrication, which counts only with another of another kind: "
	var weakOnly []FabricationCheck
	for _, c := range f.Checks {
		if c.Weight == weightWeak {
			weakOnly = append(weakOnly, c)
		}
	}
	if strongOrWeakSigns(weakOnly) {
		weakPrefix = "Fabrication suspected, on weak signs of different kinds that agree: "
	}
	var first, rest []string // the sentences of flagged checks come first
	for _, c := range f.Checks {
		var lines []string
		prefix := strongPrefix
		if c.Weight == weightWeak {
			prefix = weakPrefix
		}
		n, fail := thousands(int64(c.Values)), pct(1-c.Valid)
		switch c.Check {
		case checkDigit:
			lines = append(lines, checkDigitEvidence(c)...)
		case checkFormat:
			if c.Kind == canon.Phone && c.Flagged {
				lines = append(lines, fmt.Sprintf("%s%s of %s phone numbers are in no range allocated to an operator.", prefix, fail, n))
			}
		case checkEmbedded:
			what := "the birth date encoded in the national ID " + rulesOf(c.Region, c.Scheme) + " agrees with the record's birth date"
			if c.Flagged {
				lines = append(lines, fmt.Sprintf("%s%s in only %s of %s records; in real registry data they agree.", prefix, what, pct(c.Valid), n))
			} else {
				lines = append(lines, fmt.Sprintf("%s in %s of %s records.", capitalise(what), pct(c.Valid), n))
			}
		case checkEmbeddedDate:
			if c.Flagged {
				lines = append(lines, fmt.Sprintf("%sthe birth date encoded in %s of %s national IDs that pass their check %s is impossible (in the future, or over %d years ago: for an IIN, a century digit of the 1800s).",
					prefix, fail, n, rulesOf(c.Region, c.Scheme), maxAge))
			}
		case checkRegionCode:
			if c.Flagged {
				lines = append(lines, fmt.Sprintf("%s%s of %s INNs that pass their check start with 00, which is no region's tax-office code.", prefix, fail, n))
			}
		case checkSequential:
			if c.Flagged {
				line := fmt.Sprintf("%s%s of %s%s national IDs that pass their check are followed by the next number (check digits aside): IDs counted out, not held by a registry's people", prefix, pct(1-c.Valid), n, sampledOf(c))
				if c.Weight == weightWeak {
					line += "; INNs are issued in sequence within a tax office, so a complete extract of one office looks the same"
				}
				lines = append(lines, line+".")
			}
		case checkOneName:
			if c.Flagged {
				what := "national IDs"
				note := ": one ID given to several people"
				if c.Kind == canon.Phone {
					what, note = "phone numbers", " (a family's or a reassigned number can be)"
				}
				lines = append(lines, fmt.Sprintf("%s%s of %s%s %s held by more than one record carry different names%s.", prefix, fail, n, sampledOf(c), what, note))
			}
		case checkDaySpread:
			if c.Flagged {
				lines = append(lines, fmt.Sprintf("%sonly %s of %s birth dates (the 1st and 15th aside) fall on a 29th, 30th or 31st, against %s of the days of a year: dates drawn with days of 1-28.",
					prefix, pct(c.Valid), n, pct(c.Expected)))
			}
		case checkAge:
			if c.Flagged {
				lines = append(lines, fmt.Sprintf("%s%s of %s birth dates give an age below 0 or over %d years.", prefix, fail, n, maxAge))
			}
		case checkJanuary1:
			if jan := 1 - c.Valid; c.Values >= fabricationMinValues && jan >= 0.05 {
				lines = append(lines, fmt.Sprintf("%s of %s birth dates are 1 January (%s in a real calendar): a placeholder for an unknown day, not counted as fabrication; such dates tell namesakes apart poorly.",
					capitalise(pct(jan)), n, pct(1-c.Expected)))
			}
		}
		if c.Flagged {
			first = append(first, lines...)
		} else {
			rest = append(rest, lines...)
		}
	}
	return append(first, rest...)
}

// checkDigitEvidence writes what a check-digit check shows, naming the
// rules it applied and another region's whose rules pass the values.
func checkDigitEvidence(c FabricationCheck) []string {
	what := "check digits of " + c.Kind.String()
	if c.Kind == canon.CardNumber {
		what += " (Luhn)"
	}
	rules := ""
	if c.Kind == canon.NationalID {
		rules = " " + rulesOf(c.Region, c.Scheme)
	}
	n := thousands(int64(c.Values))
	var out []string
	alt := c.Alternative
	switch {
	case alt != nil && alt.Valid >= alternativeShare:
		out = append(out, fmt.Sprintf("Check digits of national_id are valid in only %s of %s values%s, but %s of those that fail are valid under the %s rules (%s): they look like %s's IDs read under the wrong region (check --region), not fabricated.",
			pct(c.Valid), n, rules, pct(alt.Valid), alt.Region, schemeName(alt.Scheme), alt.Region))
	case c.Flagged:
		line := fmt.Sprintf("Fabrication suspected: %s are valid in only %s of %s values%s; IDs issued under those rules always pass them", what, pct(c.Valid), n, rules)
		if alt != nil {
			line += fmt.Sprintf(" (%s of those that fail pass under the %s rules, %s)", pct(alt.Valid), alt.Region, schemeName(alt.Scheme))
		}
		out = append(out, line+".")
	default:
		out = append(out, fmt.Sprintf("%s are valid in %s of %s values%s.", capitalise(what), pct(c.Valid), n, rules))
	}
	if c.Malformed > 0 && 2*c.Malformed >= c.Values {
		form := "no card number's form"
		switch {
		case c.Kind != canon.NationalID:
		case c.Scheme == "" || c.Scheme == "any":
			form = "the form of no region's national ID"
		default:
			form = fmt.Sprintf("no %s form under the %s rules", schemeName(c.Scheme), c.Region)
		}
		out = append(out, fmt.Sprintf("%s of the %s %s values have %s (a wrong length, or letters): another region's IDs or another kind of number (check --region and the column's kind); they are not counted as failed check digits.",
			capitalise(pct(float64(c.Malformed)/float64(c.Values))), n, c.Kind, form))
	}
	return out
}

// rulesOf names the rules a national ID check applied: "under the UA
// rules (RNOKPP)", or "under any region's rules (RNOKPP, IIN, Aadhaar or
// INN, whichever fits)".
func rulesOf(region canon.Region, scheme string) string {
	if scheme == "" || scheme == "any" {
		return "under any region's rules (RNOKPP, IIN, Aadhaar or INN, whichever fits)"
	}
	return fmt.Sprintf("under the %s rules (%s)", region, schemeName(scheme))
}

// schemeName spells a scheme as people write it.
func schemeName(s string) string {
	switch s {
	case "rnokpp", "iin", "inn":
		return strings.ToUpper(s)
	case "aadhaar":
		return "Aadhaar"
	}
	return s
}

// sampledOf says, for a check over a hash sample, that its values are a
// sample.
func sampledOf(c FabricationCheck) string {
	if c.Sampling > 0 {
		return fmt.Sprintf(" (a hash sample of %s of the distinct values)", pct(c.Sampling))
	}
	return ""
}
