// Package index builds the signature of a known dump from its inputs in
// one call: it reads them (package sampleset), canonicalises and hashes
// every value once ([fingerprint.Encoder]) and builds the signature
// ([fingerprint.Builder]) with complete metadata: every input's SHA-256,
// record and skip counts, format, encoding and columns, and the region.
// `leakprov index` is a few lines around [Build].
//
//	sig, err := index.Build(ctx, index.Options{Name: "bank-2016", Snapshot: "2016-03-01"},
//		index.File("bank.csv"))
//
// A build too large for one machine is shared out in parts ([Split],
// [Cut], [CountPart], [PartBuilder], [Assemble]; see [Part]), byte-identical
// to Build's: the Apache Beam pipeline in module beam/ is made of them.
//
// It is the one place that joins reading to signing, so it stands above
// both, beside the catalog it fills: fingerprint never reads a dump, and
// provenance's scoring never builds a signature.
//
// # Compatibility
//
// Exported names are only added within major version 1 of this module.
// The same inputs and options (with Options.Created fixed) give
// byte-identical signatures.
//
// # Concurrency
//
// Build may be called concurrently; one call reads its inputs in order.
package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
)

// Errors of Build, checkable with errors.Is.
var (
	// ErrOptions: unusable options.
	ErrOptions = errors.New("index: bad options")
	// ErrDuplicateInput: two inputs hold the same bytes (or records).
	ErrDuplicateInput = errors.New("index: an input given twice")
	// ErrNoRecords: an input holds no records (an empty file or stream,
	// a header alone).
	ErrNoRecords = errors.New("index: no records")
	// ErrCapacity: a fixed capacity the data would saturate, or one far
	// larger than the data (Options.CheckCapacity).
	ErrCapacity = errors.New("index: capacity does not fit the data")
	// ErrNoIdentifiers: an input with no column of a strong identifier
	// (Options.RequireIdentifiers).
	ErrNoIdentifiers = errors.New("index: no identifier column")
)

// Options configure [Build]. Name is required; the zero value of every
// other field means the default.
type Options struct {
	// Name names the source, e.g. "bank-2016".
	Name string
	// Snapshot is the date the dump was taken, YYYY-MM-DD ("" if unknown).
	Snapshot string
	// Description says what the dump is, and URL where it is documented
	// (an http or https URL: a breach notice, an article). Both are
	// optional, stored in the signature's metadata and shown by inspect and
	// beside the source's share in reports. Description is at most
	// MaxDescription bytes of UTF-8, URL at most MaxURL bytes.
	Description string
	URL         string
	// Created is the build time recorded in the signature; zero means now
	// (UTC, to the second). Fix it for byte-identical signatures.
	Created time.Time
	// Region resolves national phone and ID formats. "" reads each input
	// under the region detected from its own values and records the first
	// one detected. An explicit Region that misreads a column the values'
	// own region reads makes the build fail with a *sampleset.RegionError
	// (see sampleset.Reader.ForceRegion), unless ForceRegion.
	Region      canon.Region
	ForceRegion bool
	// Hasher hashes the values; nil means unkeyed (do-not-share) hashing.
	Hasher *fingerprint.Hasher
	// FPR is every filter's target false-positive rate (default
	// fingerprint.DefaultFPR).
	FPR float64
	// Capacity, when non-zero, fixes every filter's size so that shards
	// built apart merge exactly (see fingerprint.BuildOptions).
	Capacity uint64
	// CheckCapacity refuses, with ErrCapacity, a Capacity that a kind's
	// distinct values (or the pairs') exceed, so that its filter would
	// answer yes to far more than FPR of values never added, and one over
	// MaxCapacityRatio times the records read, before filters of that
	// size are made.
	CheckCapacity bool
	// RequireIdentifiers refuses, with ErrNoIdentifiers and before its
	// records are read, an input none of whose columns holds a strong
	// identifier (phone, email, national_id, passport, driver_licence, or
	// a name with a birth_date): no record of it could be matched.
	RequireIdentifiers bool
	// Map forces the kind of the columns it names (see
	// sampleset.DetectOptions).
	Map map[string]canon.Kind
	// Encoding forces the text encoding of file and stream inputs ("":
	// detect it).
	Encoding string
	// SkipBad counts and skips malformed records instead of failing.
	SkipBad bool
	// SpoolDir holds the temporary hash spool of a large build (default:
	// the system temp dir).
	SpoolDir string
	// Workers is how many goroutines canonicalise and hash while one reads
	// (default: GOMAXPROCS). The signature does not depend on it.
	Workers int
	// Progress, when set, is called every few thousand records and once
	// when each input ends.
	Progress func(Progress)
	// Skipped, when set, is told of every archive entry passed over (see
	// sampleset.Opener).
	Skipped func(path string, why error)
}

// Progress reports how far a Build has read.
type Progress struct {
	// Input names the input being read; Inputs counts the inputs done
	// before it.
	Input  string
	Inputs int
	// Records counts the records of this input read so far; Bytes the
	// bytes of a file or stream input (0 for records).
	Records int64
	Bytes   int64
	// Done is true in the last call for an input.
	Done bool
}

// progressEvery is how many records pass between Progress calls.
const progressEvery = 4096

// Input is one input of a dump: a file, a stream, or records already read.
type Input struct {
	name  string
	path  string    // a path for sampleset.Opener
	stdin io.Reader // read for the path "-"
	recs  sampleset.Records
}

// File is the input read from path: a file (plain or compressed), an
// archive, a SQL dump, a workbook, a directory or a glob, each table-like
// member inside it a separate input of the signature's metadata (see
// sampleset.Opener). The signature records member paths from the last
// element of path on ("leak.zip!users.csv"). A FIFO or device is refused,
// without waiting on it, with an error wrapping fingerprint.ErrNotRegular (a
// stream is read on purpose with Reader).
func File(path string) Input { return Input{name: path, path: path} }

// Reader is the input read from r, a stream of any form File reads,
// recorded under name.
func Reader(name string, r io.Reader) Input { return Input{name: name, path: "-", stdin: r} }

// Records is the input of records already read (a *sampleset.Reader whose
// options are set, or a *sampleset.Set), recorded under name. Its SHA-256
// is taken over the records (each field length-prefixed), not over bytes
// of a file, so the same records indexed twice are still recognised.
// Options.Map, Encoding and SkipBad do not apply to it.
func Records(name string, recs sampleset.Records) Input { return Input{name: name, recs: recs} }

// Build reads every input and returns the dump's signature. It stops with
// ctx's error when ctx is done. Nothing is written to disk but the
// builder's temporary spool, removed before Build returns.
func Build(ctx context.Context, o Options, inputs ...Input) (*fingerprint.Signature, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w: no inputs", ErrOptions)
	}
	bl, err := newBuild(o, nil, false)
	if err != nil {
		return nil, err
	}
	defer bl.close()
	o, b := bl.o, bl.b
	region := o.Region
	var metas []fingerprint.Input
	var skipped uint64
	seen := map[string]string{} // SHA-256 → the input that had it
	i := 0
	add := func(name string, recs sampleset.Records, m *sampleset.Member) error {
		meta, r, err := bl.add(ctx, i, name, recs, m)
		i++
		if err != nil {
			return err
		}
		if meta.Records == 0 {
			return fmt.Errorf("%w: %s holds no records", ErrNoRecords, name)
		}
		if first, dup := seen[meta.SHA256]; dup {
			return fmt.Errorf("%w: %s and %s are the same data (sha256 %s): indexing it twice would double its counts",
				ErrDuplicateInput, first, name, meta.SHA256)
		}
		seen[meta.SHA256] = name
		metas = append(metas, meta)
		skipped += meta.Skipped
		if region == "" {
			region = r
		}
		return nil
	}
	for _, in := range inputs {
		if in.recs != nil {
			if err := add(in.name, in.recs, nil); err != nil {
				return nil, err
			}
			continue
		}
		op := sampleset.Opener{Configure: bl.configure, Stdin: in.stdin, StdinName: in.name, TempDir: o.SpoolDir, Skipped: o.Skipped}
		n := 0
		for m, err := range op.Members(ctx, in.path) {
			if err == nil {
				n++
				err = add(recordedPath(in.path, m.Path), m.Reader, m)
			}
			if err != nil {
				return nil, err
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: %s holds no table", ErrNoRecords, in.name)
		}
	}
	if err := bl.join(); err != nil {
		return nil, err
	}
	if err := bl.checkRecords(metas); err != nil {
		return nil, err
	}
	sig, err := b.Finish()
	if err != nil {
		return nil, err
	}
	if err := bl.checkDistinct(sig); err != nil {
		return nil, err
	}
	sig.Meta.Inputs = metas
	sig.Meta.Region = region
	sig.Meta.Skipped = skipped
	return sig, nil
}

// build is the state of one Build call: the builder, and a fork of it for
// each worker.
type build struct {
	o     Options
	b     *fingerprint.Builder
	h     *fingerprint.Hasher
	forks []*fingerprint.Builder
}

// newBuild checks the options, fills in their defaults and makes the
// builder and its forks, sized by sizes unless o.Capacity is set (see
// fingerprint.BuildOptions.Sizes), or only counting. Close it when done.
func newBuild(o Options, sizes *fingerprint.Counts, countOnly bool) (*build, error) {
	if o.Name == "" {
		return nil, fmt.Errorf("%w: a source name is required", ErrOptions)
	}
	if err := checkAbout(o.Description, o.URL); err != nil {
		return nil, err
	}
	if o.Created.IsZero() {
		o.Created = time.Now().UTC().Truncate(time.Second)
	}
	if o.Snapshot != "" {
		t, err := time.Parse(time.DateOnly, o.Snapshot)
		if err != nil {
			return nil, fmt.Errorf("%w: snapshot %q is not a date YYYY-MM-DD", ErrOptions, o.Snapshot)
		}
		if t.After(o.Created.Add(24 * time.Hour)) {
			return nil, fmt.Errorf("%w: snapshot %s is after the signature is made (%s)", ErrOptions, o.Snapshot, o.Created.Format(time.DateOnly))
		}
	}
	h := o.Hasher
	if h == nil {
		var err error
		if h, err = fingerprint.NewHasher(nil); err != nil {
			return nil, err
		}
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{
		Meta: fingerprint.Metadata{Name: o.Name, Snapshot: o.Snapshot, Created: o.Created, Region: o.Region,
			Description: o.Description, URL: o.URL},
		FPR:       o.FPR,
		Capacity:  o.Capacity,
		Sizes:     sizes,
		CountOnly: countOnly,
		SpoolDir:  o.SpoolDir,
		// Each worker's fork spools apart: together they hold the default.
		SpoolMemory: max(fingerprint.DefaultSpoolMemory/o.Workers, 1<<20),
		Workers:     o.Workers,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOptions, err)
	}
	bl := &build{o: o, b: b, h: h}
	for range o.Workers {
		bl.forks = append(bl.forks, b.Fork())
	}
	return bl, nil
}

// close releases the builder's and the forks' spools.
func (bl *build) close() {
	for _, f := range bl.forks {
		f.Close()
	}
	bl.b.Close()
}

// join takes the forks' records back into the builder.
func (bl *build) join() error {
	for _, f := range bl.forks {
		if err := bl.b.Join(f); err != nil {
			return err
		}
	}
	return nil
}

// finish joins the forks and returns the signature of what they were
// given, its inputs not yet recorded.
func (bl *build) finish() (*fingerprint.Signature, error) {
	if err := bl.join(); err != nil {
		return nil, err
	}
	return bl.b.Finish()
}

// configure sets a member's Reader as the options say.
func (bl *build) configure(r *sampleset.Reader) {
	r.Region, r.ForceRegion, r.Encoding, r.SkipBad = bl.o.Region, bl.o.ForceRegion, bl.o.Encoding, bl.o.SkipBad
	if len(bl.o.Map) > 0 {
		r.Map = bl.o.Map
	}
	r.ReuseRecord = true
}

// recordedPath is the path a member is recorded under: from the last
// element of the input's path on.
func recordedPath(input, member string) string {
	if input == "-" {
		return member
	}
	dir := filepath.Dir(filepath.Clean(input))
	if dir == "." {
		return member
	}
	return strings.TrimPrefix(member, dir+string(filepath.Separator))
}

// add reads one input (a member, when m is set) into the builder and
// returns its metadata and the region it was read under.
func (bl *build) add(ctx context.Context, i int, name string, recs sampleset.Records, m *sampleset.Member) (fingerprint.Input, canon.Region, error) {
	var sum *sampleset.RecordSum
	if m == nil || m.Table() {
		sum = sampleset.NewRecordSum()
	}
	cols, err := recs.Columns()
	if err != nil {
		return fingerprint.Input{}, "", err
	}
	region := bl.o.Region
	if region == "" {
		region = recs.Info().Region
	}
	if bl.o.RequireIdentifiers {
		if err := checkIdentifiers(name, cols, region); err != nil {
			return fingerprint.Input{}, "", err
		}
	}
	p := Progress{Input: name, Inputs: i}
	bytes := func() int64 {
		if m != nil {
			return m.Bytes()
		}
		return 0
	}
	err = bl.pipeline(ctx, recs, region, cols, func(rec []string) {
		if sum != nil {
			sum.Add(rec)
		}
		p.Records++
		if bl.o.Progress != nil && p.Records%progressEvery == 0 {
			p.Bytes = bytes()
			bl.o.Progress(p)
		}
	})
	if err != nil {
		return fingerprint.Input{}, "", err
	}
	var digest string
	if sum != nil {
		digest = sum.Sum()
	} else if digest, _, err = m.SHA256(); err != nil {
		return fingerprint.Input{}, "", err
	}
	if bl.o.Progress != nil {
		p.Bytes, p.Done = bytes(), true
		bl.o.Progress(p)
	}
	return inputMeta(name, digest, p.Records, recs.Info(), cols, region), region, nil
}

// inputMeta is the metadata of an input read to the end.
func inputMeta(name, digest string, records int64, info sampleset.Info, cols []canon.Column, region canon.Region) fingerprint.Input {
	meta := fingerprint.Input{Path: name, SHA256: digest,
		Records: uint64(records), Skipped: uint64(info.Skipped),
		Format: string(info.Format), Encoding: info.Encoding, Columns: make([]canon.Column, len(cols))}
	for i, c := range cols {
		meta.Columns[i] = c.Shareable(i, region)
	}
	return meta
}
