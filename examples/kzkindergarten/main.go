// Command kzkindergarten replays the Kazakh case: phishing pages collected
// parents' IIN, phone and digital-signature key passwords for an Astana
// kindergarten queue that needs none of the keys. The queue holds no
// signature keys and no passwords, so a set with them did not come from it;
// part of it is an old telecom dump, and the rest carries IINs whose check
// digits no registry would issue. On the synthetic fixtures of testdata/kz:
//
//	go run ./examples/kzkindergarten [-testdata DIR] [-key FILE]
//
// The telecom dump's signature is keyed, with the secret key in -key or
// else a fresh random one: a keyed signature can be shared with another
// team without letting it test guessed IINs, and scoring needs the same key.
package main

import (
	"context"
	"crypto/rand"
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

func main() {
	testdata := flag.String("testdata", "testdata", "the fixtures directory")
	keyFile := flag.String("key", "", "secret key file, at least 32 bytes raw or hex (default: a fresh random key)")
	flag.Parse()
	if _, err := run(os.Stdout, *testdata, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "kzkindergarten:", err)
		os.Exit(1)
	}
}

// run signs the telecom dump with the key, scores the phished set against
// it and against what the queue holds, prints the report and returns it.
func run(w io.Writer, testdata, keyFile string) (*provenance.Report, error) {
	key := make([]byte, 32)
	rand.Read(key) // never fails: crypto/rand ends the program instead
	h, err := fingerprint.NewHasher(key)
	if keyFile != "" {
		h, err = fingerprint.LoadHasher(keyFile)
	}
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	telecom, err := index.Build(ctx, index.Options{Name: "telecom-2019", Snapshot: "2019-09-01", Region: canon.KZ, Hasher: h},
		index.File(filepath.Join(testdata, "kz", "sources", "telecom-2019.csv")))
	if err != nil {
		return nil, err
	}
	cat := &provenance.Catalog{}
	if err := cat.Add(telecom, ""); err != nil {
		return nil, err
	}
	schema, err := provenance.LoadSchema("e-astana-kindergarten")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(testdata, "kz", "sample.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	leak := sampleset.NewReader(f)
	leak.Name = path
	o := provenance.Options{Hasher: h, Region: canon.KZ, SamplePath: path, Schema: schema}
	rep, err := provenance.Score(ctx, cat, leak, o)
	if err != nil {
		return nil, err
	}
	return rep, rep.Render(w, "text")
}
