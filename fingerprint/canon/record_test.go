package canon

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// value is a Value in a comparable form.
type value struct {
	Kind   Kind
	Status Status
	Form   string
}

func values(vs []Value) []value {
	out := make([]value, len(vs))
	for i, v := range vs {
		out[i] = value{v.Kind, v.Status, string(v.Form)}
	}
	return out
}

func form(t *testing.T, k Kind, s string) string {
	t.Helper()
	b, st := Append(nil, k, s, Options{Region: UA})
	require.Truef(t, st.Hashable(), "%s %q canonicalises", k, s)
	return string(b)
}

func TestNormaliserColumnsAndValues(t *testing.T) {
	cols := []Column{{Name: "ПІБ", Kind: Name}, {Name: "tel", Kind: Phone}, {Name: "born", Kind: BirthDate},
		{Name: "note", Kind: Other}, {Name: "mail", Kind: Email}}
	n := NewNormaliser(UA, cols)
	assert.Equal(t, UA, n.Region())
	assert.Equal(t, cols, n.Columns())

	perCol, vals := n.Normalise([]string{" Петренко Іван ", "067 123 45 67", "02.03.1985", "x", "не e-mail"})
	name, phone, born := form(t, Name, "Петренко Іван"), form(t, Phone, "067 123 45 67"), form(t, BirthDate, "02.03.1985")
	assert.Equal(t, []value{{Name, Valid, name}, {Phone, Valid, phone}, {BirthDate, Valid, born}, {Other, Valid, "x"}, {Email, Invalid, ""}},
		values(perCol), "each column's outcome")
	assert.Equal(t, []value{{Name, Valid, name}, {Phone, Valid, phone}, {BirthDate, Valid, born}, {Email, Invalid, ""},
		{NameBirthDate, Valid, name + "\x00" + born}}, values(vals), "values without Other, with the pair")

	perCol, vals = n.Normalise([]string{"", " ", "1985"})
	assert.Equal(t, []value{{Name, Empty, ""}, {Phone, Empty, ""}, {BirthDate, Valid, "1985"}, {Other, Empty, ""}, {Email, Empty, ""}},
		values(perCol), "blank and missing fields are Empty")
	assert.Equal(t, []value{{BirthDate, Valid, "1985"}}, values(vals), "a year of birth makes no pair")
}

func TestNormaliserAssemblesNameParts(t *testing.T) {
	cols := []Column{{Kind: FirstName}, {Kind: LastName}, {Kind: MiddleName}, {Kind: BirthDate}}
	n := NewNormaliser(UA, cols)
	perCol, vals := n.Normalise([]string{"Іван", "Петренко", "Олександрович", "1985-03-02"})
	assert.Equal(t, []value{{FirstName, Valid, form(t, Name, "Іван")}, {LastName, Valid, form(t, Name, "Петренко")},
		{MiddleName, Valid, form(t, Name, "Олександрович")}, {BirthDate, Valid, "1985-03-02"}}, values(perCol),
		"each part is canonicalised as a name for its column")
	name := form(t, Name, "Петренко Іван Олександрович")
	assert.Equal(t, []value{{BirthDate, Valid, "1985-03-02"}, {Name, Valid, name}, {NameBirthDate, Valid, name + "\x00" + "1985-03-02"}},
		values(vals), "the parts make one name, last first middle, and the pair")

	withName := NewNormaliser(UA, append([]Column{{Kind: Name}}, cols...))
	_, vals = withName.Normalise([]string{"Ivan Petrenko", "Іван", "Петренко", "", "1985-03-02"})
	name = form(t, Name, "Ivan Petrenko")
	assert.Equal(t, []value{{Name, Valid, name}, {BirthDate, Valid, "1985-03-02"}, {NameBirthDate, Valid, name + "\x00" + "1985-03-02"}},
		values(vals), "a whole-name value wins over the parts")
	_, vals = withName.Normalise([]string{"", "Іван", "Петренко", "", ""})
	assert.Equal(t, []value{{Name, Valid, form(t, Name, "Петренко Іван")}}, values(vals), "parts stand in for a blank name")
}

func TestNormaliserKeepsCheckFailedIDs(t *testing.T) {
	// A wrong check digit is hashed (copies of a fabricated set still
	// match) and reported CheckFailed; it does not touch the pair.
	n := NewNormaliser(UA, []Column{{Kind: Name}, {Kind: BirthDate}, {Kind: NationalID}})
	perCol, vals := n.Normalise([]string{"Петренко Іван", "1985-03-02", "1234567890"})
	require.Len(t, vals, 4, "name, date, ID and pair")
	assert.Equal(t, value{NationalID, CheckFailed, "1234567890"}, values(vals)[2], "the ID value")
	assert.Equal(t, CheckFailed, perCol[2].Status, "the ID column")
	assert.Equal(t, Valid, vals[3].Status, "the pair of a valid name and date")
}

func TestNormaliserFormsStayValidUntilNextCall(t *testing.T) {
	n := NewNormaliser(UA, []Column{{Kind: Email}, {Kind: Phone}})
	perCol, vals := n.Normalise([]string{"A.B@Example.com", "+380671234567"})
	a, b := string(perCol[0].Form), string(vals[1].Form)
	assert.Equal(t, "a.b@example.com", a)
	assert.Equal(t, "+380671234567", b)
	assert.Zero(t, testing.AllocsPerRun(100, func() { n.Normalise([]string{"c@d.ua", "+380501234567"}) }),
		"Normalise of e-mail and phone allocates nothing once warm")
}

func TestStatusEmpty(t *testing.T) {
	assert.Equal(t, "empty", Empty.String())
	assert.False(t, Empty.Hashable(), "an empty value has no form")
	_, st := Append(nil, Phone, "   ", Options{Region: UA})
	assert.Equal(t, Invalid, st, "Append never returns Empty")
}

// A header that is really a record does not leave the dump by its names.
func TestColumnShareable(t *testing.T) {
	names := []string{"Телефон", "phone_2", "email", "+380501234567", "ivan.petrenko@example.com",
		"3251418835", "4111 1111 1111 1111", "Петренко Іван"}
	want := []string{"Телефон", "phone_2", "email", "column 4", "column 5", "column 6", "column 7", "Петренко Іван"}
	for i, name := range names {
		c := Column{Name: name, Kind: Phone}
		assert.Equalf(t, want[i], c.Shareable(i, UA).Name, "name %q of column %d", name, i+1)
		assert.Equal(t, Phone, c.Shareable(i, UA).Kind, "the kind is kept")
	}
}
