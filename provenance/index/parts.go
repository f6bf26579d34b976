package index

// Building a signature in parts, on other goroutines, processes or
// machines: Split, Cut, BuildPart (after CountPart, without a capacity),
// fingerprint.Merge, Assemble.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/regular"
	"github.com/leakprov/leakprov/sampleset"
)

// ErrParts is wrapped by Assemble's errors for parts that are missing,
// given twice or do not add up: not the parts of one Split.
var ErrParts = errors.New("index: parts do not make one build")

// Part is a piece of a build that can be read and signed apart from the
// others: one file of an input (all the members of it: an archive's
// entries, a dump's tables), or, once Cut, a range of the records of a
// plain delimited file. Building a signature in parts goes:
//
//	parts, _ := index.Split(ctx, inputs...)      // one per file, nothing read
//	// for each part, anywhere:
//	cut, _ := index.Cut(ctx, o, part, 64<<20)     // ranges of a large plain file
//	// for each part of cut, anywhere (without o.Capacity: CountPart first),
//	// or for each worker, with NewPartBuilder and every part it is given:
//	sig, info, _ := index.BuildPart(ctx, o, p, nil)
//	// merge the signatures in any order with fingerprint.Merge, then
//	sig, _ = index.Assemble(o, parts, merged, infos)
//
// With the same Options (Created fixed) the result is byte-identical to
// Build's over the same inputs, however the parts are spread and merged.
//
// A Part is a value: it may be copied and used concurrently.
// MarshalBinary and UnmarshalBinary carry it between processes; a part
// names its file by the path given, which every worker must be able to
// open.
type Part struct {
	input int    // the position of its Input among Split's
	file  int    // the position of its file among its input's
	seq   int    // the position of its range in the file; 0 for a whole file
	of    string // the input's path: members are recorded from its last element on
	path  string // the file
	rng   *sampleset.Range
	// On a file's first range: the file's metadata, the region it was
	// read under, and how many ranges it was cut into.
	meta   *fingerprint.Input
	region canon.Region
	ranges int
}

// String names the part in logs.
func (p Part) String() string {
	if p.rng != nil {
		return p.rng.String()
	}
	return p.path
}

// Split returns the parts of a build of inputs, each a file input (File;
// a Reader or Records input cannot be shared out): one part per regular
// file, in the order Build reads them (a glob's matches and a directory's
// files sorted). Nothing is read; Cut a part to share a large plain file
// out by ranges.
func Split(ctx context.Context, inputs ...Input) ([]Part, error) {
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%w: no inputs", ErrOptions)
	}
	var parts []Part
	for i, in := range inputs {
		if in.path == "" || in.path == "-" {
			return nil, fmt.Errorf("%w: %s is not a file: only files are built in parts", ErrOptions, in.name)
		}
		n := 0
		for path, err := range (&sampleset.Opener{}).Files(ctx, in.path) {
			if err != nil {
				return nil, err
			}
			parts = append(parts, Part{input: i, file: n, of: in.path, path: path})
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: %s holds no file", ErrNoRecords, in.name)
		}
	}
	return parts, nil
}

// Cut reads p's file to the end when it is a plain delimited file (see
// sampleset.Member.Ranges) and returns its records cut into parts of
// about size bytes, at record boundaries; any other part comes back as it
// is. It reads as Build does, with o's Region, Map, Encoding and SkipBad,
// and checks what Build checks of an input (RequireIdentifiers, a file of
// no records).
func Cut(ctx context.Context, o Options, p Part, size int64) ([]Part, error) {
	if p.rng != nil || p.path == "" {
		return []Part{p}, nil
	}
	bl := &build{o: o}
	op := sampleset.Opener{Configure: bl.configure, TempDir: o.SpoolDir}
	var out []Part
	for m, err := range op.Members(ctx, p.path) {
		if err != nil {
			return nil, err
		}
		if m.Path != p.path {
			return []Part{p}, nil // a container: read whole
		}
		cols, err := m.Reader.Columns()
		if err != nil {
			return nil, err
		}
		name := recordedPath(p.of, m.Path)
		region := cmp.Or(o.Region, m.Reader.Info().Region)
		if o.RequireIdentifiers {
			if err := checkIdentifiers(name, cols, region); err != nil {
				return nil, err
			}
		}
		ranges, err := m.Ranges(ctx, size)
		if err != nil || ranges == nil {
			return []Part{p}, err
		}
		info := m.Reader.Info()
		if info.Records == 0 {
			return nil, fmt.Errorf("%w: %s holds no records", ErrNoRecords, name)
		}
		digest, _, err := m.SHA256()
		if err != nil {
			return nil, err
		}
		meta := inputMeta(name, digest, info.Records, info, cols, region)
		for i := range ranges {
			q := p
			q.seq, q.rng = i, &ranges[i]
			if i == 0 {
				q.meta, q.region, q.ranges = &meta, region, len(ranges)
			}
			out = append(out, q)
		}
	}
	if out == nil {
		return []Part{p}, nil
	}
	return out, nil
}

// PartInfo is what BuildPart read of a part, besides the records'
// signature: Assemble records it in the signature's metadata. Its fields
// are exported to be carried between processes (it encodes as JSON); only
// Assemble reads them.
type PartInfo struct {
	Input int `json:"input"`
	File  int `json:"file"`
	Seq   int `json:"seq"`
	// Members are the inputs of the signature's metadata that the part
	// read (a whole file's members; a file's first range: the file), and
	// Regions the region each was read under.
	Members []fingerprint.Input `json:"members,omitempty"`
	Regions []canon.Region      `json:"regions,omitempty"`
	// Ranges is how many ranges the file was cut into (first range).
	Ranges int `json:"ranges,omitempty"`
	// Range says the part is a range; Records and Skipped count its
	// records.
	Range   bool   `json:"range,omitempty"`
	Records uint64 `json:"records,omitempty"`
	Skipped uint64 `json:"skipped,omitempty"`
}

// CountPart reads a part and returns the distinct counts of its values:
// the first pass of a build in parts without o.Capacity (merge the parts'
// counts with Counts.Merge and give the result to every BuildPart).
func CountPart(ctx context.Context, o Options, p Part) (*fingerprint.Counts, error) {
	o.Capacity = 0
	bl, err := newBuild(o, nil, true)
	if err != nil {
		return nil, err
	}
	defer bl.close()
	if _, err := bl.part(ctx, p); err != nil {
		return nil, err
	}
	if err := bl.join(); err != nil {
		return nil, err
	}
	return bl.b.Counts(), nil
}

// BuildPart reads a part and returns the signature of its records, to be
// merged with the other parts' (fingerprint.Merge), and what Assemble
// needs of it: a PartBuilder given the one part.
func BuildPart(ctx context.Context, o Options, p Part, sizes *fingerprint.Counts) (*fingerprint.Signature, PartInfo, error) {
	pb, err := NewPartBuilder(o, sizes)
	if err != nil {
		return nil, PartInfo{}, err
	}
	if err := pb.Add(ctx, p); err != nil {
		pb.Close()
		return nil, PartInfo{}, err
	}
	sig, infos, err := pb.Finish()
	if err != nil {
		return nil, PartInfo{}, err
	}
	return sig, infos[0], nil
}

// PartBuilder builds the signature of any number of parts, added one by
// one: what a worker of a distributed build keeps while the runner hands
// it parts, so that it makes one signature (its filters the size of the
// whole dump's) for all of them, not one for each. Its signature merges
// with the other workers' (fingerprint.Merge) like a part's. A
// PartBuilder is not safe for concurrent use.
type PartBuilder struct {
	bl    *build
	infos []PartInfo
}

// NewPartBuilder returns an empty PartBuilder. Without o.Capacity, sizes
// must be the merged CountPart counts of every part (see
// fingerprint.Counts).
func NewPartBuilder(o Options, sizes *fingerprint.Counts) (*PartBuilder, error) {
	if o.Capacity == 0 && sizes == nil {
		return nil, fmt.Errorf("%w: a part is sized by a capacity, or by the counts of every part", ErrOptions)
	}
	bl, err := newBuild(o, sizes, false)
	if err != nil {
		return nil, err
	}
	return &PartBuilder{bl: bl}, nil
}

// Add reads a part into the build.
func (pb *PartBuilder) Add(ctx context.Context, p Part) error {
	info, err := pb.bl.part(ctx, p)
	if err != nil {
		return err
	}
	pb.infos = append(pb.infos, info)
	return nil
}

// Finish returns the signature of the parts added, and what Assemble
// needs of each, in the order they were added. The PartBuilder cannot be
// used afterwards.
func (pb *PartBuilder) Finish() (*fingerprint.Signature, []PartInfo, error) {
	defer pb.bl.close()
	sig, err := pb.bl.finish()
	if err != nil {
		return nil, nil, err
	}
	return sig, pb.infos, nil
}

// Close releases the temporary spool of a PartBuilder abandoned before
// Finish. It is safe to call twice.
func (pb *PartBuilder) Close() { pb.bl.close() }

// part reads a part into the build.
func (bl *build) part(ctx context.Context, p Part) (PartInfo, error) {
	info := PartInfo{Input: p.input, File: p.file, Seq: p.seq}
	if p.path == "" {
		return info, fmt.Errorf("%w: an empty part", ErrOptions)
	}
	if p.rng == nil {
		op := sampleset.Opener{Configure: bl.configure, TempDir: bl.o.SpoolDir, Skipped: bl.o.Skipped}
		for m, err := range op.Members(ctx, p.path) {
			if err == nil {
				var meta fingerprint.Input
				var region canon.Region
				meta, region, err = bl.add(ctx, p.file, recordedPath(p.of, m.Path), m.Reader, m)
				info.Members, info.Regions = append(info.Members, meta), append(info.Regions, region)
			}
			if err != nil {
				return info, err
			}
		}
		return info, nil
	}
	f, _, err := regular.Open(p.path)
	if err != nil {
		return info, err
	}
	defer f.Close()
	r := p.rng.NewReader(f)
	r.ReuseRecord = true
	cols, err := r.Columns()
	if err != nil {
		return info, err
	}
	var records uint64
	if err := bl.pipeline(ctx, r, cmp.Or(bl.o.Region, r.Info().Region), cols, func([]string) { records++ }); err != nil {
		return info, err
	}
	info.Range, info.Records, info.Skipped = true, records, uint64(r.Info().Skipped)
	if p.meta != nil {
		info.Members, info.Regions, info.Ranges = []fingerprint.Input{*p.meta}, []canon.Region{p.region}, p.ranges
	}
	return info, nil
}

// Assemble completes the merged signature of the parts Split returned
// (all of them, cut or not) into what Build returns: the inputs' metadata
// in order, the region, the skip counts, and Build's checks of the
// whole (duplicate inputs, Options.CheckCapacity). infos are every
// BuildPart's, in any order; o is the Options every part was built with.
func Assemble(o Options, parts []Part, merged *fingerprint.Signature, infos []PartInfo) (*fingerprint.Signature, error) {
	infos = slices.Clone(infos)
	slices.SortFunc(infos, func(a, b PartInfo) int {
		return cmp.Or(cmp.Compare(a.Input, b.Input), cmp.Compare(a.File, b.File), cmp.Compare(a.Seq, b.Seq))
	})
	type fileKey struct{ input, file int }
	want := map[fileKey]bool{}
	inputs := map[int]bool{}
	for _, p := range parts {
		want[fileKey{p.input, p.file}] = true
		inputs[p.input] = false
	}
	var metas []fingerprint.Input
	var skipped uint64
	region := o.Region
	seen := map[string]string{} // SHA-256 → the input that had it
	for i := 0; i < len(infos); {
		in := infos[i]
		k := fileKey{in.Input, in.File}
		if !want[k] {
			return nil, fmt.Errorf("%w: part %d of file %d of input %d is not one of the parts, or came twice", ErrParts, in.Seq, in.File, in.Input)
		}
		delete(want, k)
		// A file's parts: one whole, or its ranges in order.
		j := i + 1
		for j < len(infos) && infos[j].Input == in.Input && infos[j].File == in.File {
			j++
		}
		file := infos[i:j]
		if in.Range {
			var records, skips uint64
			for s, r := range file {
				if r.Seq != s || !r.Range {
					return nil, fmt.Errorf("%w: file %d of input %d: range %d missing or given twice", ErrParts, in.File, in.Input, s)
				}
				records += r.Records
				skips += r.Skipped
			}
			if len(in.Members) != 1 || in.Seq != 0 || in.Ranges != len(file) {
				return nil, fmt.Errorf("%w: file %d of input %d: %d ranges of %d", ErrParts, in.File, in.Input, len(file), in.Ranges)
			}
			if m := in.Members[0]; m.Records != records || m.Skipped != skips {
				return nil, fmt.Errorf("%w: %s: its ranges hold %d records and skip %d, the file %d and %d", ErrParts, m.Path, records, skips, m.Records, m.Skipped)
			}
		} else if len(file) != 1 || in.Seq != 0 {
			return nil, fmt.Errorf("%w: file %d of input %d: a whole file in %d parts", ErrParts, in.File, in.Input, len(file))
		}
		for m, meta := range in.Members {
			if meta.Records == 0 {
				return nil, fmt.Errorf("%w: %s holds no records", ErrNoRecords, meta.Path)
			}
			if first, dup := seen[meta.SHA256]; dup {
				return nil, fmt.Errorf("%w: %s and %s are the same data (sha256 %s): indexing it twice would double its counts",
					ErrDuplicateInput, first, meta.Path, meta.SHA256)
			}
			seen[meta.SHA256] = meta.Path
			metas = append(metas, meta)
			skipped += meta.Skipped
			if region == "" && m < len(in.Regions) {
				region = in.Regions[m]
			}
			inputs[in.Input] = true
		}
		i = j
	}
	for k := range want {
		return nil, fmt.Errorf("%w: file %d of input %d was not built", ErrParts, k.file, k.input)
	}
	for i, some := range inputs {
		if !some {
			return nil, fmt.Errorf("%w: input %d holds no table", ErrNoRecords, i)
		}
	}
	bl := &build{o: o}
	if err := bl.checkRecords(metas); err != nil {
		return nil, err
	}
	if err := bl.checkDistinct(merged); err != nil {
		return nil, err
	}
	out := *merged
	out.Meta.Inputs, out.Meta.Region, out.Meta.Skipped = metas, region, skipped
	return &out, nil
}

// partVersion is the version of Part's binary encoding.
const partVersion = 1

// partJSON is Part's binary encoding.
type partJSON struct {
	Version int                `json:"v"`
	Input   int                `json:"input"`
	File    int                `json:"file"`
	Seq     int                `json:"seq"`
	Of      string             `json:"of"`
	Path    string             `json:"path"`
	Range   []byte             `json:"range,omitempty"`
	Meta    *fingerprint.Input `json:"meta,omitempty"`
	Region  canon.Region       `json:"region,omitempty"`
	Ranges  int                `json:"ranges,omitempty"`
}

// MarshalBinary encodes the part.
func (p Part) MarshalBinary() ([]byte, error) {
	j := partJSON{Version: partVersion, Input: p.input, File: p.file, Seq: p.seq, Of: p.of, Path: p.path,
		Meta: p.meta, Region: p.region, Ranges: p.ranges}
	if p.rng != nil {
		var err error
		if j.Range, err = p.rng.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	return json.Marshal(j)
}

// UnmarshalBinary decodes a part MarshalBinary encoded, checking it
// before it sets the receiver.
func (p *Part) UnmarshalBinary(data []byte) error {
	var j partJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: part: %v", ErrParts, err)
	}
	switch {
	case j.Version != partVersion:
		return fmt.Errorf("%w: part encoding version %d, want %d", ErrParts, j.Version, partVersion)
	case j.Path == "" || j.Of == "" || j.Input < 0 || j.File < 0 || j.Seq < 0 || j.Ranges < 0:
		return fmt.Errorf("%w: part %q of %q: input %d, file %d, range %d of %d", ErrParts, j.Path, j.Of, j.Input, j.File, j.Seq, j.Ranges)
	case (j.Meta != nil) != (j.Ranges > 0) || (j.Meta != nil && (j.Seq != 0 || j.Range == nil)) || (j.Range == nil && j.Seq != 0):
		return fmt.Errorf("%w: part %q: range %d of %d, metadata %t", ErrParts, j.Path, j.Seq, j.Ranges, j.Meta != nil)
	}
	out := Part{input: j.Input, file: j.File, seq: j.Seq, of: j.Of, path: j.Path, meta: j.Meta, region: j.Region, ranges: j.Ranges}
	if j.Range != nil {
		out.rng = new(sampleset.Range)
		if err := out.rng.UnmarshalBinary(j.Range); err != nil {
			return fmt.Errorf("%w: part %q: %w", ErrParts, j.Path, err)
		}
		if out.rng.Path() != j.Path {
			return fmt.Errorf("%w: part %q holds a range of %q", ErrParts, j.Path, out.rng.Path())
		}
	}
	*p = out
	return nil
}

// MarshalBinary encodes the info as JSON.
func (pi PartInfo) MarshalBinary() ([]byte, error) { return json.Marshal(pi) }

// UnmarshalBinary decodes an info MarshalBinary encoded, leaving the
// receiver untouched on an error.
func (pi *PartInfo) UnmarshalBinary(data []byte) error {
	var out PartInfo
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("%w: part info: %v", ErrParts, err)
	}
	if out.Input < 0 || out.File < 0 || out.Seq < 0 || out.Ranges < 0 || len(out.Regions) != len(out.Members) {
		return fmt.Errorf("%w: part info: input %d, file %d, range %d of %d, %d regions for %d members",
			ErrParts, out.Input, out.File, out.Seq, out.Ranges, len(out.Regions), len(out.Members))
	}
	*pi = out
	return nil
}
