package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Sex is a person's sex as national IDs encode it.
type Sex uint8

// Sexes.
const (
	Male Sex = iota
	Female
)

// String returns "M" or "F".
func (s Sex) String() string {
	if s == Female {
		return "F"
	}
	return "M"
}

// Person is one synthetic person: every fact a dump may hold about them,
// in one canonical spelling. Names are in the region's own script
// (Cyrillic for UA, RU and KZ, Latin for IN); renderers spell them in the
// messy ways real dumps do.
type Person struct {
	Region     canon.Region
	Sex        Sex
	Given      string
	Family     string
	Patronymic string // empty for IN
	BirthDate  time.Time
	// Phone is the mobile number in E.164, e.g. "+380671234567".
	Phone string
	// Email is lower case.
	Email string
	// NationalID is the full digits of the region's national ID: RNOKPP
	// (UA, 10), INN (RU, 12), IIN (KZ, 12), Aadhaar (IN, 12).
	NationalID string
	// Passport is the passport number without separators, letters in the
	// region's script (UA old booklets: two Cyrillic letters + 6 digits).
	Passport string
	// DriverLicence is the licence number without separators, letters in
	// the region's script (UA: three Cyrillic letters + 6 digits).
	DriverLicence string
	// Card is a 16-digit payment card number.
	Card     string
	Address  string
	Password string
	Username string
	// Fabricated people have national IDs and card numbers made of random
	// digits, with no regard for their check digits.
	Fabricated bool
	// MismatchedID marks a national ID made by [Generator.MismatchedIDs]:
	// it passes its check but encodes another birth date and sex.
	MismatchedID bool
	// SequentialID marks a national ID made by [Generator.SequentialIDs]:
	// the number after the previous person's.
	SequentialID bool
}

// Generator makes unique synthetic people of one region, deterministically
// from its seed: no two people it makes share a phone, e-mail, national ID,
// passport, licence, card, or name and birth date.
type Generator struct {
	region canon.Region
	lists  *nameLists
	r      *rand.Rand
	seen   map[string]struct{}
	// Fabricated makes the people made from now on fabricated (see
	// [Person.Fabricated]).
	Fabricated bool
	// BornFrom and BornTo bound birth dates (inclusive); zero values mean
	// 1921-01-01 and 2005-12-31.
	BornFrom, BornTo time.Time

	// The fields below make the people made from now on fabricated in ways
	// that check digits do not show. Each is off in the zero Generator, and
	// while all are off a Generator makes the same people as before they
	// existed.

	// MismatchedIDs gives people national IDs that pass their check but
	// encode another birth date and the other sex than the person's (UA
	// RNOKPP, KZ IIN; RU INNs and Aadhaar numbers encode neither and are
	// made as usual).
	MismatchedIDs bool
	// SequentialIDs gives people consecutive national IDs, each the number
	// after the previous person's once the check digits are set aside,
	// with valid check digits: what a counter makes. The first is a
	// regular ID of the first such person.
	SequentialIDs bool
	// NaiveBirthDates draws birth dates as a year, a month and a day of
	// 1-28, never the 29th, 30th or 31st, as a careless script does.
	NaiveBirthDates bool
	// UnallocatedPhones gives people phone numbers with the region's
	// calling code that are in no range allocated to an operator (canon
	// rejects them).
	UnallocatedPhones bool
	next              string // SequentialIDs: the body of the next ID
}

// NewGenerator returns a generator of people of region (UA, RU, KZ or IN;
// anything else is treated as UA) seeded with seed.
func NewGenerator(region canon.Region, seed uint64) *Generator {
	switch region {
	case canon.UA, canon.RU, canon.KZ, canon.IN:
	default:
		region = canon.UA
	}
	return &Generator{
		region: region,
		lists:  listsFor(string(region)),
		r:      rand.New(rand.NewPCG(seed, 0x6c65616b70726f76)), // "leakprov"
		seen:   map[string]struct{}{},
	}
}

// Region returns the generator's region.
func (g *Generator) Region() canon.Region { return g.region }

// Rand returns the generator's random source, for callers that render or
// sample in the same deterministic stream.
func (g *Generator) Rand() *rand.Rand { return g.r }

// Person makes a new person, unique among those g has made.
func (g *Generator) Person() Person {
	for {
		p := g.person()
		keys := uniqueKeys(&p)
		clash := false
		for _, k := range keys {
			if _, ok := g.seen[k]; ok {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		for _, k := range keys {
			g.seen[k] = struct{}{}
		}
		return p
	}
}

// uniqueKeys are the facts that must not repeat between people, in folded
// forms so that no two people match under canonicalisation either.
func uniqueKeys(p *Person) []string {
	local, domain, _ := strings.Cut(p.Email, "@")
	local = strings.ReplaceAll(local, ".", "")
	return []string{
		"p" + p.Phone,
		"e" + local + "@" + domain,
		"i" + p.NationalID,
		"s" + FoldLookalikes(p.Passport),
		"l" + FoldLookalikes(p.DriverLicence),
		"c" + p.Card,
		"n" + nameSkeleton(p.Given, p.Family) + p.BirthDate.Format("20060102"),
	}
}

// nameSkeleton approximates the canonical name key: the ICAO spelling of
// the given and family names, h read as g and y as i, doubled letters
// collapsed, the two words sorted.
func nameSkeleton(given, family string) string {
	sk := func(s string) string {
		s = strings.ToLower(ICAO(s))
		s = strings.NewReplacer("kh", "x", "h", "g", "y", "i").Replace(s)
		var b strings.Builder
		var prev rune
		for _, r := range s {
			if r != prev {
				b.WriteRune(r)
			}
			prev = r
		}
		return b.String()
	}
	a, b := sk(given), sk(family)
	if b < a {
		a, b = b, a
	}
	return a + " " + b
}

func (g *Generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *Generator) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *Generator) person() Person {
	r := g.r
	p := Person{Region: g.region, Fabricated: g.Fabricated}
	if r.IntN(2) == 1 {
		p.Sex = Female
	}
	l := g.lists
	if p.Sex == Male {
		p.Given = g.pick(l.male)
	} else {
		p.Given = g.pick(l.female)
	}
	p.Family = g.pick(l.surnames)
	if p.Sex == Female {
		p.Family = feminineSurname(string(g.region), p.Family)
	}
	switch g.region {
	case canon.UA, canon.RU:
		pp := l.patronymics[r.IntN(len(l.patronymics))]
		p.Patronymic = pp[p.Sex]
	case canon.KZ:
		if p.Sex == Male {
			p.Patronymic = g.pick(l.male) + "ұлы"
		} else {
			p.Patronymic = g.pick(l.male) + "қызы"
		}
	}
	from, to := g.born()
	if g.NaiveBirthDates {
		p.BirthDate = g.naiveDate(from, to)
	} else {
		span := int(to.Sub(from).Hours()/24) + 1
		p.BirthDate = from.AddDate(0, 0, r.IntN(span))
	}

	if g.UnallocatedPhones {
		p.Phone = g.unallocatedPhone()
	} else {
		p.Phone = g.phone()
	}
	switch {
	case g.SequentialIDs:
		p.NationalID, p.SequentialID = g.sequentialID(&p), true
	case g.MismatchedIDs && (g.region == canon.UA || g.region == canon.KZ):
		p.NationalID, p.MismatchedID = g.mismatchedID(&p), true
	default:
		p.NationalID = g.nationalID(&p)
	}
	p.Passport = g.passport()
	p.DriverLicence = g.licence()
	p.Card = g.card(p.Fabricated)
	p.Email = g.email(&p)
	p.Username = g.username(&p)
	p.Password = g.password(&p)
	p.Address = g.address()
	return p
}

// Mobile operator codes in real use: UA (Kyivstar, Vodafone, lifecell),
// RU (MTS, MegaFon, Beeline, Tele2), KZ (Beeline, Kcell, Tele2, Altel).
var (
	uaOperators = []string{"50", "66", "95", "99", "67", "68", "96", "97", "98", "63", "73", "93"}
	ruOperators = []string{"903", "905", "906", "909", "910", "911", "915", "916", "917", "919",
		"921", "925", "926", "950", "977", "981", "985", "999"}
	kzOperators = []string{"700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"}
)

func (g *Generator) phone() string {
	switch g.region {
	case canon.RU:
		return "+7" + g.pick(ruOperators) + g.digits(7)
	case canon.KZ:
		return "+7" + g.pick(kzOperators) + g.digits(7)
	case canon.IN:
		return "+91" + strconv.Itoa(6+g.r.IntN(4)) + g.digits(9)
	}
	return "+380" + g.pick(uaOperators) + g.digits(7)
}

// rnokppEpoch is day 0 of the RNOKPP's birth-date count (1900-01-01 is 1).
var rnokppEpoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)

func (g *Generator) nationalID(p *Person) string {
	switch g.region {
	case canon.RU:
		return INN(g.r, p.Fabricated)
	case canon.KZ:
		return IIN(g.r, p.BirthDate, p.Sex, p.Fabricated)
	case canon.IN:
		return Aadhaar(g.r, p.Fabricated)
	}
	return RNOKPP(g.r, p.BirthDate, p.Sex, p.Fabricated)
}

func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// completeWith returns prefix followed by the first string of n digits,
// tried in a random order, that valid accepts, or "" if none does.
func completeWith(r *rand.Rand, prefix string, n int, valid func(string) bool) string {
	total := 1
	for range n {
		total *= 10
	}
	start := r.IntN(total)
	for i := range total {
		s := prefix + fmt.Sprintf("%0*d", n, (start+i)%total)
		if valid(s) {
			return s
		}
	}
	return ""
}

// RNOKPP returns a Ukrainian RNOKPP for a person born on birth: digits 1-5
// count the days since 1899-12-31, digit 9 is odd for men, and the check
// digit is chosen so that [canon.ValidRNOKPP] accepts it. With
// fabricated the last five digits are random, so about nine in ten fail the
// check. People born on or before 18 May 1927 (day 9999) have a leading zero.
func RNOKPP(r *rand.Rand, birth time.Time, sex Sex, fabricated bool) string {
	days := int(birth.Sub(rnokppEpoch).Hours() / 24)
	prefix := fmt.Sprintf("%05d", days%100000)
	if fabricated {
		return prefix + randDigits(r, 5)
	}
	d9 := 2 * r.IntN(5)
	if sex == Male {
		d9++
	}
	return completeWith(r, prefix+randDigits(r, 3)+strconv.Itoa(d9), 1, canon.ValidRNOKPP[string])
}

// IIN returns a Kazakh IIN for a person born on birth: YYMMDD, the
// century-and-sex digit, four serial digits and a check digit that
// [canon.ValidIIN] accepts. With fabricated the serial and check
// digits are random.
func IIN(r *rand.Rand, birth time.Time, sex Sex, fabricated bool) string {
	c := 1 + 2*((birth.Year()-1800)/100)
	if sex == Female {
		c++
	}
	prefix := birth.Format("060102") + strconv.Itoa(c)
	if fabricated {
		return prefix + randDigits(r, 5)
	}
	for {
		if s := completeWith(r, prefix+randDigits(r, 4), 1, canon.ValidIIN[string]); s != "" {
			return s
		}
	}
}

// Aadhaar returns an Indian Aadhaar number: first digit 2-9, a Verhoeff
// check digit that [canon.ValidAadhaar] accepts. With fabricated all
// digits after the first are random.
func Aadhaar(r *rand.Rand, fabricated bool) string {
	prefix := strconv.Itoa(2+r.IntN(8)) + randDigits(r, 10)
	if fabricated {
		return prefix + randDigits(r, 1)
	}
	for {
		if s := completeWith(r, prefix, 1, canon.ValidAadhaar[string]); s != "" {
			return s
		}
		prefix = strconv.Itoa(2+r.IntN(8)) + randDigits(r, 10)
	}
}

// INN returns a 12-digit Russian individual INN: a region code 01-89, a
// tax-office code, a serial, and two check digits that
// [canon.ValidINN] accepts. With fabricated the last two digits are
// random.
func INN(r *rand.Rand, fabricated bool) string {
	prefix := fmt.Sprintf("%02d%02d", 1+r.IntN(89), 1+r.IntN(50)) + randDigits(r, 6)
	if fabricated {
		return prefix + randDigits(r, 2)
	}
	return completeWith(r, prefix, 2, canon.ValidINN[string])
}

// Card returns a 16-digit Visa or Mastercard number whose last digit passes
// [canon.ValidLuhn]; with fabricated the last digit is random.
func Card(r *rand.Rand, fabricated bool) string {
	var prefix string
	if r.IntN(2) == 0 {
		prefix = "4" + randDigits(r, 14)
	} else {
		prefix = "5" + strconv.Itoa(1+r.IntN(5)) + randDigits(r, 13)
	}
	if fabricated {
		return prefix + randDigits(r, 1)
	}
	return completeWith(r, prefix, 1, canon.ValidLuhn[string])
}

func (g *Generator) card(fabricated bool) string { return Card(g.r, fabricated) }

// lookalikeCyr are the Cyrillic capitals with Latin look-alikes, in the
// order of lookalikeLat.
const (
	lookalikeCyr = "АВЕІКМНОРСТХ"
	lookalikeLat = "ABEIKMHOPCTX"
)

func (g *Generator) lookalikeLetters(n int) string {
	cyr := []rune(lookalikeCyr)
	var b strings.Builder
	for range n {
		b.WriteRune(cyr[g.r.IntN(len(cyr))])
	}
	return b.String()
}

func (g *Generator) passport() string {
	switch g.region {
	case canon.RU:
		return fmt.Sprintf("%02d%02d", 1+g.r.IntN(99), g.r.IntN(25)) + g.digits(6)
	case canon.KZ:
		return "N" + g.digits(8)
	case canon.IN:
		letters := "ABCDEFGHJKLMNPRSTUVWZ"
		return string(letters[g.r.IntN(len(letters))]) + strconv.Itoa(1+g.r.IntN(9)) + g.digits(6)
	}
	if g.r.IntN(3) == 0 { // ID card since 2016: 9 digits
		return strconv.Itoa(1+g.r.IntN(9)) + g.digits(8)
	}
	return g.lookalikeLetters(2) + g.digits(6)
}

var inStates = []string{"MH", "DL", "KA", "TN", "UP", "GJ", "RJ", "WB", "TS", "KL", "PB", "HR"}

func (g *Generator) licence() string {
	switch g.region {
	case canon.RU:
		return fmt.Sprintf("%02d%02d", 1+g.r.IntN(99), g.r.IntN(40)) + g.digits(6)
	case canon.KZ:
		return "K" + g.lookalikeLatin(1) + g.digits(6)
	case canon.IN:
		return g.pick(inStates) + fmt.Sprintf("%02d%d", 1+g.r.IntN(50), 1990+g.r.IntN(34)) + g.digits(7)
	}
	return g.lookalikeLetters(3) + g.digits(6)
}

func (g *Generator) lookalikeLatin(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(lookalikeLat[g.r.IntN(len(lookalikeLat))])
	}
	return b.String()
}

// latinName spells a native-script name in Latin the way the region's
// people write it in e-mail addresses and logins.
func latinName(region canon.Region, s string) string {
	switch region {
	case canon.UA:
		return KMU(s)
	case canon.IN:
		return s
	}
	return ICAO(s)
}

func (g *Generator) email(p *Person) string {
	given := strings.ToLower(latinName(p.Region, p.Given))
	family := strings.ToLower(latinName(p.Region, p.Family))
	var local string
	switch g.r.IntN(5) {
	case 0:
		local = given + "." + family + g.digits(2+g.r.IntN(3))
	case 1:
		local = given + "_" + family + strconv.Itoa(p.BirthDate.Year()%100) + g.digits(2)
	case 2:
		local = family + "." + given[:1] + g.digits(3)
	case 3:
		local = given + family + g.digits(4)
	default:
		local = family + strconv.Itoa(p.BirthDate.Year()) + g.digits(2)
	}
	return local + "@" + g.pick(g.lists.mailDomains)
}

func (g *Generator) username(p *Person) string {
	given := strings.ToLower(latinName(p.Region, p.Given))
	family := strings.ToLower(latinName(p.Region, p.Family))
	if len(family) > 4 {
		family = family[:4]
	}
	switch g.r.IntN(3) {
	case 0:
		return given + "_" + family + g.digits(3)
	case 1:
		return family + given[:1] + strconv.Itoa(p.BirthDate.Year()%100) + g.digits(2)
	}
	return "user" + g.digits(7)
}

var commonPasswords = strings.Fields(`123456 qwerty password dragon sunshine iloveyou monkey
	football princess admin letmein zaq12wsx 1q2w3e4r qwerty123 master shadow killer
	superman batman 111111 abc123 pass1234 q1w2e3r4 freedom whatever trustno1 starwars`)

func (g *Generator) password(p *Person) string {
	switch g.r.IntN(3) {
	case 0:
		return g.pick(commonPasswords)
	case 1:
		return g.pick(commonPasswords) + g.digits(1+g.r.IntN(3))
	}
	return strings.ToLower(latinName(p.Region, p.Given)) + strconv.Itoa(p.BirthDate.Year())
}

func (g *Generator) address() string {
	l := g.lists
	city := g.pick(l.cities)
	street := strings.ReplaceAll(g.pick(l.streets), "_", " ")
	house, flat := 1+g.r.IntN(120), 1+g.r.IntN(200)
	switch g.region {
	case canon.RU:
		return fmt.Sprintf("г. %s, ул. %s, д. %d, кв. %d", city, street, house, flat)
	case canon.KZ:
		return fmt.Sprintf("%s қ., %s к-сі, %d үй, %d пәтер", city, street, house, flat)
	case canon.IN:
		return fmt.Sprintf("%d, %s, %s", house, street, city)
	}
	return fmt.Sprintf("м. %s, вул. %s, буд. %d, кв. %d", city, street, house, flat)
}

// FoldLookalikes replaces Cyrillic capitals that look like Latin ones
// (А В Е І К М Н О Р С Т Х) with those Latin letters.
func FoldLookalikes(s string) string {
	cyr, lat := []rune(lookalikeCyr), []rune(lookalikeLat)
	return strings.Map(func(r rune) rune {
		for i, c := range cyr {
			if r == c {
				return lat[i]
			}
		}
		return r
	}, s)
}

// People makes n unique people of a region from seed (see [NewGenerator]).
func People(region canon.Region, seed uint64, n int) []Person {
	g := NewGenerator(region, seed)
	out := make([]Person, n)
	for i := range out {
		out[i] = g.Person()
	}
	return out
}
