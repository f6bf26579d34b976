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
	var failed []string
	for _, f := range rep.Claim.Findings {
		if !f.Passed {
			failed = append(failed, f.Check+": "+f.Detail)
		}
	}
	// The addresses CoWIN never held, and the bulk of the recycled records
	// in the broker's dump of 2020, before CoWIN opened in January 2021
	// (the shop's dump of late 2021 explains only a little of it).
	require.Len(t, failed, 2, "CoWIN: failing claim checks %q", failed)
	assert.Equal(t, "fields-not-held: address", failed[0], "CoWIN: the address column")
	assert.Contains(t, failed[1], "predates-launch: 92% of the explained records", "CoWIN: most of the data predates CoWIN")
	assert.False(t, rep.Fabrication.Suspected, "CoWIN: the leak is recycled, not fabricated")
}
