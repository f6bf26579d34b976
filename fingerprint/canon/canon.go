package canon

import (
	"strings"
)

// Version is the version of the canonicalisation rules. It is written
// into every signature. It is bumped whenever any canonical form changes,
// and [Differences] says what each version spells differently.
const Version = 2

// CompatibleSince is the oldest version whose canonical values can still
// be looked up among values of Version, and the other way round: between
// CompatibleSince and Version the forms differ only for rare values, which
// [Differences] names, so a score against a source built with an older
// version is right but for those values. Versions older than it, or newer
// than Version, cannot be compared.
const CompatibleSince = 1

// changes says, for each version after CompatibleSince, which values it
// canonicalises differently from the version before, as a phrase for a
// report.
var changes = [Version + 1]string{
	2: "values written with non-ASCII digits or full-width forms, e-mail addresses in non-NFC form or past the RFC 5321 length limits, " +
		"and e-mail domains with reserved or invalid IDNA labels",
}

// Differences says which values version v canonicalises differently from
// Version, as a phrase for a report ("values written with non-ASCII digits
// ..."): the values that cannot match across the two versions. It returns
// "" and true when v is Version, and "" and false when v cannot be compared
// with Version at all (older than [CompatibleSince], or newer than
// Version).
func Differences(v int) (string, bool) {
	if v < CompatibleSince || v > Version {
		return "", false
	}
	var parts []string
	for w := v + 1; w <= Version; w++ {
		parts = append(parts, changes[w])
	}
	return strings.Join(parts, "; "), true
}

// Region is an ISO 3166-1 alpha-2 country code in upper case, such as "UA".
// The empty Region means unknown: only values that carry their own country
// (a phone with its country code) canonicalise without one.
type Region string

// Regions with country-specific rules.
const (
	UA Region = "UA"
	RU Region = "RU"
	KZ Region = "KZ"
	IN Region = "IN"
)

// KnownRegions lists the regions with country-specific rules.
var KnownRegions = []Region{UA, RU, KZ, IN}

// ParseRegion upper-cases s and reports whether it is a two-letter code.
func ParseRegion(s string) (Region, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", true
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return "", false
	}
	return Region(s), true
}

// Status is the outcome of canonicalising one value.
type Status uint8

const (
	// Invalid means the value has no canonical form for the kind. It is
	// counted as invalid and never hashed.
	Invalid Status = iota
	// Valid means the value has a canonical form and passes every check.
	Valid
	// CheckFailed means the value has a canonical form (and is hashed, so
	// copies of a fabricated set still match) but its check digit is wrong.
	// It is counted as invalid.
	CheckFailed
	// Empty means there was no value: the field is blank or all space. It is
	// neither counted nor hashed. [Append] never returns it; a [Normaliser]
	// reports it for blank fields.
	Empty
)

// String returns "invalid", "valid", "check-failed" or "empty".
func (s Status) String() string {
	switch s {
	case Valid:
		return "valid"
	case CheckFailed:
		return "check-failed"
	case Empty:
		return "empty"
	}
	return "invalid"
}

// Hashable reports whether a value with this status has a canonical form.
func (s Status) Hashable() bool { return s == Valid || s == CheckFailed }

// DateOrder says how to read an ambiguous numeric date such as 03.04.1990.
// Dates with a four-digit first field are always year-first.
type DateOrder uint8

const (
	// DayFirst reads dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy.
	DayFirst DateOrder = iota
	// MonthFirst reads mm/dd/yyyy.
	MonthFirst
)

// Options configure [Append].
type Options struct {
	// Region resolves national phone formats and national ID schemes.
	Region Region
	// DateOrder reads ambiguous dates; decide it per column with
	// [DetectDateOrder].
	DateOrder DateOrder
}

// Append appends the canonical form of s, a value of kind k, to dst
// and returns the extended buffer and the value's status. When the status is
// Invalid, dst is returned unchanged. It does not allocate for the kinds on
// the hot path (phone, email, IDs, dates, documents, names) when dst has room.
//
// Name parts (first, last, middle) canonicalise like names. NameBirthDate is
// not a column kind: build it with [AppendNameBirthDate].
func Append(dst []byte, k Kind, s string, o Options) ([]byte, Status) {
	switch k {
	case Name, FirstName, LastName, MiddleName:
		return AppendName(dst, s)
	case Phone:
		return AppendPhone(dst, s, o.Region)
	case Email:
		return AppendEmail(dst, s)
	case BirthDate:
		return AppendDate(dst, s, o.DateOrder)
	case NationalID:
		return AppendNationalID(dst, s, o.Region)
	case Passport, DriverLicence:
		return AppendDocument(dst, s)
	case CardNumber:
		return AppendCard(dst, s)
	case Address:
		return AppendText(dst, s)
	case Username:
		return AppendText(dst, s)
	case Password:
		return appendRaw(dst, s)
	case Other:
		return appendRaw(dst, s)
	}
	return dst, Invalid
}

// AppendNameBirthDate appends the canonical (name, birth_date) pair built
// from an already canonical name and an already canonical date.
func AppendNameBirthDate(dst, name, date []byte) []byte {
	dst = append(dst, name...)
	dst = append(dst, 0)
	return append(dst, date...)
}

// appendRaw keeps the value as written, trimmed of surrounding space.
func appendRaw(dst []byte, s string) ([]byte, Status) {
	s = strings.TrimSpace(s)
	if s == "" {
		return dst, Invalid
	}
	return append(dst, s...), Valid
}
