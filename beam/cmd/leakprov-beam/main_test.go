package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// The command is run as a process: Beam's flags live on flag.CommandLine,
// which one process parses once.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "leakprov-beam")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	testdata := filepath.Join("..", "..", "..", "testdata")
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1735689600")
		b, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		return string(b), code
	}
	existing := filepath.Join(dir, "exists.lps")
	require.NoError(t, os.WriteFile(existing, nil, 0o600))
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "usage: leakprov-beam index"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"index", "-o", "x.lps", "a.csv"}, "--name is required"},
		{[]string{"index", "--name", "x", "a.csv"}, "-o is required"},
		{[]string{"index", "--name", "x", "-o", existing, "a.csv"}, "exists: --force replaces it"},
		{[]string{"index", "--name", "x", "-o", "x.lps", "a.csv", "--capacity", "5"}, "give flags first"},
		{[]string{"score", "-o", "r.json", "a.csv"}, "--catalog is required"},
		{[]string{"score", "--catalog", "c", "-o", "r.json", "--rows", "-", "a.csv"}, "one a part"},
		{[]string{"index", "--name", "x", "-o", "x.lps", "--map", "phone=colour", "a.csv"}, `unknown kind "colour"`},
		{[]string{"score", "--catalog", "c", "-o", "r.json", "--map", "phone", "a.csv"}, "want COLUMN=KIND"},
	} {
		got, code := run(c.args...)
		assert.Equal(t, 2, code, "%v: a usage error", c.args)
		assert.Contains(t, got, c.want, "%v", c.args)
		assert.Contains(t, got, "leakprov-beam", "%v: errors name the tool", c.args)
	}

	sig := filepath.Join(dir, "bank.lps")
	got, code := run("index", "--name", "bank-2016", "--snapshot", "2016-10-01", "-o", sig, filepath.Join(testdata, "ua", "sources", "bank-2016.csv"))
	require.Equal(t, 0, code, got)
	s, err := fingerprint.ReadFile(sig)
	require.NoError(t, err)
	assert.Equal(t, "bank-2016", s.Meta.Name, "the signature written")
	assert.Positive(t, s.Meta.Records, "records indexed")
	require.NotNil(t, s.Field(canon.Phone), "bank-2016 has phones")

	mapped := filepath.Join(dir, "mapped.lps")
	got, code = run("index", "--name", "bank-2016", "--map", "Телефон=other", "-o", mapped, filepath.Join(testdata, "ua", "sources", "bank-2016.csv"))
	require.Equal(t, 0, code, got)
	s, err = fingerprint.ReadFile(mapped)
	require.NoError(t, err)
	assert.Nil(t, s.Field(canon.Phone), "--map Телефон=other: no phones indexed")

	report := filepath.Join(dir, "report.txt")
	got, code = run("score", "--catalog", filepath.Join(testdata, "catalog"), "--format", "text", "-o", report, filepath.Join(testdata, "leak.csv"))
	require.Equal(t, 0, code, got)
	b, err := os.ReadFile(report)
	require.NoError(t, err)
	assert.Contains(t, string(b), "bank-2016", "the text report names the sources")

	rows := filepath.Join(dir, "rows.csv")
	got, code = run("score", "--catalog", filepath.Join(testdata, "catalog"), "-o", filepath.Join(dir, "r.json"), "--rows", rows,
		filepath.Join(testdata, "leak.csv"), filepath.Join(testdata, "ua", "sample.csv"))
	require.Equal(t, 0, code, got)
	assert.Contains(t, got, filepath.Join(dir, "rows-*-of-*.csv"), "the rows' files named")
	for _, shard := range []string{"rows-00000-of-00002.csv", "rows-00001-of-00002.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, shard))
		require.NoError(t, err, "the rows of a part")
		assert.True(t, strings.HasPrefix(string(b), "row,member,status,"), "%s: rows, header first", shard)
	}
	got, code = run("score", "--catalog", filepath.Join(testdata, "catalog"), "-o", filepath.Join(dir, "r2.json"), "--rows", rows,
		filepath.Join(testdata, "leak.csv"), filepath.Join(testdata, "ua", "sample.csv"))
	assert.Equal(t, 2, code, "existing rows' files: %s", got)
	assert.Contains(t, got, "rows-00000-of-00002.csv exists", "existing rows' files are refused")
	_, err = os.Stat(filepath.Join(dir, "r2.json"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing is written when the rows' files exist")
}
