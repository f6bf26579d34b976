// Command reserveplus replays the 2024 Ukrainian case: rumours of a Reserve+
// hack, while fake support chat-bots harvested people's data. What the bots
// collected is new (no known dump explains it) and holds only what Reserve+
// holds (name, birth date, RNOKPP, phone), so every claim check passes: the
// overlap and the schema alone cannot tell phishing from a breach, and the
// report says exactly that rather than claiming more. On the synthetic
// fixtures: the harvest testdata/rp/sample.csv against testdata/catalog.
//
//	go run ./examples/reserveplus [-testdata DIR] [-n 400] [-seed 1]
//
// A harvest offered for sale can run to millions of rows; a uniform sample
// of a few hundred answers as well, and the report records its seed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/sampleset"
)

func main() {
	testdata := flag.String("testdata", "testdata", "the fixtures directory")
	n := flag.Int("n", 400, "records to sample")
	seed := flag.Uint64("seed", 1, "seed of the sample")
	flag.Parse()
	if _, err := run(os.Stdout, *testdata, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "reserveplus:", err)
		os.Exit(1)
	}
}

// run scores a uniform sample of n records of the harvest against the
// catalog and against what Reserve+ holds, prints the report and returns it.
func run(w io.Writer, testdata string, n int, seed uint64) (*provenance.Report, error) {
	ctx := context.Background()
	cat, err := provenance.LoadCatalog(filepath.Join(testdata, "catalog"))
	if err != nil {
		return nil, err
	}
	schema, err := provenance.LoadSchema("reserve-plus")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(testdata, "rp", "sample.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	harvest := sampleset.NewReader(f)
	harvest.Name, harvest.Region = path, canon.UA
	sample, err := sampleset.Sample(ctx, harvest, n, seed)
	if err != nil {
		return nil, err
	}
	rep, err := provenance.Score(ctx, cat, sample, provenance.Options{Region: canon.UA, SamplePath: path, Schema: schema})
	if err != nil {
		return nil, err
	}
	return rep, rep.Render(w, "text")
}
