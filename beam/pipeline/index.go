// Package pipeline builds leakprov's index and score as Apache Beam
// pipelines, so that a dump of billions of rows is read, canonicalised and
// hashed by as many workers as a runner gives it: Prism on one machine, or
// Flink, Spark or Google Cloud Dataflow. Every step is a call of the
// library (packages index and provenance); the pipeline only shares the
// work out and merges what comes back, so its signature is byte-identical
// to `leakprov index`'s over the same inputs with the same options, and
// its report (and rows) are `leakprov score`'s (see score.go).
//
// The index pipeline:
//
//	files  (index.Split, on the launching machine: one part per file)
//	  → cut     (index.Cut: ranges of a large plain delimited file)
//	  → reshuffle
//	  → [count  (index.CountPart) → merge counts]   without a capacity
//	  → build   (a CombineFn: each worker reads its parts into one
//	             index.PartBuilder; the workers' signatures merge with
//	             fingerprint.Merge)
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
// Index and Score may be called concurrently for different pipelines.
package pipeline

import (
	"context"
	"encoding/binary"
	"encoding/json"
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

// kindMap parses a Config's or ScoreConfig's Map: nil when empty.
func kindMap(m map[string]string) (map[string]canon.Kind, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]canon.Kind, len(m))
	for col, name := range m {
		k, err := canon.ParseKind(name)
		if err != nil || k == canon.NameBirthDate {
			return nil, fmt.Errorf("pipeline: map %s: %q is no column kind", col, name)
		}
		out[col] = k
	}
	return out, nil
}

// options returns the index options, the hasher read from the key file.
func (c Config) options() (index.Options, error) {
	o := index.Options{Name: c.Name, Snapshot: c.Snapshot, Description: c.Description, URL: c.URL,
		Created: c.Created, Region: canon.Region(c.Region), ForceRegion: c.ForceRegion, FPR: c.FPR,
		Capacity: c.Capacity, CheckCapacity: true, RequireIdentifiers: true, Encoding: c.Encoding,
		SkipBad: c.SkipBad, SpoolDir: c.SpoolDir, Workers: max(c.Workers, 1)}
	var err error
	if o.Map, err = kindMap(c.Map); err != nil {
		return o, err
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
	sized := beam.ParDo(s, sizedFn{}, parts, beam.SideInput{Input: sizes})
	merged := beam.Combine(s, &buildFn{Config: c}, sized)
	beam.ParDo0(s, &writeFn{Config: c, Files: encoded}, merged)
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

// sizedFn pairs each part with the sizes of the filters (the merged
// counts, empty with a capacity): a CombineFn takes no side input.
type sizedFn struct{}

func (sizedFn) ProcessElement(part, sizes []byte) []byte {
	out := binary.AppendUvarint(nil, uint64(len(sizes)))
	return append(append(out, sizes...), part...)
}

// buildFn is the CombineFn of the build: each worker reads the parts it is
// given into one index.PartBuilder (one signature the size of the whole
// dump's per worker, however many parts), and the workers' signatures
// merge with fingerprint.Merge, which is commutative and associative: the
// result does not depend on how the runner groups the parts.
type buildFn struct {
	Config Config
	o      index.Options
	ready  bool
}

// partial is buildFn's accumulator: an open PartBuilder, or the signature
// it made (nil before the first part) and the infos of its parts. It is
// encoded (settled first) as a signature file and the infos' JSON.
type partial struct{ st *partialState }

type partialState struct {
	pb    *index.PartBuilder
	sig   *fingerprint.Signature
	infos []index.PartInfo
}

// settle finishes the open builder, if any.
func (p partial) settle() error {
	st := p.st
	if st == nil || st.pb == nil {
		return nil
	}
	sig, infos, err := st.pb.Finish()
	st.pb = nil
	if err != nil {
		return err
	}
	if st.sig != nil {
		if sig, err = fingerprint.Merge(st.sig, sig); err != nil {
			return err
		}
	}
	st.sig, st.infos = sig, append(st.infos, infos...)
	return nil
}

func encodePartial(p partial) ([]byte, error) {
	if err := p.settle(); err != nil {
		return nil, err
	}
	if p.st == nil || p.st.sig == nil {
		return []byte{}, nil
	}
	sig, err := p.st.sig.MarshalBinary()
	if err != nil {
		return nil, err
	}
	infos, err := json.Marshal(p.st.infos)
	if err != nil {
		return nil, err
	}
	out := binary.AppendUvarint(make([]byte, 0, len(sig)+len(infos)+10), uint64(len(sig)))
	return append(append(out, sig...), infos...), nil
}

func decodePartial(b []byte) (partial, error) {
	if len(b) == 0 {
		return partial{st: &partialState{}}, nil
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return partial{}, errors.New("pipeline: bad partial signature encoding")
	}
	st := &partialState{sig: new(fingerprint.Signature)}
	if err := st.sig.UnmarshalBinary(b[k : k+int(n)]); err != nil {
		return partial{}, err
	}
	if err := json.Unmarshal(b[k+int(n):], &st.infos); err != nil {
		return partial{}, fmt.Errorf("pipeline: part infos: %w", err)
	}
	return partial{st: st}, nil
}

func (f *buildFn) CreateAccumulator() partial { return partial{st: &partialState{}} }

func (f *buildFn) AddInput(a partial, in []byte) (partial, error) {
	if !f.ready {
		var err error
		if f.o, err = f.Config.options(); err != nil {
			return a, err
		}
		f.ready = true
	}
	n, k := binary.Uvarint(in)
	if k <= 0 || n > uint64(len(in)-k) {
		return a, errors.New("pipeline: bad sized part encoding")
	}
	var p index.Part
	if err := p.UnmarshalBinary(in[k+int(n):]); err != nil {
		return a, err
	}
	if a.st == nil {
		a.st = &partialState{}
	}
	if a.st.pb == nil {
		var sizes *fingerprint.Counts
		if f.Config.Capacity == 0 {
			sizes = new(fingerprint.Counts)
			if err := sizes.UnmarshalBinary(in[k : k+int(n)]); err != nil {
				return a, err
			}
		}
		pb, err := index.NewPartBuilder(f.o, sizes)
		if err != nil {
			return a, err
		}
		a.st.pb = pb
	}
	// A CombineFn's AddInput is given no context: the runner cancels
	// the bundle by ending the worker.
	if err := a.st.pb.Add(context.Background(), p); err != nil {
		return a, fmt.Errorf("%s: %w", p, err)
	}
	return a, nil
}

func (f *buildFn) MergeAccumulators(a, b partial) (partial, error) {
	if err := a.settle(); err != nil {
		return a, err
	}
	if err := b.settle(); err != nil {
		return a, err
	}
	switch {
	case b.st == nil || b.st.sig == nil:
		return a, nil
	case a.st == nil || a.st.sig == nil:
		return b, nil
	}
	sig, err := fingerprint.Merge(a.st.sig, b.st.sig)
	if err != nil {
		return a, err
	}
	return partial{st: &partialState{sig: sig, infos: append(a.st.infos, b.st.infos...)}}, nil
}

func (f *buildFn) ExtractOutput(a partial) ([]byte, error) { return encodePartial(a) }

// writeFn completes the merged signature (index.Assemble) and writes it.
type writeFn struct {
	Config Config
	Files  [][]byte
}

func (f *writeFn) ProcessElement(b []byte) error {
	o, err := f.Config.options()
	if err != nil {
		return err
	}
	p, err := decodePartial(b)
	if err != nil {
		return err
	}
	if p.st.sig == nil {
		return errors.New("pipeline: no part was built")
	}
	files := make([]index.Part, len(f.Files))
	for i, fb := range f.Files {
		if err := files[i].UnmarshalBinary(fb); err != nil {
			return err
		}
	}
	sig, err := index.Assemble(o, files, p.st.sig, p.st.infos)
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
	register.DoFn2x1[[]byte, []byte, []byte](&sizedFn{})
	register.Combiner3[partial, []byte, []byte](&buildFn{})
	register.DoFn1x1[[]byte, error](&writeFn{})
	register.Emitter1[[]byte]()
}
