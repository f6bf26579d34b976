package main

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCase(t *testing.T) {
	rep, err := run(io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "recycled", rep.Verdict, "verdict")
	var failed []string
	for _, f := range rep.Claim.Findings {
		if !f.Passed {
			failed = append(failed, f.Check)
		}
	}
	assert.ElementsMatch(t, []string{"fields-not-held"}, failed, "failed claim checks")
	assert.Equal(t, false, rep.Claim.Consistent, "claim consistent")
	assert.False(t, rep.Fabrication.Suspected, "fabrication")
}
