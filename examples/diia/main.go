// Command diia replays the 2020 Ukrainian case: a Telegram bot sold "26
// million driver's licences" and blamed the Diia app. The ministry showed the
// bot was built from old databases (a bank's customer base from before 2016,
// VK and LinkedIn password dumps), that it held kinds of data Diia never
// holds, and that Ukraine has only 9.5 million licences. Here the same
// evidence comes out of leakprov, on synthetic fixtures: the leak
// testdata/ua/sample.csv against the catalog of signatures a team keeps,
// testdata/catalog.
//
//	go run ./examples/diia [-testdata DIR]
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
	flag.Parse()
	if _, err := run(os.Stdout, *testdata); err != nil {
		fmt.Fprintln(os.Stderr, "diia:", err)
		os.Exit(1)
	}
}

// run scores the leak against the catalog and against what Diia holds,
// prints the report and returns it.
func run(w io.Writer, testdata string) (*provenance.Report, error) {
	cat, err := provenance.LoadCatalog(filepath.Join(testdata, "catalog"))
	if err != nil {
		return nil, err
	}
	schema, err := provenance.LoadSchema("diia-driver-licence")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(testdata, "ua", "sample.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	leak := sampleset.NewReader(f) // detects encoding, delimiter, header and column kinds
	leak.Name = path
	rep, err := provenance.Score(context.Background(), cat, leak, provenance.Options{
		Region:         canon.UA,
		SamplePath:     path,
		Schema:         schema,
		ClaimedRecords: 26_000_000, // what the bot's seller claimed
	})
	if err != nil {
		return nil, err
	}
	return rep, rep.Render(w, "text")
}
