package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compare accepts a signature of an older normaliser version and warns of
// the values that cannot match across the two.
func TestCompareOlderNormaliserVersion(t *testing.T) {
	old := filepath.Join(repo, "fingerprint", "testdata", "golden", "v1-unkeyed.lps") // normaliser version 1
	current := filepath.Join(repo, "testdata", "catalog", "bank-2016.lps")
	code, out, stderr := leakprov(t, "compare", old, current)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "phone", "the comparison is printed")
	assert.Contains(t, stderr, "v1-unkeyed.lps was built with normaliser version 1: values written with non-ASCII digits", "warning")
	assert.Contains(t, stderr, "re-index it for exact figures", "warning")

	_, _, stderr = leakprov(t, "compare", current, current)
	assert.NotContains(t, stderr, "normaliser version", "no warning for two current signatures")
}
