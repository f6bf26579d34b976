package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leakprov/leakprov/fingerprint"
)

var archives = filepath.Join(repo, "testdata", "archives")

// scoreJSON scores a sample against the bundled catalog and returns the
// report without the parts that name the sample's files.
func scoreJSON(t *testing.T, input []byte, args ...string) (map[string]any, []any) {
	t.Helper()
	if input != nil {
		defer func(r io.Reader) { stdin = r }(stdin)
		stdin = bytes.NewReader(input)
	}
	code, out, stderr := leakprov(t, append([]string{"score", "--catalog", filepath.Join(repo, "testdata", "catalog"),
		"--schema", "diia-driver-licence", "--format", "json"}, args...)...)
	require.Equal(t, 0, code, "score %v: %s", args, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "score %v", args)
	sample := rep["sample"].(map[string]any)
	files := sample["files"].([]any)
	delete(sample, "path")
	delete(sample, "files")
	return rep, files
}

// A sample scores the same compressed, archived, split across an archive's
// members, nested, or piped into standard input.
func TestScoreContainersLikeTheFile(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600") // reports state when they were made
	leak := filepath.Join(repo, "testdata", "leak.csv")
	want, files := scoreJSON(t, nil, leak)
	require.Len(t, files, 1)
	assert.Equal(t, leak, files[0].(map[string]any)["path"])
	raw, err := os.ReadFile(leak)
	require.NoError(t, err)
	zipped, err := os.ReadFile(filepath.Join(archives, "leak.zip"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		stdin   []byte
		args    []string
		members int
	}{
		{"zip", nil, []string{filepath.Join(archives, "leak.zip")}, 1},
		{"7z", nil, []string{filepath.Join(archives, "leak.7z")}, 1},
		{"tar.zst", nil, []string{filepath.Join(archives, "leak.tar.zst")}, 1},
		{"bz2", nil, []string{filepath.Join(archives, "leak.csv.bz2")}, 1},
		{"two members", nil, []string{filepath.Join(archives, "parts.zip")}, 2},
		{"nested", nil, []string{filepath.Join(archives, "nested.zip")}, 2},
		{"two files", nil, []string{filepath.Join(archives, "leak.csv.xz"), filepath.Join(archives, "leak.tar.gz")}, 2},
		{"stdin", raw, []string{"-"}, 1},
		{"zip on stdin", zipped, []string{"-"}, 1},
	} {
		got, files := scoreJSON(t, tc.stdin, tc.args...)
		assert.Len(t, files, tc.members, tc.name)
		if tc.name == "two files" {
			// The same records twice: the same shares, twice the records.
			assert.EqualValues(t, 4000, got["sample"].(map[string]any)["records"], tc.name)
			continue
		}
		assert.Equal(t, want, got, "%s: the report of the unpacked file", tc.name)
	}
}

// profile prints one object for one plain file, and the members of
// anything else.
func TestProfileMembers(t *testing.T) {
	code, out, stderr := leakprov(t, "profile", "--format", "json", filepath.Join(archives, "leak.csv.gz"))
	require.Equal(t, 0, code, stderr)
	var one map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &one))
	assert.Equal(t, "gzip", one["compression"], "profile of a compressed file")

	code, out, stderr = leakprov(t, "profile", "--format", "json", filepath.Join(archives, "parts.zip"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "parts.zip!a/logo.png: skipped", "a picture in the archive is passed over, with a warning")
	var many struct {
		Files []struct {
			Path    string `json:"path"`
			Records int    `json:"records"`
		} `json:"files"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &many))
	require.Len(t, many.Files, 2, "profile of an archive")
	assert.Equal(t, filepath.Join(archives, "parts.zip")+"!a/first.csv", many.Files[0].Path)
	assert.Equal(t, 1000, many.Files[1].Records)
}

// index records every member, under its path from the input's last
// element on, with the member's own SHA-256: the same file archived is
// still the same data.
func TestIndexMembers(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600")
	dir := t.TempDir()
	out := filepath.Join(dir, "nested.lps")
	code, _, stderr := leakprov(t, "index", "--name", "nested", "-o", out, filepath.Join(archives, "nested.zip"))
	require.Equal(t, 0, code, stderr)
	sig, err := fingerprint.ReadFile(out)
	require.NoError(t, err)
	require.Len(t, sig.Meta.Inputs, 2)
	assert.Equal(t, "nested.zip!inner.zip!a/first.csv", sig.Meta.Inputs[0].Path)
	assert.Equal(t, "nested.zip!second.tar.gz!b/second.csv", sig.Meta.Inputs[1].Path)
	assert.EqualValues(t, 2000, sig.Meta.Records)

	code, _, stderr = leakprov(t, "index", "--name", "twice", "-o", filepath.Join(dir, "twice.lps"),
		filepath.Join(repo, "testdata", "leak.csv"), filepath.Join(archives, "leak.tar.xz"))
	assert.Equal(t, 2, code, "a file and an archive of it")
	assert.Contains(t, stderr, "same data", "a file and an archive of it")

	code, _, stderr = leakprov(t, "index", "--name", "deep", "-o", filepath.Join(dir, "deep.lps"), filepath.Join(archives, "deep.zip"))
	assert.Equal(t, 2, code, "an archive nested too deep")
	assert.Contains(t, stderr, "deep.zip!mid.zip!inner.zip", "the error names the member")
	assert.NoFileExists(t, filepath.Join(dir, "deep.lps"), "nothing written on error")
}
