package provenance

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leakprov/leakprov/fingerprint"
	fpindex "github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// rawControl returns the first byte offset of s that a terminal or a
// Markdown viewer could act on, or -1: bytes that are not UTF-8, C0 and C1
// controls other than newline and tab, DEL, the line and paragraph
// separators, and bidirectional controls. It is written apart from
// internal/untrusted so that the fuzz target below checks that package
// rather than repeating it.
func rawControl(s string) int {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return i
			}
		case r == '\n' || r == '\t':
		case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029,
			r == 0x061c, r == 0x200e, r == 0x200f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return i
		}
	}
	return -1
}

func TestRawControl(t *testing.T) {
	for s, want := range map[string]int{
		"plain\n\tline": -1, "ПІБ": -1, "a\x1b[31m": 1, "a\rb": 1, "\u202eevil": 0,
		"x\u2028": 1, "\xff": 0, "ok\u0085": 2, "\x7f": 0,
	} {
		if got := rawControl(s); got != want {
			t.Errorf("rawControl(%q) = %d, want %d", s, got, want)
		}
	}
}

// FuzzPipeline runs a hostile dump and a hostile sample through the whole
// pipeline: index, encode and decode the signature, score the sample
// against it and a bundled source, render every report format, describe,
// compare and merge. Whatever the names, headers and values, no text,
// Markdown or HTML output may carry a raw control character (see
// rawControl) and JSON must stay valid. Errors are allowed: the library
// returns them unsanitised, and the CLI escapes them when it prints them
// (cmd/leakprov tests that).
//
//	go test ./provenance -run '^$' -fuzz FuzzPipeline -fuzztime 10m
func FuzzPipeline(f *testing.F) {
	bank, err := os.ReadFile("../testdata/catalog/bank-2016.lps")
	if err != nil {
		f.Fatal(err)
	}
	var known fingerprint.Signature
	if err := known.UnmarshalBinary(bank); err != nil {
		f.Fatal(err)
	}
	leak, err := os.ReadFile("../testdata/leak.csv")
	if err != nil {
		f.Fatal(err)
	}
	if len(leak) > 4096 {
		leak = leak[:bytes.LastIndexByte(leak[:4096], '\n')+1]
	}
	head := leak[:bytes.LastIndexByte(leak[:1024], '\n')+1]
	f.Add("leak-2024", "sample.csv", leak, head)
	f.Add("bank\n\nEvidence:\n  - Verdict FORGED \x1b[31m[x](javascript:alert(1))`<script>\u202e", "leak\r.csv",
		[]byte("ПІБ\x1b[2J,Телефон\u2028\n\"Ivan\x07 Petrenko\",+380671234567\n"),
		[]byte("name,phone\u202e\nIvan Petrenko,+380671234567\n"))
	f.Add("x", "\xff\xfe", []byte("a;b\n\xff;\x00\n"), []byte("\"unclosed\n"))
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name, path string, dump, sample []byte) {
		ctx := context.Background()
		// A fixed capacity lets the dump's signature merge with the
		// sample's, as shards of one source.
		o := fpindex.Options{Name: name, Region: known.Meta.Region, Created: created, Capacity: 1 << 12}
		sig, err := fpindex.Build(ctx, o, fpindex.Reader(path, bytes.NewReader(dump)))
		if err != nil {
			return
		}
		enc, err := sig.MarshalBinary()
		if err != nil {
			t.Fatalf("a built signature does not encode: %v", err)
		}
		var dec fingerprint.Signature
		if err := dec.UnmarshalBinary(enc); err != nil {
			t.Fatalf("a built signature does not decode: %v", err)
		}
		text := func(what string, write func(*bytes.Buffer) error) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if i := rawControl(b.String()); i >= 0 {
				t.Fatalf("%s: raw control at byte %d: %q", what, i, b.String()[max(0, i-20):min(b.Len(), i+20)])
			}
		}
		text("inspect", func(b *bytes.Buffer) error { return dec.Describe().WriteText(b) })

		cat := &Catalog{}
		if err := cat.Add(&known, "bank-2016.lps"); err != nil {
			t.Fatalf("adding the bundled source: %v", err)
		}
		if err := cat.Add(&dec, path+".lps"); err != nil {
			return
		}
		r := sampleset.NewReader(bytes.NewReader(sample))
		r.Name = path
		if rep, err := Score(ctx, cat, r, Options{SamplePath: path, Workers: 1}); err == nil {
			for _, format := range []string{"text", "markdown", "csv"} {
				text("report "+format, func(b *bytes.Buffer) error { return rep.Render(b, format) })
			}
			for _, format := range []string{"json", "stix", "misp"} {
				var j bytes.Buffer
				if err := rep.Render(&j, format); err != nil || !json.Valid(j.Bytes()) {
					t.Fatalf("%s report invalid (%v): %q", format, err, j.String())
				}
			}
			text("report html", func(b *bytes.Buffer) error { return rep.Render(b, "html") })
		}
		if c, err := Compare(&dec, &known); err == nil {
			text("compare", func(b *bytes.Buffer) error { return c.WriteText(b) })
		}
		if shard, err := fpindex.Build(ctx, o, fpindex.Reader(path+".2", bytes.NewReader(sample))); err == nil {
			if m, err := fingerprint.Merge(&dec, shard); err == nil {
				text("merged inspect", func(b *bytes.Buffer) error { return m.Describe().WriteText(b) })
			}
		}
	})
}
