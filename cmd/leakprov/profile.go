package main

import (
	"io"

	"github.com/leakprov/leakprov/sampleset"
)

func profileText(w io.Writer, p *sampleset.Profile) error { return writeJSON(w, p) }
