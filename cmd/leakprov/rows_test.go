package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readCSV reads a CSV with a header into maps.
func readCSV(t *testing.T, text string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// --rows agrees with the bundled scenarios' known truth row for row: no row
// misses a source its person is in (filters have no false negatives), and
// the rows that name one more are few, as the filters' false-positive
// rate and the chance model allow.
func TestRowsMatchTruth(t *testing.T) {
	for _, sc := range []string{"ua", "in", "kz", "rp"} {
		samples, err := filepath.Glob(filepath.Join(repo, "testdata", sc, "sample.*"))
		require.NoError(t, err)
		require.Len(t, samples, 1, sc)
		code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"),
			"-o", filepath.Join(t.TempDir(), "report.txt"), "--rows", "-", samples[0])
		require.Equal(t, 0, code, "%s: %s", sc, stderr)
		got := readCSV(t, out)
		truth, err := os.ReadFile(filepath.Join(repo, "testdata", sc, "rows.csv"))
		require.NoError(t, err)
		want := readCSV(t, string(truth))
		require.Len(t, got, len(want), "%s: one row per record", sc)
		extra := 0
		for i, w := range want {
			g := got[i]
			require.Equal(t, w["row"], g["row"], "%s row %d", sc, i+1)
			assert.Equal(t, samples[0], g["member"], "%s row %d", sc, i+1)
			for _, src := range split(w["sources"]) {
				assert.Contains(t, split(g["sources"]), src, "%s row %s: a true source is never missed", sc, w["row"])
			}
			for _, src := range split(w["joint_sources"]) {
				assert.Contains(t, split(g["joint_sources"]), src, "%s row %s: a true joint match is never missed", sc, w["row"])
			}
			if g["status"] != w["status"] || g["sources"] != w["sources"] || g["joint_sources"] != w["joint_sources"] {
				extra++
				assert.Equal(t, "matched", g["status"], "%s row %s: a disagreement is an extra match", sc, w["row"])
			}
			if g["status"] == "matched" {
				assert.NotEmpty(t, g["kinds"], "%s row %s: a match names its kinds", sc, w["row"])
			}
		}
		assert.LessOrEqual(t, extra, len(want)/200, "%s: rows disagreeing with the truth (at most 0.5%%)", sc)
	}
}

// Rows name each record's member and its place there; --show-values
// appends the record's fields; the rows file is written whole, for its
// owner only.
func TestRowsOfMembers(t *testing.T) {
	dir := t.TempDir()
	rows, report := filepath.Join(dir, "rows.csv"), filepath.Join(dir, "report.json")
	code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--format", "json",
		"-o", report, "--rows", rows, "--show-values", filepath.Join(archives, "parts.zip"))
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, out, "the report went to -o")
	fi, err := os.Stat(rows)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the rows file's permissions")
	b, err := os.ReadFile(rows)
	require.NoError(t, err)
	got := readCSV(t, string(b))
	require.Len(t, got, 2000)
	first, second := filepath.Join(archives, "parts.zip")+"!a/first.csv", filepath.Join(archives, "parts.zip")+"!b/second.csv"
	assert.Equal(t, first, got[0]["member"])
	assert.Equal(t, "1", got[0]["row"])
	assert.Equal(t, second, got[1000]["member"])
	assert.Equal(t, "1", got[1000]["row"], "rows count within their member")
	assert.Equal(t, "1000", got[1999]["row"])
	assert.Equal(t, "Софія Тимошенко", got[0]["ФИО"], "--show-values appends the fields")

	code, _, stderr = leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"),
		"--rows", rows, filepath.Join(repo, "testdata", "leak.csv"))
	assert.Equal(t, 2, code, "an existing --rows file without --force")
	assert.Contains(t, stderr, "--force")
	code, _, stderr = leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--rows", "-",
		filepath.Join(repo, "testdata", "leak.csv"))
	assert.Equal(t, 2, code, "--rows - without -o")
	assert.Contains(t, stderr, "-o FILE")

	// Without values, no field of the sample is written.
	code, _, stderr = leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--force",
		"-o", report, "--rows", rows, filepath.Join(repo, "testdata", "leak.csv"))
	require.Equal(t, 0, code, stderr)
	b, err = os.ReadFile(rows)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Тимошенко", "rows without --show-values hold no values")
	header := strings.SplitN(string(b), "\n", 2)[0]
	assert.Equal(t, "row,member,status,sources,joint_sources,kinds", header)
	assert.True(t, slices.ContainsFunc(readCSV(t, string(b)), func(m map[string]string) bool { return m["status"] == "unmatched" }))
}
