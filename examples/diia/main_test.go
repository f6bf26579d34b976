package main

import (
	"encoding/json"
	"io"
	"os"
	"testing"

	"github.com/leakprov/leakprov/provenance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bot's "licences" are part bank dump, part social dump and part new;
// they hold phones and e-mails Diia never held, and 26 million is more than
// the 9.5 million licences Ukraine has.
func TestDiia(t *testing.T) {
	b, err := os.ReadFile("../../testdata/ua/truth.json")
	require.NoError(t, err, "Diia: the fixture's truth")
	var truth struct{ Verdict provenance.Verdict }
	require.NoError(t, json.Unmarshal(b, &truth), "Diia: the fixture's truth")

	rep, err := run(io.Discard, "../../testdata")
	require.NoError(t, err, "Diia case")
	require.NotNil(t, rep.Claim, "Diia: the leak is checked against the licence schema")
	assert.Equal(t, truth.Verdict, rep.Verdict, "Diia: verdict as the fixture's truth says")
	var failed []string
	for _, f := range rep.Claim.Findings {
		if !f.Passed {
			failed = append(failed, f.Check)
		}
	}
	assert.ElementsMatch(t, []string{"fields-not-held", "volume"}, failed, "Diia: failing claim checks")
	assert.False(t, rep.Fabrication.Suspected, "Diia: the bot's data is recycled, not fabricated")
}
