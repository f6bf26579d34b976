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

// The phished set is part old telecom dump, part new people whose IINs fail
// their check digits; it holds signature-key passwords the queue never held.
func TestKazakhKindergarten(t *testing.T) {
	rep, err := run(io.Discard, "../../testdata", "")
	require.NoError(t, err, "kindergarten case")
	b, err := os.ReadFile("../../testdata/kz/truth.json")
	require.NoError(t, err, "kindergarten: the fixture's truth")
	var truth struct {
		Verdict              provenance.Verdict
		FabricationSuspected bool `json:"fabrication_suspected"`
	}
	require.NoError(t, json.Unmarshal(b, &truth), "kindergarten: the fixture's truth")
	assert.Equal(t, truth.Verdict, rep.Verdict, "kindergarten: verdict as the fixture's truth says")
	assert.Equal(t, truth.FabricationSuspected, rep.Fabrication.Suspected,
		"kindergarten: fabrication as the fixture's truth says (its new people's IINs are made up)")
	require.NotNil(t, rep.Claim, "kindergarten: the set is checked against the queue's schema")
	failed := map[string]string{}
	for _, f := range rep.Claim.Findings {
		if !f.Passed {
			failed[f.Check] = f.Detail
		}
	}
	assert.Equal(t, "password", failed["fields-not-held"], "kindergarten: the queue holds no passwords")
	assert.Contains(t, failed["format"], "national_id", "kindergarten: IINs fail the queue's format")
	assert.Len(t, failed, 2, "kindergarten: no other claim check fails")
}
