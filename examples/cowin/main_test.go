package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/leakprov/leakprov/provenance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The forum leak is the broker's and the shop's old data, plus addresses,
// which CoWIN never collected.
func TestCoWIN(t *testing.T) {
	catalog := t.TempDir()
	rep, err := run(io.Discard, "../../testdata", catalog)
	require.NoError(t, err, "CoWIN case")
	assert.Equal(t, provenance.Recycled, rep.Verdict, "CoWIN: verdict")
	assert.FileExists(t, filepath.Join(catalog, "broker-2020.lps"), "CoWIN: signatures kept in -catalog")
	require.NotNil(t, rep.Claim, "CoWIN: the leak is checked against the beneficiary schema")
	var failed []provenance.Finding
	for _, f := range rep.Claim.Findings {
		if !f.Passed {
			failed = append(failed, f)
		}
	}
	assert.Equal(t, []provenance.Finding{{Check: "fields-not-held", Detail: "address"}}, failed,
		"CoWIN: the only failing claim check is the address column")
	assert.False(t, rep.Fabrication.Suspected, "CoWIN: the leak is recycled, not fabricated")
}
