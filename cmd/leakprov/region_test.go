package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWrongRegionIsRefused: a Ukrainian dump indexed, and a Ukrainian leak
// scored, under --region RU fail (exit 2) naming the column and the region
// the values point to, unless --force-region.
func TestWrongRegionIsRefused(t *testing.T) {
	dump := filepath.Join(repo, "testdata", "ua", "sources", "bank-2016.csv")
	out := filepath.Join(t.TempDir(), "bank.lps")
	code, _, stderr := leakprov(t, "index", "-q", "--name", "bank", "--region", "RU", "-o", out, dump)
	assert.Equal(t, 2, code, "index of a UA dump under RU: %s", stderr)
	assert.Contains(t, stderr, "under region RU", "index: the error says which region misreads")
	assert.Contains(t, stderr, "under UA", "index: and which region reads the values")
	assert.Contains(t, stderr, "--force-region", "index: the hint names the way out")
	assert.NoFileExists(t, out, "nothing written")

	code, _, stderr = leakprov(t, "index", "-q", "--name", "bank", "--region", "RU", "--force-region", "-o", out, dump)
	assert.Equal(t, 0, code, "index forced: %s", stderr)
	assert.FileExists(t, out, "forced: written")

	leak := filepath.Join(repo, "testdata", "leak.csv")
	catalog := filepath.Join(repo, "testdata", "catalog")
	code, _, stderr = leakprov(t, "score", "--catalog", catalog, "--region", "RU", leak)
	assert.Equal(t, 2, code, "score of a UA leak under RU: %s", stderr)
	assert.Contains(t, stderr, `column "Телефон"`, "score: the error names the column")
	code, stdout, stderr := leakprov(t, "score", "--catalog", catalog, "--region", "RU", "--force-region", leak)
	assert.Equal(t, 0, code, "score forced: %s", stderr)
	assert.Contains(t, stdout, "indexed under", "forced: the report says the regions differ")

	code, _, stderr = leakprov(t, "score", "--catalog", catalog, "--region", "UA", leak)
	assert.Equal(t, 0, code, "the right region: %s", stderr)
}
