package provenance

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinSchemas(t *testing.T) {
	all, err := BuiltinSchemas()
	require.NoError(t, err)
	names := []string{}
	for _, s := range all {
		names = append(names, s.Name)
		require.NoErrorf(t, s.Validate(), "schema %s", s.Name)
		assert.NotEmptyf(t, s.Notes, "schema %s cites its facts", s.Name)
	}
	assert.Equal(t, []string{"cowin-beneficiary", "diia-driver-licence", "e-astana-kindergarten", "reserve-plus"}, names, "built-in schemas")

	diia, err := LoadSchema("diia-driver-licence")
	require.NoError(t, err)
	assert.EqualValues(t, 9500000, diia.Population, "Diia population")
	assert.Equal(t, "2019-12-01", diia.Launched, "Diia launch")
	assert.Nil(t, diia.Held(canon.Phone), "Diia holds no phone")
	assert.Nil(t, diia.Held(canon.Password), "Diia holds no password")
	assert.NotNil(t, diia.Held(canon.FirstName), "a name part counts as name")
	cowin, err := LoadSchema("cowin-beneficiary")
	require.NoError(t, err)
	assert.Equal(t, "year", cowin.Held(canon.BirthDate).Precision, "CoWIN holds the year of birth")
	assert.Nil(t, cowin.Held(canon.Address), "CoWIN holds no address")
}

func TestLoadSchemaFromFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bank.yaml")
	require.NoError(t, os.WriteFile(p, []byte("name: bank\nsystem: Bank\ncountry: ua\npopulation: 100\nholds:\n  - phone\n  - kind: national_id\n    check: rnokpp\n"), 0o600))
	s, err := LoadSchema(p)
	require.NoError(t, err)
	assert.Equal(t, "UA", s.Country, "country upper-cased")
	assert.Equal(t, "rnokpp", s.Held(canon.NationalID).Check, "check scheme")

	j := filepath.Join(dir, "bank.json")
	require.NoError(t, os.WriteFile(j, []byte(`{"name": "bank", "holds": ["phone", {"kind": "email"}]}`), 0o600))
	s, err = LoadSchema(j)
	require.NoError(t, err, "JSON is YAML")
	assert.NotNil(t, s.Held(canon.Email), "JSON schema holds email")

	_, err = LoadSchema(filepath.Join(dir, "missing.yaml"))
	assert.ErrorIs(t, err, ErrUnknownSchema, "neither built-in nor file")
}

func TestSchemaMistakesNameFieldAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		field     string
	}{
		{"bad kind", "name: x\nholds:\n  - phone\n  - telefon\n", 4, "holds[1]"},
		{"bad kind in mapping", "name: x\nholds:\n  - kind: phnoe\n", 3, "holds[0].kind"},
		{"unknown field", "name: x\npopulaton: 5\nholds: [phone]\n", 2, "populaton"},
		{"unknown held field", "name: x\nholds:\n  - kind: phone\n    patern: x\n", 4, "holds[0].patern"},
		{"bad population", "name: x\npopulation: many\nholds: [phone]\n", 2, "population"},
		{"bad date", "name: x\nlaunched: 2019-13-01\nholds: [phone]\n", 2, "launched"},
		{"bad pattern", "name: x\nholds:\n  - kind: passport\n    pattern: '[A-Z'\n", 4, "holds[0].pattern"},
		{"bad check", "name: x\nholds:\n  - kind: national_id\n    check: mod97\n", 4, "holds[0].check"},
		{"bad precision", "name: x\nholds:\n  - kind: birth_date\n    precision: month\n", 4, "holds[0].precision"},
		{"precision on a non-date", "name: x\nholds:\n  - kind: phone\n    precision: year\n", 3, "holds[0].precision"},
		{"twice", "name: x\nholds:\n  - phone\n  - phone\n", 4, "holds[1].kind"},
		{"missing holds", "name: x\n", 1, "holds"},
		{"bad country", "name: x\ncountry: Ukraine\nholds: [phone]\n", 2, "country"},
		// The YAML parser itself reports syntax errors at the line of the enclosing
		// item (here the list entry before the tab).
		{"not yaml", "name: x\nholds:\n  - phone\n\tbad: tab\n", 3, ""},
	} {
		_, err := ParseSchema("user.yaml", []byte(tc.doc))
		require.Errorf(t, err, "%s", tc.name)
		assert.ErrorIsf(t, err, ErrSchema, "%s", tc.name)
		var se *SchemaError
		require.Truef(t, errors.As(err, &se), "%s: a *SchemaError", tc.name)
		assert.Equalf(t, tc.line, se.Line, "%s: line (%v)", tc.name, err)
		assert.Equalf(t, tc.field, se.Field, "%s: field (%v)", tc.name, err)
		assert.Containsf(t, err.Error(), "user.yaml:", "%s: message names the file", tc.name)
	}
}
