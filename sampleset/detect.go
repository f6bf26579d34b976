package sampleset

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// DetectOptions configure [DetectColumns].
type DetectOptions struct {
	// Region resolves national formats; "" infers it from the values.
	Region canon.Region
	// Map forces kinds: keys are column names, or 1-based column numbers
	// written in decimal ("3").
	Map map[string]canon.Kind
}

// Detection is what [DetectColumns] found.
type Detection struct {
	Columns []canon.Column
	// Region is the region given, or the one inferred from the values ("" if
	// none could be).
	Region canon.Region
}

// Detection thresholds.
const (
	// SniffRecords is the most records DetectColumns looks at; callers
	// should pass a window of about this many.
	SniffRecords = 1000
	// clearShare is the share of a column's values that must be valid for
	// a kind for the values to overrule the header.
	clearShare = 0.8
	// suggestShare is enough when no header names the column.
	suggestShare = 0.5
	// rejectShare: a header naming a strictly checked kind is ignored when
	// fewer of its values than this have that kind's shape at all.
	rejectShare = 0.05
	// regionSniffValues caps the values per column tried under every region.
	regionSniffValues = 300
)

// DetectColumns decides each column's kind from its header name (if
// hasHeader) and from the values in rows, a sniff window of up to
// [SniffRecords] records.
//
// Values win when they clearly (≥ 80%) validate as another kind; when they
// are inconclusive the header decides; when both are silent the kind is
// Other. o.Map overrides both. Single-token name columns come out as
// last_name, first_name or middle_name. With o.Region "" the region is
// inferred from phones, national IDs and letters, and returned.
func DetectColumns(names []string, hasHeader bool, rows [][]string, o DetectOptions) Detection {
	if len(rows) > SniffRecords {
		rows = rows[:SniffRecords]
	}
	n := len(names)
	for _, r := range rows {
		if len(r) > n {
			n = len(r)
		}
	}
	regs := []canon.Region{o.Region}
	if o.Region == "" {
		regs = append(regs, canon.KnownRegions...)
	}
	cols := make([]colInfo, n)
	for i := range cols {
		c := &cols[i]
		c.idx = i
		if i < len(names) {
			c.name = names[i]
		}
		if c.name == "" || !hasHeader && i >= len(names) {
			c.name = "column " + strconv.Itoa(i+1)
		}
		if hasHeader && i < len(names) {
			c.header, c.hasHeader = headerKind(names[i])
		}
		c.gather(rows, regs)
	}

	region := o.Region
	if region == "" {
		region = inferRegion(cols, names, hasHeader)
	}
	ri := 0
	for i, r := range regs {
		if r == region {
			ri = i
		}
	}
	for i := range cols {
		cols[i].decide(ri, region)
	}
	assignAccounts(cols)
	splitNames(cols)

	out := make([]canon.Column, n)
	for i := range cols {
		c := &cols[i]
		k := c.kind
		if mk, ok := mapped(o.Map, c.name, i); ok {
			k = mk
		}
		out[i] = canon.Column{Name: c.name, Kind: k}
		if k == canon.BirthDate {
			out[i].DateOrder = c.order
		}
	}
	return Detection{Columns: out, Region: region}
}

// mapped looks a column up in m by its name (exact, then case-insensitive)
// or its 1-based number.
func mapped(m map[string]canon.Kind, name string, i int) (canon.Kind, bool) {
	if len(m) == 0 {
		return 0, false
	}
	if k, ok := m[name]; ok {
		return k, true
	}
	if k, ok := m[strconv.Itoa(i+1)]; ok {
		return k, true
	}
	t := strings.TrimSpace(name)
	for key, k := range m {
		if strings.EqualFold(strings.TrimSpace(key), t) {
			return k, true
		}
	}
	return 0, false
}

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
	letters2, spaced10         int // see docLetters2, docSpaced10
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

// valueKind is a candidate kind found from values, with its share.
type valueKind struct {
	kind  canon.Kind
	share float64
	date  bool // a date column whose dates are not birth dates
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
		switch documentShape(v) {
		case docLicence:
			c.licence++
		case docPassport:
			c.passport++
		case docDigits9:
			c.digits9++
		case docRU10:
			c.bare10RU++
		case docLetters2:
			c.letters2++
		case docSpaced10:
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

// strongKind returns the kind the values prove best under region (regs
// index ri): e-mail, card, national ID, birth date, phone, licence or
// passport, earlier ones winning near ties. A date column whose dates are no
// birth dates comes back with date set.
func (c *colInfo) strongKind(ri int, region canon.Region) valueKind {
	passport, licence := float64(c.passport), float64(c.licence)
	switch region {
	case canon.UA, canon.KZ:
		passport += float64(c.digits9)
	case canon.RU:
		passport += 0.5 * float64(c.bare10RU)
	}
	passport += float64(c.spaced10)
	if region == canon.KZ {
		licence += float64(c.letters2) // KZ passports are N + 8 digits
	} else {
		passport += float64(c.letters2)
	}
	dateShare := c.share(float64(c.date))
	birth := c.date > 0 && float64(c.birthOK) >= clearShare*float64(c.date)
	cands := []valueKind{
		{canon.Email, c.share(float64(c.email)), false},
		{canon.CardNumber, c.share(float64(c.card)), false},
		{canon.NationalID, c.regShare(float64(c.idOK[ri])), false},
		{canon.BirthDate, dateShare, !birth},
		{canon.Phone, c.regShare(c.phoneOK[ri]), false},
		{canon.DriverLicence, c.share(licence), false},
		{canon.Passport, c.share(passport), false},
	}
	best := valueKind{kind: canon.Other}
	for _, v := range cands {
		if v.share > best.share+0.02 {
			best = v
		}
	}
	return best
}

// shapeShare is the share of values having the shape of kind k at all
// (valid or not), under any region tried.
func (c *colInfo) shapeShare(k canon.Kind) (float64, bool) {
	maxOf := func(xs []int) float64 {
		m := 0
		for _, x := range xs {
			m = max(m, x)
		}
		return float64(m)
	}
	switch k {
	case canon.Phone:
		return c.regShare(maxOf(c.phoneAny)), true
	case canon.Email:
		return c.share(float64(c.email)), true
	case canon.NationalID:
		return c.regShare(maxOf(c.idShape)), true
	case canon.CardNumber:
		return c.share(float64(c.card)), true
	case canon.BirthDate:
		return c.share(float64(c.date)), true
	}
	return 0, false
}

func (c *colInfo) decide(ri int, region canon.Region) {
	c.kind = canon.Other
	if c.n == 0 {
		if c.hasHeader {
			c.kind = c.header
		}
		return
	}
	v := c.strongKind(ri, region)
	rejected := false
	if c.hasHeader {
		h := c.header
		if v.share >= clearShare {
			switch {
			case v.kind == h:
				c.kind = h
			case isDocument(v.kind) && isDocument(h) && c.share(c.firmDocs(v.kind)) < clearShare:
				// Passports and licences are told apart by their shape
				// alone, and some shapes are shared (a Russian licence is
				// spelt like a Russian passport): unless the values have
				// a shape only the other kind has, the header knows better.
				c.kind = h
			case v.date:
				// Dates that are no birth dates: a birth-date header still
				// names them; any other header is wrong about them.
				if h == canon.BirthDate {
					c.kind = h
				}
			default:
				c.kind = v.kind
			}
			return
		}
		if s, strict := c.shapeShare(h); !strict || c.n < 10 || s >= rejectShare {
			c.kind = h
			if h == canon.Username || h == canon.Password {
				c.isTok = true
			}
			return
		}
		// The header names a checked kind the values do not have at all
		// (a flag called phone_verified, an Indian PAN under "pan"): the
		// values decide, but a token column is no password just for that.
		rejected = true
	}
	if v.share >= suggestShare {
		if !v.date {
			c.kind = v.kind
		}
		return
	}
	switch {
	case c.isNameColumn():
		c.kind = canon.Name
	case c.share(float64(c.address)) >= 0.6:
		c.kind = canon.Address
	case !rejected && c.share(float64(c.token)) >= clearShare && c.share(float64(c.letters)) >= 0.5 && c.varied(0.3):
		c.isTok = true
		if c.share(float64(c.hash)) >= clearShare {
			c.kind = canon.Password
		}
	}
}

// isNameColumn reports whether the values look like person names: letters
// only, capitalised or all caps, 1-4 words, and not a few repeated words (a
// status or gender column) unless they are patronymics.
func (c *colInfo) isNameColumn() bool {
	if c.share(float64(c.nameN)) < clearShare {
		return false
	}
	if c.single > 0 && 2*c.patronymic >= c.single {
		return true
	}
	if c.n < 20 {
		return c.distinct >= min(c.n, 3) && 2*c.topCount <= c.n
	}
	return c.distinct >= 5 && 2*c.topCount <= c.n
}

// varied reports whether the column has many distinct values: at least
// share of its values (for a column of 20 or more), half of them (smaller).
func (c *colInfo) varied(share float64) bool {
	if c.n < 20 {
		return 2*c.distinct >= c.n
	}
	return float64(c.distinct) >= share*float64(c.n)
}

// assignAccounts decides the token-shaped columns: a column whose values
// follow the e-mail's local part is a username, a column of hashes a
// password. Of two or more left, a login identifies its account, so its
// values are (nearly) all distinct, while passwords repeat ("123456"): the
// most distinct username-shaped column is the username when the others
// clearly repeat more. The rest by position and values: one right after an
// account column (e-mail, username, phone), as in login:password lists, or
// further right with repeating values, is a password; a username-shaped
// column of distinct values is a username (even right of an account column
// when it has hundreds of values: passwords repeat).
func assignAccounts(cols []colInfo) {
	emailCol := -1
	for i := range cols {
		if cols[i].kind == canon.Email {
			emailCol = i
			break
		}
	}
	var open []*colInfo
	for i := range cols {
		c := &cols[i]
		if !c.isTok || c.kind != canon.Other {
			continue
		}
		switch {
		case emailCol >= 0 && c.emailLike(cols[emailCol].cells) >= 0.3:
			c.kind = canon.Username
		case c.share(float64(c.hash)) >= suggestShare:
			c.kind = canon.Password
		default:
			open = append(open, c)
		}
	}
	if len(open) >= 2 {
		var login *colInfo
		for _, c := range open {
			if c.share(float64(c.userShape)) >= clearShare && (login == nil || c.repeated() < login.repeated()) {
				login = c
			}
		}
		clear := login != nil
		for _, c := range open {
			if clear && c != login && c.repeated() < login.repeated()+repeatGap {
				clear = false
			}
		}
		if clear {
			for _, c := range open {
				c.kind = canon.Password
			}
			login.kind = canon.Username
		}
	}
	leftAccount, prevAccount := false, false
	for i := range cols {
		c := &cols[i]
		if c.isTok && c.kind == canon.Other {
			switch {
			case c.n >= distinctLogins && c.share(float64(c.userShape)) >= clearShare && c.repeated() == 0:
				// Hundreds of passwords never all differ.
				c.kind = canon.Username
			case prevAccount, leftAccount && c.repeated() >= repeatGap:
				c.kind = canon.Password
			case c.share(float64(c.userShape)) >= clearShare && c.repeated() < repeatGap:
				c.kind = canon.Username
			default:
				c.kind = canon.Password
			}
		}
		prevAccount = false
		switch c.kind {
		case canon.Email, canon.Username, canon.Phone:
			leftAccount, prevAccount = true, true
		}
	}
}

// distinctLogins is how many values a token column needs for "all of them
// differ" to make it a login column rather than passwords.
const distinctLogins = 200

// repeatGap is how much more often a password column's values must repeat
// than a login column's for the values to tell them apart.
const repeatGap = 0.02

// repeated is the share of the column's values that repeat an earlier one.
func (c *colInfo) repeated() float64 {
	return c.share(float64(c.n - c.distinct))
}

// emailLike is the share of this column's values that follow the local
// part of the same row's e-mail (a username derived from it).
func (c *colInfo) emailLike(emails []string) float64 {
	hit := 0
	for i, v := range c.cells {
		if v == "" || i >= len(emails) {
			continue
		}
		e := emails[i]
		at := strings.IndexByte(e, '@')
		if at <= 0 {
			continue
		}
		local := strings.ToLower(e[:at])
		u := strings.ToLower(v)
		if strings.Contains(local, u) || strings.Contains(u, local) || commonPrefix(local, u) >= 4 {
			hit++
		}
	}
	return c.share(float64(hit))
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// splitNames turns single-token name columns into name parts: the header
// decides where it names a part; patronymics make a middle name; of the
// rest, surname suffixes (-енко, -ук, -ов, -skyi ...) mark the last name and
// the column whose values repeat more is the first name (given names repeat
// much more than surnames).
func splitNames(cols []colInfo) {
	taken := map[canon.Kind]bool{}
	var undecided []*colInfo
	for i := range cols {
		c := &cols[i]
		switch c.kind {
		case canon.FirstName, canon.LastName, canon.MiddleName:
			taken[c.kind] = true
		case canon.Name:
			if c.nameN > 0 && float64(c.single) >= clearShare*float64(c.nameN) {
				undecided = append(undecided, c)
			}
		}
	}
	if len(undecided) == 0 {
		return
	}
	rest := undecided[:0:0]
	for _, c := range undecided {
		if !taken[canon.MiddleName] && c.single > 0 && 2*c.patronymic >= c.single {
			c.kind = canon.MiddleName
			taken[canon.MiddleName] = true
			continue
		}
		rest = append(rest, c)
	}
	ratio := func(c *colInfo) float64 { return float64(c.distinct) / float64(max(c.n, 1)) }
	suffix := func(c *colInfo) float64 { return float64(c.surname) / float64(max(c.single, 1)) }
	for len(rest) > 0 {
		switch {
		case taken[canon.FirstName] && taken[canon.LastName]:
			for _, c := range rest {
				if !taken[canon.MiddleName] {
					c.kind = canon.MiddleName
					taken[canon.MiddleName] = true
				}
			}
			return
		case taken[canon.LastName]:
			rest[0].kind = canon.FirstName
			taken[canon.FirstName] = true
			rest = rest[1:]
			continue
		case taken[canon.FirstName]:
			rest[0].kind = canon.LastName
			taken[canon.LastName] = true
			rest = rest[1:]
			continue
		}
		if len(rest) == 1 {
			c := rest[0]
			if suffix(c) >= 0.25 {
				c.kind = canon.LastName
			} else {
				c.kind = canon.FirstName
			}
			return
		}
		// Two or more candidates: pick the last name among them.
		a, b := rest[0], rest[1]
		var last *colInfo
		switch sa, sb := suffix(a), suffix(b); {
		case sa-sb >= 0.15:
			last = a
		case sb-sa >= 0.15:
			last = b
		case ratio(a)-ratio(b) >= 0.05:
			last = a
		case ratio(b)-ratio(a) >= 0.05:
			last = b
		case cyrillicShare(a) >= 0.5:
			last = a // East Slavic order: surname first
		default:
			last = b // given name first
		}
		last.kind = canon.LastName
		taken[canon.LastName] = true
		rest2 := rest[:0:0]
		for _, c := range rest {
			if c != last {
				rest2 = append(rest2, c)
			}
		}
		rest = rest2
	}
}

// firstLetterCyrillic reports whether the first letter of v is Cyrillic.
func firstLetterCyrillic(v string) bool {
	for _, r := range v {
		if unicode.IsLetter(r) {
			return unicode.Is(unicode.Cyrillic, r)
		}
	}
	return false
}

// cyrillicShare is the share of the column's values written in Cyrillic.
func cyrillicShare(c *colInfo) float64 {
	n := 0
	for _, v := range c.cells {
		if firstLetterCyrillic(v) {
			n++
		}
	}
	return c.share(float64(n))
}

// inferRegion picks the region under which the phone and national-ID
// columns validate best, with letters (Ukrainian, Kazakh, Russian-only,
// Devanagari) in values and headers as lesser evidence. regs[0] of every
// column is "" and regs[1:] are canon.KnownRegions.
func inferRegion(cols []colInfo, names []string, hasHeader bool) canon.Region {
	score := make([]float64, len(canon.KnownRegions))
	ruledOut := make([]bool, len(canon.KnownRegions))
	for i := range cols {
		c := &cols[i]
		if c.n == 0 {
			continue
		}
		for j := range canon.KnownRegions {
			p := c.regShare(float64(c.phoneVote[j+1]))
			id := c.regShare(float64(c.idOK[j+1]))
			// Numbers written with their country code name the region
			// outright; bare numbers of other kinds (passports) may be
			// valid phones of a wrong region by chance.
			cc := c.regShare(float64(c.ccVote[canon.KnownRegions[j]]))
			score[j] += max(p, id) + cc
		}
		letters := min(c.letters, regionSniffValues)
		if letters > 0 {
			// A column of Cyrillic text rules India out, one of
			// Devanagari the Cyrillic regions, however the numbers
			// happen to validate.
			cyr := float64(c.cyrillic) / float64(letters)
			deva := float64(c.script[canon.IN]) / float64(letters)
			for j, r := range canon.KnownRegions {
				score[j] += 0.5 * float64(c.script[r]) / float64(letters)
				if r == canon.IN && cyr >= suggestShare || r != canon.IN && deva >= suggestShare {
					ruledOut[j] = true
				}
			}
		}
	}
	if hasHeader {
		cyr, deva := 0, 0
		for _, h := range names {
			sr := scriptRegion(h)
			if sr != "" {
				for j, r := range canon.KnownRegions {
					if r == sr {
						score[j] += 0.1
					}
				}
			}
			switch {
			case sr == canon.IN:
				deva++
			case firstLetterCyrillic(h):
				cyr++
			}
		}
		// Headers written in Cyrillic (or Devanagari) rule out the
		// regions that do not write in it, as values do.
		for j, r := range canon.KnownRegions {
			if r == canon.IN && 2*cyr > len(names) || r != canon.IN && 2*deva > len(names) {
				ruledOut[j] = true
			}
		}
	}
	best, bestScore := canon.Region(""), 0.1
	for j, r := range canon.KnownRegions {
		if score[j] > bestScore && !ruledOut[j] {
			best, bestScore = r, score[j]
		}
	}
	if bestScore >= 0.5 {
		return best
	}
	// No region with rules of its own fits: phones that carry the country
	// code of another one name it.
	for i := range cols {
		c := &cols[i]
		for r, v := range c.ccVote {
			if s := c.regShare(float64(v)); s > bestScore && r != "" {
				best, bestScore = r, s
			}
		}
	}
	return best
}

// SniffHeader reports whether first, the first record of a delimited file,
// is a header rather than data, judging by rest, the records after it. It
// is a header when its cells are header words, or when the columns below
// hold values of a kind (phones, dates, IDs ...) that its cells are not;
// it is data when its cells are valid values of their columns' kinds.
func SniffHeader(first []string, rest [][]string) bool {
	if len(rest) > 200 {
		rest = rest[:200]
	}
	regs := append([]canon.Region{""}, canon.KnownRegions...)
	header, data := 0, 0
	buf := make([]byte, 0, 64)
	for i, cell := range first {
		v := strings.TrimSpace(cell)
		_, isWord := headerKind(v)
		if isWord {
			header++
		}
		if len(rest) == 0 {
			continue
		}
		c := colInfo{idx: i}
		c.gather(rest, regs)
		if c.n == 0 {
			continue
		}
		best, bestShare, bestReg := canon.Other, 0.0, canon.Region("")
		for ri, reg := range regs {
			vk := c.strongKind(ri, reg)
			if vk.share > bestShare+0.02 {
				best, bestShare, bestReg = vk.kind, vk.share, reg
			}
		}
		if bestShare >= clearShare {
			if v == "" {
				continue
			}
			if valueValid(buf, best, bestReg, c.order, v) {
				data++
			} else if !isWord {
				header++
			}
			continue
		}
		// No kind below: compare shapes. Numbers below a word are a header.
		if c.share(float64(c.digitsOnly)) >= 0.9 && v != "" && !hasDigit(v) && hasLetter(v) {
			if !isWord {
				header++
			}
		}
	}
	return header > data
}

// valueValid reports whether v is a valid value of kind k.
func valueValid(buf []byte, k canon.Kind, reg canon.Region, order canon.DateOrder, v string) bool {
	switch k {
	case canon.DriverLicence:
		s := documentShape(v)
		return s == docLicence || s == docLetters2
	case canon.Passport:
		s := documentShape(v)
		return s == docPassport || s == docDigits9 || s == docRU10 || s == docLetters2 || s == docSpaced10
	}
	_, st := canon.Append(buf[:0], k, v, canon.Options{Region: reg, DateOrder: order})
	return st == canon.Valid
}

// firmDocs counts the values whose shape only documents of kind k have
// (a UA licence's three letters and six digits, an Indian passport's letter
// and seven digits).
func (c *colInfo) firmDocs(k canon.Kind) float64 {
	switch k {
	case canon.DriverLicence:
		return float64(c.licence)
	case canon.Passport:
		return float64(c.passport)
	}
	return 0
}

// isDocument reports whether k is a document number recognised by its
// shape only (no check digit).
func isDocument(k canon.Kind) bool {
	return k == canon.Passport || k == canon.DriverLicence
}

// isPatronymic reports whether a single word is a patronymic.
func isPatronymic(s string) bool { return canon.IsPatronymic(s) }

// surnameSuffix reports whether a single word ends like an East Slavic
// surname.
func surnameSuffix(s string) bool {
	return hasSuffixFold(s, surnameSuffixes)
}

var surnameSuffixes = []string{
	"енко", "ук", "юк", "ський", "цький", "ська", "цька", "ов", "ова", "ев", "ева", "єв",
	"єва", "ёв", "ёва", "ко", "ич", "ець", "як", "ак", "ишин", "ін", "ина",
	"enko", "uk", "iuk", "yuk", "skyi", "tskyi", "ska", "tska", "ov", "ova", "ev", "eva",
	"ko", "ych", "ets", "iak", "ak", "skiy", "sky", "ski", "in",
}

func hasSuffixFold(s string, suffixes []string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) && len(s) > len(x)+1 {
			return true
		}
	}
	return false
}

// Value shapes.

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// phoneLike reports whether s is made of digits and phone punctuation
// only, with 6 to 15 digits, and returns the digit count.
func phoneLike(s string) (int, bool) {
	d := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			d++
		case ch == ' ' || ch == '+' || ch == '-' || ch == '(' || ch == ')' || ch == '.' || ch == '/':
		default:
			return 0, false
		}
	}
	return d, d >= 6 && d <= 15
}

// idLike returns s without spaces and dashes when what is left is 9 to 14
// digits.
func idLike(s string) (string, bool) {
	if isDigits(s) {
		return s, len(s) >= 9 && len(s) <= 14
	}
	var b [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = ch
			n++
		case ch == ' ' || ch == '-':
		default:
			return "", false
		}
	}
	return string(b[:n]), n >= 9 && n <= 14
}

// cardLike reports whether s could be a full or masked card number: 12 to
// 40 bytes with a digit.
func cardLike(s string) bool {
	return len(s) >= 12 && len(s) <= 40 && hasDigit(s)
}

// dateLike reports whether s could be a date: 6 to 32 bytes with at least
// four digits and a date separator, or eight bare digits.
func dateLike(s string) bool {
	if len(s) < 6 || len(s) > 32 {
		return false
	}
	if len(s) == 8 && isDigits(s) {
		return true
	}
	d := 0
	sep := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			d++
		case ch == '.' || ch == '-' || ch == '/':
			sep = true
		}
	}
	return sep && d >= 4
}

// Document shapes, judged on the upper-cased value without separators.
const (
	docNone = iota
	docLicence
	docPassport
	docDigits9 // a 9-digit ID card (UA, KZ) or something else
	docRU10    // 10 bare digits, a Russian passport or something else
	// docLetters2 is two letters and six digits: an old Ukrainian passport
	// booklet, or a Kazakh driving licence (Kazakh passports are N and
	// eight digits); the region decides.
	docLetters2
	// docSpaced10 is ten digits with a space: a Russian passport ("45 10
	// 123456") or a Russian licence since 2011 ("77 12 345678").
	docSpaced10
)

var indianStates = "AN AP AR AS BR CG CH CT DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OD OR PB PY RJ SK TG TN TR TS UK UP WB"

// documentShape classifies a passport or licence number by its pattern:
// UA licence 3 letters + 6 digits; UA passport 2 letters + 6 digits, UA or
// KZ ID card 9 digits; RU passport 4+6 digits (with a space), RU licence
// 2 digits + 2 letters + 6 digits; KZ passport letter + 8 digits, KZ
// licence 2 letters + 6 digits; IN
// passport letter + 7 digits; IN licence state code + 13 digits.
func documentShape(v string) int {
	if len(v) > 40 {
		return docNone
	}
	var pat [24]byte // 'L' letter, 'D' digit
	var lat [24]byte // the letters as written (ASCII) for state codes
	n := 0
	spaced := false
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			if n == len(pat) {
				return docNone
			}
			pat[n], lat[n] = 'D', byte(r)
			n++
		case unicode.IsLetter(r):
			if n == len(pat) {
				return docNone
			}
			pat[n] = 'L'
			if r < utf8.RuneSelf {
				lat[n] = byte(unicode.ToUpper(r))
			}
			n++
		case r == ' ':
			spaced = true
		case r == '-' || r == '/' || r == '.' || r == '№':
		default:
			return docNone
		}
	}
	p := string(pat[:n])
	switch p {
	case "LLLDDDDDD", "DDLLDDDDDD":
		return docLicence
	case "LLDDDDDD":
		return docLetters2
	case "LDDDDDDD", "LDDDDDDDD":
		return docPassport
	case "DDDDDDDDD":
		return docDigits9
	case "DDDDDDDDDD":
		if spaced {
			return docSpaced10
		}
		return docRU10
	case "LLDDDDDDDDDDDDD":
		if lat[0] != 0 && lat[1] != 0 && strings.Contains(indianStates, string(lat[:2])) {
			return docLicence
		}
	}
	return docNone
}

// nameShape reports whether v looks like a person's name: 1 to 4 words of
// letters (with inner hyphens or apostrophes, "?" standing for an
// apostrophe lost to an encoding, or a one-letter initial with a dot), each
// capitalised or all caps, or every word in small letters (dumps that
// lower-cased everything), and returns the word count.
func nameShape(v string) (bool, int) {
	words, lower := 0, 0
	for w := range strings.FieldsSeq(v) {
		words++
		ok, low := nameWord(w)
		if words > 4 || !ok {
			return false, 0
		}
		if low {
			lower++
		}
	}
	if lower > 0 && lower < words {
		return false, 0 // "Ivan petrenko" is no name as written
	}
	return words > 0, words
}

// nameWord reports whether w is a name word, and whether it is written in
// small letters only.
func nameWord(w string) (ok, lower bool) {
	letters := 0
	first := true
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
			if first {
				lower = unicode.IsLower(r)
				first = false
			} else if lower && unicode.IsUpper(r) {
				return false, false
			}
			letters++
		case unicode.IsMark(r):
			if first {
				return false, false
			}
		case r == '-' || isApostrophe(r) || r == '?':
			if letters == 0 || i == len(w)-1 {
				return false, false
			}
		case r == '.':
			return letters == 1 && i == len(w)-1 && !lower, false
		default:
			return false, false
		}
	}
	return letters >= 2, lower
}

// addressShape reports whether v looks like a postal address: at least 10
// characters and 2 words, with letters, and digits or commas.
func addressShape(v string) bool {
	if utf8.RuneCountInString(v) < 10 {
		return false
	}
	words := 0
	for range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		words++
	}
	return words >= 2 && hasLetter(v) && (hasDigit(v) || strings.IndexByte(v, ',') >= 0)
}

// tokenShape reports whether v is one printable token of 3 to 128
// characters: a password, hash or username.
func tokenShape(v string) bool {
	n := 0
	for _, r := range v {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
		n++
	}
	return n >= 3 && n <= 128 && strings.IndexByte(v, '@') < 0
}

// hashShape reports whether v looks like a password hash: hex of a
// digest's length, or a crypt-style "$id$..." string.
func hashShape(v string) bool {
	if strings.HasPrefix(v, "$") && strings.Count(v, "$") >= 3 {
		return true
	}
	switch len(v) {
	case 32, 40, 56, 64, 96, 128:
	default:
		return false
	}
	for i := 0; i < len(v); i++ {
		ch := v[i] | 0x20
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return false
		}
	}
	return true
}

// usernameShape reports whether v looks like a username: 3 to 32 letters,
// digits, dots, dashes and underscores, with a letter.
func usernameShape(v string) bool {
	n := 0
	for _, r := range v {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
			return false
		}
		n++
	}
	return n >= 3 && n <= 32 && hasLetter(v)
}
