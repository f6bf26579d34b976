package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// --expect fails (exit 1, as for another verdict) on the expected verdict
// when it is uncertain, unless --expect-uncertain-ok: the bundled CoWIN
// leak, 93% recycled, is certainly recycled in full, but a uniform sample
// of 100 of its records is recycled with an interval that straddles 90%.
func TestExpectUncertainVerdict(t *testing.T) {
	cat := filepath.Join(repo, "testdata", "catalog")
	leak := filepath.Join(repo, "testdata", "in", "sample.tsv")
	small := []string{"--sample", "100", "--seed", "1"}

	code, out, stderr := leakprov(t, "score", "--catalog", cat, "--format", "json", "--expect", "recycled", leak)
	require.Equal(t, 0, code, "--expect recycled on the whole leak: %s", stderr)
	var rep struct {
		Verdict        string `json:"verdict"`
		VerdictCertain *bool  `json:"verdict_certain"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "the whole leak's report")
	require.NotNil(t, rep.VerdictCertain, "the report has verdict_certain")
	assert.True(t, *rep.VerdictCertain, "the whole leak's verdict is certain")

	args := append(append([]string{"score", "--catalog", cat, "--format", "json"}, small...), "--expect", "recycled", leak)
	code, out, stderr = leakprov(t, args...)
	assert.Equal(t, exitExpect, code, "--expect recycled on an uncertain recycled verdict")
	assert.Contains(t, stderr, "leakprov: verdict recycled, expected recycled, but uncertain", "the message says why: %s", stderr)
	assert.Contains(t, stderr, "allows mixed too", "and what else the interval allows: %s", stderr)
	assert.Contains(t, stderr, "--expect-uncertain-ok", "and how to accept it: %s", stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "the report is written all the same")
	assert.Equal(t, "recycled", rep.Verdict, "a sample of 100: verdict")
	require.NotNil(t, rep.VerdictCertain, "verdict_certain")
	assert.False(t, *rep.VerdictCertain, "a sample of 100: verdict_certain")

	code, _, stderr = leakprov(t, append(args[:len(args)-1:len(args)-1], "--expect-uncertain-ok", leak)...)
	assert.Equal(t, 0, code, "--expect recycled --expect-uncertain-ok: %s", stderr)

	code, _, stderr = leakprov(t, append(append([]string{"score", "--catalog", cat}, small...), "--expect", "mixed", "--expect-uncertain-ok", leak)...)
	assert.Equal(t, exitExpect, code, "--expect-uncertain-ok does not accept another verdict")
	assert.Contains(t, stderr, "leakprov: verdict recycled, expected mixed\n", "the wrong-verdict message: %s", stderr)

	code, _, stderr = leakprov(t, "score", "--catalog", cat, "--expect-uncertain-ok", leak)
	assert.Equal(t, exitBad, code, "--expect-uncertain-ok without --expect")
	assert.True(t, strings.Contains(stderr, "--expect-uncertain-ok") && strings.Contains(stderr, "--expect VERDICT"), "usage error names both: %s", stderr)
}
