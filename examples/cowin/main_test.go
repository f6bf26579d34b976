package main

import (
	"io"
	"testing"

	"github.com/leakprov/leakprov/examples/internal/demo"
	"github.com/leakprov/leakprov/provenance"
	"github.com/stretchr/testify/require"
)

func TestCase(t *testing.T) {
	rep, err := run(io.Discard)
	require.NoError(t, err)
	require.NoError(t, demo.Check(rep, provenance.Recycled, "fields-not-held"))
}
