package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/internal/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// testdata is the repository's fixture directory, from this package.
const testdata = "../../../testdata"

// TestFixturesCommitted fails when the committed fixtures differ from what
// gendata writes now. Regenerate them with: go run ./internal/cmd/gendata
func TestFixturesCommitted(t *testing.T) {
	files, err := Fixtures()
	require.NoError(t, err)
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(testdata, filepath.FromSlash(p)))
		if !assert.NoError(t, err, "%s: run go run ./internal/cmd/gendata", p) {
			continue
		}
		assert.True(t, bytes.Equal(want, got), "testdata/%s differs from what gendata writes: run go run ./internal/cmd/gendata", p)
	}
	// No stale files in the scenario directories.
	for _, sc := range Scenarios() {
		root := filepath.Join(testdata, sc.Name)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			rel, _ := filepath.Rel(testdata, path)
			_, ok := files[filepath.ToSlash(rel)]
			assert.True(t, ok, "testdata/%s is not written by gendata", rel)
			return nil
		})
		assert.NoError(t, err)
	}
}

func TestFixturesDeterministic(t *testing.T) {
	a, err := Fixtures()
	require.NoError(t, err)
	b, err := Fixtures()
	require.NoError(t, err)
	assert.Equal(t, a, b)
	total := 0
	for _, v := range a {
		total += len(v)
	}
	assert.Less(t, total, 1_700_000, "fixtures stay small (1.6 MB of dumps and samples, 45 kB of per-row truth)")
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"x/y.csv": []byte("a,b\n"), "leak.csv": []byte("c\n")}
	require.NoError(t, writeAll(dir, files))
	got, err := os.ReadFile(filepath.Join(dir, "x", "y.csv"))
	require.NoError(t, err)
	assert.Equal(t, "a,b\n", string(got))
}

// uaPhone turns a Ukrainian phone as the fixtures spell it into E.164
// digits, independently of package synth.
func uaPhone(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	switch {
	case len(d) == 12 && string(d[:3]) == "380":
		return string(d)
	case len(d) == 11 && string(d[:2]) == "80":
		return "3" + string(d)
	case len(d) == 10 && d[0] == '0':
		return "38" + string(d)
	}
	return "bad:" + s
}

// TestUATruthFromText recomputes parts of the UA truth from the written
// text alone: phone containment per source and the licence column.
func TestUATruthFromText(t *testing.T) {
	files, err := Fixtures()
	require.NoError(t, err)
	var truth synth.Truth
	require.NoError(t, json.Unmarshal(files["ua/truth.json"], &truth))

	sample := readCSV(t, files["ua/sample.csv"], ',')
	require.Equal(t, []string{"ФИО", "Телефон", "Дата рождения", "Email", "Номер ВУ"}, sample[0])
	require.Len(t, sample, truth.Records+1)

	bankText, err := charmap.Windows1251.NewDecoder().Bytes(files["ua/sources/bank-2016.csv"])
	require.NoError(t, err)
	bank := readCSV(t, bankText, ';')
	require.Equal(t, []string{"ПІБ", "Телефон", "Дата народження", "ІПН"}, bank[0])
	bankPhones := map[string]bool{}
	short := 0
	for _, row := range bank[1:] {
		bankPhones[uaPhone(row[1])] = true
		if len(row[3]) == 9 {
			short++
		}
	}
	assert.Positive(t, short, "some RNOKPPs lost their leading zero")

	socialPhones, socialEmails := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(files["ua/sources/social-2013.jsonl"])), "\n") {
		var rec struct {
			Contacts struct{ Mobile, Email string }
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec.Contacts.Mobile != "" {
			socialPhones[uaPhone(rec.Contacts.Mobile)] = true
		}
		socialEmails[rec.Contacts.Email] = true
	}

	inBank, inSocial, emails, emailsInSocial := 0, 0, 0, 0
	for _, row := range sample[1:] {
		p := uaPhone(row[1])
		require.False(t, strings.HasPrefix(p, "bad:"), "phone %q", row[1])
		if bankPhones[p] {
			inBank++
		}
		if socialPhones[p] {
			inSocial++
		}
		if row[3] != "" {
			emails++
			if socialEmails[row[3]] {
				emailsInSocial++
			}
		}
		assert.Regexp(t, `^[А-ЯІA-Z]{3} ?[0-9]{6}$`, row[4], "licence")
	}
	n := float64(truth.Identified)
	assert.InDelta(t, truth.Fields["bank-2016"]["phone"], float64(inBank)/n, 0.00005)
	assert.InDelta(t, truth.Fields["social-2013"]["phone"], float64(inSocial)/n, 0.00005)
	assert.InDelta(t, truth.Fields["social-2013"]["email"], float64(emailsInSocial)/float64(emails), 0.00005)
	assert.Equal(t, []string{"driver_licence"}, truth.NovelFields)
	assert.Equal(t, synth.VerdictMixed, truth.Verdict)
}

func readCSV(t *testing.T, b []byte, comma rune) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = comma
	rows, err := r.ReadAll()
	require.NoError(t, err)
	return rows
}

// TestRPHarvestIsNew checks from the written text that the Reserve+ harvest
// holds exactly what Reserve+ holds and that none of its phones is in the
// old delivery dump.
func TestRPHarvestIsNew(t *testing.T) {
	files, err := Fixtures()
	require.NoError(t, err)
	sample := readCSV(t, files["rp/sample.csv"], ',')
	require.Equal(t, []string{"ПІБ", "Дата народження", "РНОКПП", "Телефон"}, sample[0])
	delivery := readCSV(t, files["rp/sources/delivery-2022.csv"], ',')
	known := map[string]bool{}
	for _, row := range delivery[1:] {
		known[uaPhone(row[1])] = true
	}
	for _, row := range sample[1:] {
		assert.False(t, known[uaPhone(row[3])], "harvested phone %s is in the delivery dump", row[3])
		assert.Regexp(t, `^[0-9]{10}$`, row[2], "RNOKPP")
	}
	var truth synth.Truth
	require.NoError(t, json.Unmarshal(files["rp/truth.json"], &truth))
	assert.Equal(t, synth.VerdictNew, truth.Verdict)
	require.NotNil(t, truth.Claim)
	assert.True(t, truth.Claim.Consistent, "the harvest fits the Reserve+ schema")
}
