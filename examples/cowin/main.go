// Command cowin replays the 2023 Indian case: a Telegram bot returned CoWIN
// vaccination details for a phone number, and a forum leak held addresses
// and COVID test results. The minister said the data came from a threat
// actor's database filled with earlier stolen data, and CoWIN collects no
// addresses and no test results. Here leakprov indexes two older dumps (a
// data broker's and a shop's), keeps their signatures as .lps files, and
// finds the forum leak in them, with the addresses CoWIN never held. On the
// synthetic fixtures of testdata/in:
//
//	go run ./examples/cowin [-testdata DIR] [-catalog DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// sources are the known dumps: name, date taken, file under testdata/in.
var sources = [][3]string{
	{"broker-2020", "2020-07-01", "sources/broker-2020.csv"},
	{"shop-2021", "2021-11-15", "sources/shop-2021.jsonl"},
}

func main() {
	testdata := flag.String("testdata", "testdata", "the fixtures directory")
	catalog := flag.String("catalog", "", "directory to keep the signatures in (default: a temporary one)")
	flag.Parse()
	if _, err := run(os.Stdout, *testdata, *catalog); err != nil {
		fmt.Fprintln(os.Stderr, "cowin:", err)
		os.Exit(1)
	}
}

// run signs the dumps into the catalog directory, scores the leak against
// it and against what CoWIN holds, prints the report and returns it.
func run(w io.Writer, testdata, catalog string) (*provenance.Report, error) {
	ctx := context.Background()
	if catalog == "" {
		tmp, err := os.MkdirTemp("", "cowin-catalog-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		catalog = tmp
	}
	for _, s := range sources {
		o := index.Options{Name: s[0], Snapshot: s[1], Region: canon.IN}
		sig, err := index.Build(ctx, o, index.File(filepath.Join(testdata, "in", s[2])))
		if err != nil {
			return nil, err
		}
		if err := fingerprint.WriteFile(filepath.Join(catalog, s[0]+".lps"), sig); err != nil {
			return nil, err
		}
	}
	cat, err := provenance.LoadCatalog(catalog)
	if err != nil {
		return nil, err
	}
	schema, err := provenance.LoadSchema("cowin-beneficiary")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(testdata, "in", "sample.tsv")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	leak := sampleset.NewReader(f)
	leak.Name, leak.Region = path, canon.IN
	rep, err := provenance.Score(ctx, cat, leak, provenance.Options{SamplePath: path, Schema: schema})
	if err != nil {
		return nil, err
	}
	return rep, rep.Render(w, "text")
}
