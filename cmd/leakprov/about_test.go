package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// index --description and --url describe the source in its signature;
// inspect shows them, and so does every report that cites the source,
// which states, under SOURCE_DATE_EPOCH, the time it was made.
func TestIndexDescribesTheSource(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600")
	dir := t.TempDir()
	sig := filepath.Join(dir, "bank-2016.lps")
	dump := filepath.Join(repo, "testdata", "ua", "sources", "bank-2016.csv")
	code, _, stderr := leakprov(t, "index", "--name", "bank-2016", "--snapshot", "2016-10-01", "--region", "UA",
		"--description", "Bank customers, sold on a forum", "--url", "https://example.org/bank-2016", "-o", sig, dump)
	require.Equal(t, 0, code, "index: %s", stderr)

	code, out, stderr := leakprov(t, "inspect", sig)
	require.Equal(t, 0, code, "inspect: %s", stderr)
	assert.Contains(t, out, "description: Bank customers, sold on a forum", "inspect shows the description")
	assert.Contains(t, out, "url: https://example.org/bank-2016", "inspect shows the url")
	code, out, stderr = leakprov(t, "inspect", "--format", "json", sig)
	require.Equal(t, 0, code, "inspect --format json: %s", stderr)
	var d struct {
		Meta struct {
			Description string `json:"description"`
			URL         string `json:"url"`
		} `json:"meta"`
		SHA256 string `json:"sha256"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.Equal(t, "Bank customers, sold on a forum", d.Meta.Description, "inspect --format json: meta.description")
	assert.Equal(t, "https://example.org/bank-2016", d.Meta.URL, "inspect --format json: meta.url")
	assert.Len(t, d.SHA256, 64, "inspect --format json: the file's sha256")

	leak := filepath.Join(repo, "testdata", "ua", "sample.csv")
	code, out, stderr = leakprov(t, "score", "--catalog", sig, "--format", "json", leak)
	require.Equal(t, 0, code, "score: %s", stderr)
	var rep struct {
		Created string `json:"created"`
		Sources []struct {
			Name            string   `json:"name"`
			Description     string   `json:"description"`
			URL             string   `json:"url"`
			DataClasses     []string `json:"data_classes"`
			SignatureSHA256 string   `json:"signature_sha256"`
		} `json:"sources"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "2025-01-01T00:00:00Z", rep.Created, "SOURCE_DATE_EPOCH pins the report's time")
	require.Len(t, rep.Sources, 1)
	assert.Equal(t, "Bank customers, sold on a forum", rep.Sources[0].Description, "the report cites the description")
	assert.Equal(t, "https://example.org/bank-2016", rep.Sources[0].URL, "the report cites the url")
	assert.Equal(t, d.SHA256, rep.Sources[0].SignatureSHA256, "the report cites the signature inspect describes")
	assert.NotEmpty(t, rep.Sources[0].DataClasses, "data classes")

	for _, format := range []string{"text", "markdown", "csv", "stix", "misp"} {
		code, out, stderr := leakprov(t, "score", "--catalog", sig, "--format", format, leak)
		require.Equal(t, 0, code, "score --format %s: %s", format, stderr)
		assert.Contains(t, out, "Bank customers, sold on a forum", "--format %s: the description", format)
		assert.Contains(t, out, "2025-01-01", "--format %s: when the report was made", format)
		assert.Contains(t, out, d.SHA256, "--format %s: the signature's SHA-256", format)
	}
	code, out, stderr = leakprov(t, "score", "--catalog", sig, "--format", "csv", leak)
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err, "score --format csv parses")
	assert.Len(t, rows, 2, "a header and one row per source")

	for _, bad := range [][]string{
		{"--url", "javascript:alert(1)"},
		{"--url", "example.org"},
		{"--description", strings.Repeat("x", 5000)},
	} {
		args := append([]string{"index", "--name", "x", "-o", filepath.Join(dir, "x.lps")}, bad...)
		code, _, stderr := leakprov(t, append(args, dump)...)
		assert.Equal(t, 2, code, "index %v: exit 2", bad)
		assert.NotEmpty(t, stderr, "index %v: says why", bad)
	}
}
