package main

import (
	"io"
	"testing"

	"github.com/leakprov/leakprov/provenance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What the chat-bots harvested is new and fits Reserve+: nothing here refutes
// a breach, and nothing shows one.
func TestReservePlus(t *testing.T) {
	rep, err := run(io.Discard, "../../testdata", 400, 1)
	require.NoError(t, err, "Reserve+ case")
	assert.Equal(t, provenance.New, rep.Verdict, "Reserve+: verdict")
	require.NotNil(t, rep.Claim, "Reserve+: the set is checked against the Reserve+ schema")
	assert.True(t, rep.Claim.Consistent, "Reserve+: no claim check fails: %+v", rep.Claim.Findings)
	assert.False(t, rep.Fabrication.Suspected, "Reserve+: harvested data is real, not fabricated")
	if assert.NotNil(t, rep.Sample.Sampling, "Reserve+: a uniform sample was scored") {
		assert.Equal(t, uint64(1), rep.Sample.Sampling.Seed, "Reserve+: the report records the seed")
	}
}
