package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Style says how a field is spelt. Its meaning depends on the field's kind;
// the zero Style is the plain, canonical-looking spelling of every kind.
type Style uint16

// Name styles (flags, for Name, FirstName, LastName and MiddleName
// columns). The zero style is "Given Family" in the native script.
const (
	// FamilyFirst writes "Family Given [Patronymic]".
	FamilyFirst Style = 1 << iota
	// WithPatronymic adds the patronymic (UA, RU, KZ) after the given name.
	WithPatronymic
	// Upper writes the name in capitals.
	Upper
	// Lower writes the name in small letters.
	Lower
	// LatinKMU spells a Cyrillic name in Latin under KMU 55.
	LatinKMU
	// LatinICAO spells a Cyrillic name in Latin under ICAO 9303.
	LatinICAO
)

// Phone styles. Examples are for +380671234567, +79161234567 and
// +919716483975.
const (
	// PhoneE164 is "+380671234567".
	PhoneE164 Style = iota
	// PhoneDigits is E.164 without the plus: "380671234567".
	PhoneDigits
	// PhoneNational is the national number as one run of digits:
	// "0671234567", "89161234567", "9716483975".
	PhoneNational
	// PhoneParen is "(067) 123-45-67", "8 (916) 123-45-67", "097164 83975".
	PhoneParen
	// PhoneSpaced is "067 123 45 67", "8 916 123 45 67", "97164 83975".
	PhoneSpaced
	// PhoneIntl is "+380 67 123 45 67", "+7 916 123-45-67", "+91 97164 83975".
	PhoneIntl
	// PhoneTrunk8 is the old Soviet-style long-distance prefix:
	// "8 067 123 45 67", "8 916 123 45 67"; for IN it is "09716483975".
	PhoneTrunk8
)

// Date styles.
const (
	// DateISO is "1990-04-03".
	DateISO Style = iota
	// DateDots is "03.04.1990".
	DateDots
	// DateSlash is "03/04/1990".
	DateSlash
	// DateDash is "03-04-1990".
	DateDash
)

// National ID and card styles.
const (
	// IDPlain is the digits.
	IDPlain Style = iota
	// IDNumber drops leading zeros, as a spreadsheet that read the ID as a
	// number does.
	IDNumber
	// IDSpaced groups the digits in fours: "3412 4418 5237" (cards and
	// 12-digit IDs; 10-digit IDs stay plain).
	IDSpaced
	// IDDashed groups the digits in fours with dashes.
	IDDashed
)

// Document (passport, licence) styles.
const (
	// DocNative writes letters in the region's script: "ВХО584508".
	DocNative Style = 0
	// DocLatin writes Cyrillic letters as their Latin look-alikes:
	// "BXO584508".
	DocLatin Style = 1
	// DocMixed writes each letter in either script at random.
	DocMixed Style = 2
	// DocSpaced (a flag) puts a space between the letters and digits, or
	// between the series and number: "ВХО 584508", "45 10 123456".
	DocSpaced Style = 4
)

// Email styles.
const (
	// EmailPlain is the address as held.
	EmailPlain Style = iota
	// EmailUpper writes the address in capitals.
	EmailUpper
)

// Render spells field k of p in style s. r is used only by styles with a
// random element (DocMixed). Kinds a person has no value for (Other)
// render as "".
func Render(r *rand.Rand, p *Person, k canon.Kind, s Style) string {
	switch k {
	case canon.Name:
		return renderName(p, s, true, true, s&WithPatronymic != 0)
	case canon.FirstName:
		return renderName(p, s, true, false, false)
	case canon.LastName:
		return renderName(p, s, false, true, false)
	case canon.MiddleName:
		if p.Patronymic == "" {
			return ""
		}
		return renderName(p, s, false, false, true)
	case canon.Phone:
		return RenderPhone(p.Phone, p.Region, s)
	case canon.Email:
		if s == EmailUpper {
			return strings.ToUpper(p.Email)
		}
		return p.Email
	case canon.BirthDate:
		switch s {
		case DateDots:
			return p.BirthDate.Format("02.01.2006")
		case DateSlash:
			return p.BirthDate.Format("02/01/2006")
		case DateDash:
			return p.BirthDate.Format("02-01-2006")
		}
		return p.BirthDate.Format("2006-01-02")
	case canon.NationalID:
		return renderDigits(p.NationalID, s)
	case canon.CardNumber:
		return renderDigits(p.Card, s)
	case canon.Passport:
		return renderDoc(r, p.Passport, s)
	case canon.DriverLicence:
		return renderDoc(r, p.DriverLicence, s)
	case canon.Address:
		return p.Address
	case canon.Password:
		return p.Password
	case canon.Username:
		return p.Username
	}
	return ""
}

func renderName(p *Person, s Style, given, family, patr bool) string {
	var parts []string
	add := func(ok bool, v string) {
		if ok && v != "" {
			parts = append(parts, v)
		}
	}
	if s&FamilyFirst != 0 {
		add(family, p.Family)
		add(given, p.Given)
		add(patr, p.Patronymic)
	} else {
		add(given, p.Given)
		add(patr, p.Patronymic)
		add(family, p.Family)
	}
	out := strings.Join(parts, " ")
	switch {
	case s&LatinKMU != 0:
		out = KMU(out)
	case s&LatinICAO != 0:
		out = ICAO(out)
	}
	switch {
	case s&Upper != 0:
		out = strings.ToUpper(out)
	case s&Lower != 0:
		out = strings.ToLower(out)
	}
	return out
}

// RenderPhone spells the E.164 number e164 of region in style s.
func RenderPhone(e164 string, region canon.Region, s Style) string {
	digits := strings.TrimPrefix(e164, "+")
	var cc, nsn string
	switch {
	case strings.HasPrefix(digits, "380"):
		cc, nsn = "380", digits[3:]
	case strings.HasPrefix(digits, "91"):
		cc, nsn = "91", digits[2:]
	case strings.HasPrefix(digits, "7"):
		cc, nsn = "7", digits[1:]
	default:
		return e164
	}
	switch s {
	case PhoneDigits:
		return digits
	case PhoneNational:
		switch cc {
		case "380":
			return "0" + nsn
		case "7":
			return "8" + nsn
		}
		return nsn
	case PhoneParen:
		switch cc {
		case "380":
			return "(0" + nsn[:2] + ") " + nsn[2:5] + "-" + nsn[5:7] + "-" + nsn[7:]
		case "7":
			return "8 (" + nsn[:3] + ") " + nsn[3:6] + "-" + nsn[6:8] + "-" + nsn[8:]
		}
		return "0" + nsn[:5] + " " + nsn[5:]
	case PhoneSpaced:
		switch cc {
		case "380":
			return "0" + nsn[:2] + " " + nsn[2:5] + " " + nsn[5:7] + " " + nsn[7:]
		case "7":
			return "8 " + nsn[:3] + " " + nsn[3:6] + " " + nsn[6:8] + " " + nsn[8:]
		}
		return nsn[:5] + " " + nsn[5:]
	case PhoneIntl:
		switch cc {
		case "380":
			return "+380 " + nsn[:2] + " " + nsn[2:5] + " " + nsn[5:7] + " " + nsn[7:]
		case "7":
			return "+7 " + nsn[:3] + " " + nsn[3:6] + "-" + nsn[6:8] + "-" + nsn[8:]
		}
		return "+91 " + nsn[:5] + " " + nsn[5:]
	case PhoneTrunk8:
		switch cc {
		case "380":
			return "8 0" + nsn[:2] + " " + nsn[2:5] + " " + nsn[5:7] + " " + nsn[7:]
		case "7":
			return "8 " + nsn[:3] + " " + nsn[3:6] + " " + nsn[6:8] + " " + nsn[8:]
		}
		return "0" + nsn
	}
	return e164
}

func renderDigits(d string, s Style) string {
	switch s {
	case IDNumber:
		t := strings.TrimLeft(d, "0")
		if t == "" {
			return "0"
		}
		return t
	case IDSpaced, IDDashed:
		if len(d)%4 != 0 {
			return d
		}
		sep := " "
		if s == IDDashed {
			sep = "-"
		}
		var b strings.Builder
		for i := 0; i < len(d); i += 4 {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(d[i : i+4])
		}
		return b.String()
	}
	return d
}

func renderDoc(r *rand.Rand, d string, s Style) string {
	rs := []rune(d)
	cyr, lat := []rune(lookalikeCyr), []rune(lookalikeLat)
	for i, c := range rs {
		j := -1
		for k, x := range cyr {
			if c == x {
				j = k
				break
			}
		}
		if j < 0 {
			continue
		}
		switch s &^ DocSpaced {
		case DocLatin:
			rs[i] = lat[j]
		case DocMixed:
			if r.IntN(2) == 0 {
				rs[i] = lat[j]
			}
		}
	}
	if s&DocSpaced == 0 {
		return string(rs)
	}
	// Split an Indian licence after its state and office codes
	// ("MH12 20110012345"), others where letters end, or a 4-digit series
	// from its number.
	if len(rs) == 15 && !isDigit(rs[0]) && !isDigit(rs[1]) && allDigitsRunes(rs[2:]) {
		return string(rs[:4]) + " " + string(rs[4:])
	}
	for i := 1; i < len(rs); i++ {
		if isDigit(rs[i]) && !isDigit(rs[i-1]) {
			return string(rs[:i]) + " " + string(rs[i:])
		}
	}
	if len(rs) == 10 && allDigitsRunes(rs) {
		return string(rs[:2]) + " " + string(rs[2:4]) + " " + string(rs[4:])
	}
	return string(rs)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func allDigitsRunes(rs []rune) bool {
	for _, r := range rs {
		if !isDigit(r) {
			return false
		}
	}
	return true
}
