// Package pipeline builds leakprov's index (and, in time, score) as
// Apache Beam pipelines, so that a dump of billions of rows is read,
// canonicalised and hashed by as many workers as a runner gives it: Prism
// on one machine, or Flink, Spark or Google Cloud Dataflow. Every step is
// a call of the library (package index); the pipeline only shares the
// work out and merges what comes back, so its signature is byte-identical
// to `leakprov index`'s over the same inputs with the same options.
//
// The index pipeline:
//
//	files  (index.Split, on the launching machine: one part per file)
//	  → cut     (index.Cut: ranges of a large plain delimited file)
//	  → reshuffle
//	  → [count  (index.CountPart) → merge counts]   without a capacity
//	  → build   (index.BuildPart) → partial signatures, part infos
//	  → merge   (a CombineFn: fingerprint.Merge)
//	  → write   (index.Assemble, then the signature file, atomically)
//
// Inputs are read by path, so every worker must see them where the
// launching machine does (a shared mount); the key, when there is one,
// is read by every worker from Config.KeyFile and never enters the job's
// graph, its options or its logs.
//
// # Compatibility
//
// Exported names are only added within major version 1 of this module.
//
// # Concurrency
//
// Index may be called concurrently for different pipelines.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance/index"
)

// DefaultRangeSize is how many bytes of a plain delimited file go to one
// part when Config.RangeSize is zero.
const DefaultRangeSize = 64 << 20

// Config configures Index. It travels to the workers inside the job's
// graph, so it holds no secret: the key is read from KeyFile by each
// worker.
type Config struct {
	// Name, Snapshot, Description, URL, Region, ForceRegion, FPR,
	// Capacity, Encoding, SkipBad and SpoolDir are index.Options'.
	Name        string
	Snapshot    string
	Description string
	URL         string
	Region      string
	ForceRegion bool
	FPR         float64
	// Capacity fixes every filter's size; zero sizes them from the
	// distinct counts of a first pass, as one build would.
	Capacity uint64
	Encoding string
	SkipBad  bool
	SpoolDir string
	// Map forces the kind (its name, as in --map) of the columns it names.
	Map map[string]string
	// Created is the time recorded in the signature: fixed by Index
	// before the job starts (now, unless set), so that every part agrees.
	Created time.Time
	// KeyFile is the path of the secret key, on every worker ("" for
	// unkeyed hashing).
	KeyFile string
	// RangeSize is about how many bytes of a plain delimited file one
	// part reads (default DefaultRangeSize).
	RangeSize int64
	// Workers is how many goroutines canonicalise one part (default 1:
	// the runner's parallelism is the knob).
	Workers int
	// Out is the signature file written; Force replaces it if it exists.
	Out   string
	Force bool
}

// options returns the index options, the hasher read from the key file.
func (c Config) options() (index.Options, error) {
	o := index.Options{Name: c.Name, Snapshot: c.Snapshot, Description: c.Description, URL: c.URL,
		Created: c.Created, Region: canon.Region(c.Region), ForceRegion: c.ForceRegion, FPR: c.FPR,
		Capacity: c.Capacity, CheckCapacity: true, RequireIdentifiers: true, Encoding: c.Encoding,
		SkipBad: c.SkipBad, SpoolDir: c.SpoolDir, Workers: max(c.Workers, 1)}
	if len(c.Map) > 0 {
		o.Map = make(map[string]canon.Kind, len(c.Map))
		for col, name := range c.Map {
			k, err := canon.ParseKind(name)
			if err != nil {
				return o, fmt.Errorf("map %s: %w", col, err)
			}
			o.Map[col] = k
		}
	}
	h, err := fingerprint.LoadHasher(c.KeyFile)
	if err != nil {
		return o, err
	}
	o.Hasher = h
	return o, nil
}

// Index adds the index pipeline of the inputs (files, directories and
// globs, as `leakprov index` takes them) to s. It lists the inputs' files
// now (index.Split), refuses an existing Out unless Force, and fixes
// Config.Created; the signature is written when the pipeline runs.
func Index(ctx context.Context, s beam.Scope, c Config, inputs ...string) error {
	switch {
	case c.Name == "":
		return fmt.Errorf("%w: a source name is required", index.ErrOptions)
	case c.Out == "":
		return fmt.Errorf("%w: no output file", index.ErrOptions)
	}
	if !c.Force {
		if _, err := os.Lstat(c.Out); err == nil {
			return fmt.Errorf("pipeline: %s exists: %w (Config.Force replaces it)", c.Out, fs.ErrExist)
		}
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC().Truncate(time.Second)
	}
	if c.RangeSize <= 0 {
		c.RangeSize = DefaultRangeSize
	}
	// The options are checked here, where a mistake is cheap.
	if _, err := c.options(); err != nil {
		return err
	}
	in := make([]index.Input, len(inputs))
	for i, p := range inputs {
		in[i] = index.File(p)
	}
	files, err := index.Split(ctx, in...)
	if err != nil {
		return err
	}
	encoded := make([][]byte, len(files))
	for i, f := range files {
		if encoded[i], err = f.MarshalBinary(); err != nil {
			return err
		}
	}
	s = s.Scope("leakprov.index")
	parts := beam.Reshuffle(s, beam.ParDo(s, &cutFn{Config: c}, beam.CreateList(s, encoded)))
	sizes := beam.Create(s, []byte{})
	if c.Capacity == 0 {
		counts := beam.ParDo(s, &countFn{Config: c}, parts)
		sizes = beam.Combine(s, &countsMergeFn{}, counts)
	}
	sigs, infos := beam.ParDo2(s, &buildFn{Config: c}, parts, beam.SideInput{Input: sizes})
	merged := beam.Combine(s, &mergeFn{}, sigs)
	beam.ParDo0(s, &writeFn{Config: c, Files: encoded}, merged, beam.SideInput{Input: infos})
	return nil
}

// cutFn cuts a file's part into ranges (index.Cut).
type cutFn struct {
	Config Config
	o      index.Options
}

func (f *cutFn) Setup() (err error) { f.o, err = f.Config.options(); return err }

func (f *cutFn) ProcessElement(ctx context.Context, b []byte, emit func([]byte)) error {
	var p index.Part
	if err := p.UnmarshalBinary(b); err != nil {
		return err
	}
	parts, err := index.Cut(ctx, f.o, p, f.Config.RangeSize)
	if err != nil {
		return err
	}
	for _, q := range parts {
		out, err := q.MarshalBinary()
		if err != nil {
			return err
		}
		emit(out)
	}
	return nil
}

// countFn counts a part's distinct values (index.CountPart).
type countFn struct {
	Config Config
	o      index.Options
}

func (f *countFn) Setup() (err error) { f.o, err = f.Config.options(); return err }

func (f *countFn) ProcessElement(ctx context.Context, b []byte) ([]byte, error) {
	var p index.Part
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	c, err := index.CountPart(ctx, f.o, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return c.MarshalBinary()
}

// countsMergeFn merges the parts' counts: its accumulator is their
// encoding, a few hundred KiB.
type countsMergeFn struct{}

func (countsMergeFn) CreateAccumulator() ([]byte, error) {
	return fingerprint.NewCounts().MarshalBinary()
}

func (countsMergeFn) MergeAccumulators(a, b []byte) ([]byte, error) {
	var ca, cb fingerprint.Counts
	if err := ca.UnmarshalBinary(a); err != nil {
		return nil, err
	}
	if err := cb.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	ca.Merge(&cb)
	return ca.MarshalBinary()
}

// buildFn builds a part's signature (index.BuildPart) and emits it and
// the part's info.
type buildFn struct {
	Config Config
	o      index.Options
}

func (f *buildFn) Setup() (err error) { f.o, err = f.Config.options(); return err }

func (f *buildFn) ProcessElement(ctx context.Context, b []byte, sizes []byte, sig, info func([]byte)) error {
	var p index.Part
	if err := p.UnmarshalBinary(b); err != nil {
		return err
	}
	var counts *fingerprint.Counts
	if f.Config.Capacity == 0 {
		counts = new(fingerprint.Counts)
		if err := counts.UnmarshalBinary(sizes); err != nil {
			return err
		}
	}
	s, pi, err := index.BuildPart(ctx, f.o, p, counts)
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	sb, err := s.MarshalBinary()
	if err != nil {
		return err
	}
	ib, err := pi.MarshalBinary()
	if err != nil {
		return err
	}
	sig(sb)
	info(ib)
	return nil
}

// partial is mergeFn's accumulator: the merge of the signatures so far
// (nil before the first). It is encoded as a signature file.
type partial struct{ sig *fingerprint.Signature }

func encodePartial(p partial) ([]byte, error) {
	if p.sig == nil {
		return []byte{}, nil
	}
	return p.sig.MarshalBinary()
}

func decodePartial(b []byte) (partial, error) {
	if len(b) == 0 {
		return partial{}, nil
	}
	s := new(fingerprint.Signature)
	if err := s.UnmarshalBinary(b); err != nil {
		return partial{}, err
	}
	return partial{sig: s}, nil
}

// mergeFn merges partial signatures with fingerprint.Merge, which is
// commutative and associative: the result does not depend on how the
// runner groups them.
type mergeFn struct{}

func (mergeFn) CreateAccumulator() partial { return partial{} }

func (mergeFn) AddInput(a partial, b []byte) (partial, error) {
	p, err := decodePartial(b)
	if err != nil {
		return a, err
	}
	return mergeFn{}.MergeAccumulators(a, p)
}

func (mergeFn) MergeAccumulators(a, b partial) (partial, error) {
	switch {
	case a.sig == nil:
		return b, nil
	case b.sig == nil:
		return a, nil
	}
	s, err := fingerprint.Merge(a.sig, b.sig)
	return partial{sig: s}, err
}

func (mergeFn) ExtractOutput(a partial) ([]byte, error) { return encodePartial(a) }

// writeFn completes the merged signature (index.Assemble) and writes it.
type writeFn struct {
	Config Config
	Files  [][]byte
}

func (f *writeFn) ProcessElement(b []byte, infos func(*[]byte) bool) error {
	o, err := f.Config.options()
	if err != nil {
		return err
	}
	p, err := decodePartial(b)
	if err != nil {
		return err
	}
	if p.sig == nil {
		return errors.New("pipeline: no part was built")
	}
	files := make([]index.Part, len(f.Files))
	for i, fb := range f.Files {
		if err := files[i].UnmarshalBinary(fb); err != nil {
			return err
		}
	}
	var all []index.PartInfo
	var ib []byte
	for infos(&ib) {
		var pi index.PartInfo
		if err := pi.UnmarshalBinary(ib); err != nil {
			return err
		}
		all = append(all, pi)
	}
	sig, err := index.Assemble(o, files, p.sig, all)
	if err != nil {
		return err
	}
	if f.Config.Force {
		return fingerprint.WriteFile(f.Config.Out, sig)
	}
	return fingerprint.CreateFile(f.Config.Out, sig)
}

func init() {
	beam.RegisterCoder(reflect.TypeOf(partial{}), encodePartial, decodePartial)
	register.DoFn3x1[context.Context, []byte, func([]byte), error](&cutFn{})
	register.DoFn2x2[context.Context, []byte, []byte, error](&countFn{})
	register.Combiner2[[]byte, []byte](&countsMergeFn{})
	register.DoFn5x1[context.Context, []byte, []byte, func([]byte), func([]byte), error](&buildFn{})
	register.Combiner3[partial, []byte, []byte](&mergeFn{})
	register.DoFn2x1[[]byte, func(*[]byte) bool, error](&writeFn{})
	register.Emitter1[[]byte]()
	register.Iter1[[]byte]()
}
