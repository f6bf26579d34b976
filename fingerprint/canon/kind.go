package canon

import (
	"fmt"
)

// Kind is the kind of a field: what a column of a dump holds. Its string
// forms (see [Kind.String]) are part of the CLI and JSON contract; its
// numeric values are part of the signature file format and never change.
type Kind uint8

// Field kinds. Strong identifiers are Phone, Email, NationalID, Passport,
// DriverLicence and the pair NameBirthDate.
const (
	Other         Kind = 0
	Name          Kind = 1
	FirstName     Kind = 2
	LastName      Kind = 3
	MiddleName    Kind = 4
	Phone         Kind = 5
	Email         Kind = 6
	BirthDate     Kind = 7
	NationalID    Kind = 8
	Passport      Kind = 9
	DriverLicence Kind = 10
	CardNumber    Kind = 11
	Address       Kind = 12
	Password      Kind = 13
	Username      Kind = 14
	// NameBirthDate is the pseudo-kind of a record's (name, birth_date)
	// pair, which together identify a person. It never names a column.
	NameBirthDate Kind = 15
)

// KindCount is the number of kinds: every valid Kind is below it, so
// tables indexed by kind have KindCount entries.
const KindCount = 16

var kindNames = [KindCount]string{
	Other:         "other",
	Name:          "name",
	FirstName:     "first_name",
	LastName:      "last_name",
	MiddleName:    "middle_name",
	Phone:         "phone",
	Email:         "email",
	BirthDate:     "birth_date",
	NationalID:    "national_id",
	Passport:      "passport",
	DriverLicence: "driver_licence",
	CardNumber:    "card_number",
	Address:       "address",
	Password:      "password",
	Username:      "username",
	NameBirthDate: "name+birth_date",
}

// StrongKinds lists the strong identifiers, in a stable order.
var StrongKinds = []Kind{Phone, Email, NationalID, Passport, DriverLicence, NameBirthDate}

// String returns the kind's contract name, e.g. "driver_licence".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k < KindCount }

// Strong reports whether k is a strong identifier.
func (k Kind) Strong() bool {
	switch k {
	case Phone, Email, NationalID, Passport, DriverLicence, NameBirthDate:
		return true
	}
	return false
}

// IsNamePart reports whether k is first_name, last_name or middle_name.
func (k Kind) IsNamePart() bool { return k == FirstName || k == LastName || k == MiddleName }

// ErrUnknownKind is returned by [ParseKind] for a name that is not a kind.
var ErrUnknownKind = fmt.Errorf("fingerprint: unknown kind")

// ParseKind returns the kind named s ("phone", "driver_licence", ...).
// "card" is accepted as an alias of "card_number", "driver_license" of
// "driver_licence".
func ParseKind(s string) (Kind, error) {
	switch s {
	case "card":
		return CardNumber, nil
	case "driver_license":
		return DriverLicence, nil
	}
	for k, n := range kindNames {
		if n == s {
			return Kind(k), nil
		}
	}
	return Other, fmt.Errorf("%w %q", ErrUnknownKind, s)
}

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w %d", ErrUnknownKind, k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
