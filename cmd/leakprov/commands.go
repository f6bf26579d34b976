package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/sampleset"
)

// readFlags are the flags of every command that reads a dump.
type readFlags struct {
	region   string
	encoding string
	skipBad  bool
	maps     multiFlag
}

func (r *readFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.region, "region", "", "country `CC` for national phone and ID formats (default: inferred)")
	fs.StringVar(&r.encoding, "encoding", "", "text encoding of the input (default: detected)")
	fs.BoolVar(&r.skipBad, "skip-bad", false, "count and skip malformed records instead of failing")
	fs.Var(&r.maps, "map", "force a column's kind, `COLUMN=KIND` (repeatable)")
}

func (r *readFlags) parseRegion() (canon.Region, error) {
	reg, ok := canon.ParseRegion(r.region)
	if !ok {
		return "", usageError{fmt.Sprintf("--region %q: want a two-letter country code", r.region)}
	}
	return reg, nil
}

// input is an open dump: its reader and a running SHA-256 of its bytes.
type input struct {
	*sampleset.Reader
	f   *os.File
	sum hash.Hash
	tee io.Reader
}

func (r *readFlags) open(path string) (*input, error) {
	region, err := r.parseRegion()
	if err != nil {
		return nil, err
	}
	m := map[string]canon.Kind{}
	for _, kv := range r.maps {
		i := strings.LastIndexByte(kv, '=')
		if i <= 0 {
			return nil, usageError{fmt.Sprintf("--map %q: want COLUMN=KIND", kv)}
		}
		k, err := canon.ParseKind(kv[i+1:])
		if err != nil {
			return nil, usageError{fmt.Sprintf("--map %q: %v", kv, err)}
		}
		m[kv[:i]] = k
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	in := &input{f: f, sum: sha256.New()}
	in.tee = io.TeeReader(f, in.sum)
	in.Reader = sampleset.NewReader(in.tee)
	in.Reader.Name = path
	in.Reader.Region = region
	in.Reader.Encoding = r.encoding
	in.Reader.SkipBad = r.skipBad
	if len(m) > 0 {
		in.Reader.Map = m
	}
	return in, nil
}

// finish reads what the parser left and returns the file's SHA-256.
func (in *input) finish() (string, error) {
	if _, err := io.Copy(io.Discard, in.tee); err != nil {
		return "", err
	}
	return hex.EncodeToString(in.sum.Sum(nil)), nil
}

func (in *input) Close() error { return in.f.Close() }

func hasherFrom(keyFile string) (*fingerprint.Hasher, error) {
	if keyFile == "" {
		return fingerprint.NewHasher(nil)
	}
	key, err := fingerprint.ReadKeyFile(keyFile)
	if err != nil {
		return nil, err
	}
	return fingerprint.NewHasher(key)
}

func checkDate(flagName, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", v); err != nil {
		return usageError{fmt.Sprintf("--%s %q: want YYYY-MM-DD", flagName, v)}
	}
	return nil
}

// createdTime honours SOURCE_DATE_EPOCH for reproducible signatures.
func createdTime() (time.Time, error) {
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, usageError{fmt.Sprintf("SOURCE_DATE_EPOCH %q is not a number of seconds", v)}
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now().UTC().Truncate(time.Second), nil
}

func cmdIndex(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	name := fs.String("name", "", "source `NAME` (required)")
	snapshot := fs.String("snapshot", "", "date the dump was taken, `YYYY-MM-DD`")
	keyFile := fs.String("key-file", "", "secret key `FILE` (at least 32 bytes) for keyed hashing")
	fpr := fs.Float64("fpr", fingerprint.DefaultFPR, "false-positive rate of the filters")
	capacity := fs.Uint64("capacity", 0, "fix filter sizes to hold `N` values, so shards merge (default: sized to the data)")
	out := fs.String("o", "", "output signature `FILE` (required)")
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *name == "":
		return usageError{"--name is required"}
	case *out == "":
		return usageError{"-o is required"}
	case len(inputs) == 0:
		return usageError{"no input files"}
	}
	if err := checkDate("snapshot", *snapshot); err != nil {
		return err
	}
	region, err := rf.parseRegion()
	if err != nil {
		return err
	}
	sigRegion := region
	h, err := hasherFrom(*keyFile)
	if err != nil {
		return err
	}
	created, err := createdTime()
	if err != nil {
		return err
	}
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{
		Meta:     fingerprint.Metadata{Name: *name, Snapshot: *snapshot, Created: created, Tool: provenance.Tool, Region: region},
		FPR:      *fpr,
		Capacity: *capacity,
	})
	if err != nil {
		return usageError{err.Error()}
	}
	defer b.Close()
	var metas []fingerprint.Input
	for _, path := range inputs {
		m, inputRegion, err := indexOne(ctx, &rf, path, h, region, b)
		if err != nil {
			return err
		}
		metas = append(metas, m)
		if sigRegion == "" {
			sigRegion = inputRegion
		}
	}
	sig, err := b.Finish()
	if err != nil {
		return err
	}
	sig.Meta.Inputs = metas
	sig.Meta.Region = sigRegion
	for _, m := range metas {
		sig.Meta.Skipped += m.Skipped
	}
	return fingerprint.WriteFile(*out, sig)
}

// indexOne adds one input file to b. Without --region, each input is read
// under the region detected from its own values; that region is returned.
func indexOne(ctx context.Context, rf *readFlags, path string, h *fingerprint.Hasher, region canon.Region, b *fingerprint.Builder) (fingerprint.Input, canon.Region, error) {
	in, err := rf.open(path)
	if err != nil {
		return fingerprint.Input{}, "", err
	}
	defer in.Close()
	if _, err := in.Columns(); err != nil {
		return fingerprint.Input{}, "", err
	}
	if region == "" {
		region = in.Info().Region
	}
	cols, err := provenance.Index(ctx, b, fingerprint.NewEncoder(h, region), in)
	if err != nil {
		return fingerprint.Input{}, "", err
	}
	sum, err := in.finish()
	if err != nil {
		return fingerprint.Input{}, "", err
	}
	info := in.Info()
	m := fingerprint.Input{Path: filepath.Base(path), SHA256: sum, Records: uint64(info.Records), Skipped: uint64(info.Skipped),
		Format: string(info.Format), Encoding: info.Encoding, Columns: []fingerprint.ColumnKind{}}
	for _, c := range cols {
		m.Columns = append(m.Columns, fingerprint.ColumnKind{Name: c.Name, Kind: c.Kind})
	}
	return m, region, nil
}

// sliceRecords serves records already in memory (a uniform sample).
type sliceRecords struct {
	cols []sampleset.Column
	recs [][]string
	info sampleset.Info
}

func (s *sliceRecords) Columns() ([]sampleset.Column, error) { return s.cols, nil }
func (s *sliceRecords) Info() sampleset.Info                 { return s.info }
func (s *sliceRecords) Read() ([]string, error) {
	if len(s.recs) == 0 {
		return nil, io.EOF
	}
	r := s.recs[0]
	s.recs = s.recs[1:]
	return r, nil
}

func cmdScore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	var catalogs multiFlag
	fs.Var(&catalogs, "catalog", "signature `DIR|FILE` (repeatable)")
	keyFile := fs.String("key-file", "", "secret key `FILE` the catalog was built with")
	schema := fs.String("schema", "", "accused system: a built-in schema `NAME` or a schema FILE")
	claimed := fs.Int64("claimed-records", 0, "record count the seller claims")
	format := fs.String("format", "text", "output format: json, text, markdown or html")
	expect := fs.String("expect", "", "exit 1 unless the verdict is `VERDICT` (recycled, new, mixed, insufficient)")
	sampleN := fs.Int("sample", 0, "score a uniform sample of `N` records")
	seed := fs.Uint64("seed", 1, "seed of --sample")
	th := provenance.DefaultThresholds()
	fs.Float64Var(&th.RecycledAt, "recycled-at", th.RecycledAt, "explained share at or above which the verdict is recycled")
	fs.Float64Var(&th.NewAt, "new-at", th.NewAt, "explained share at or below which the verdict is new")
	fs.IntVar(&th.MinIdentified, "min-identified", th.MinIdentified, "fewest identified records for a verdict")
	fs.Float64Var(&th.NovelBelow, "novel-below", th.NovelBelow, "containment below which a kind is novel in every source")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want exactly one SAMPLE file"}
	}
	if len(catalogs) == 0 {
		return usageError{"--catalog is required"}
	}
	if *claimed < 0 || (*claimed > 0 && *schema == "") {
		return usageError{"--claimed-records needs --schema (the population to compare with) and a positive count"}
	}
	if err := th.Validate(); err != nil {
		return usageError{err.Error()}
	}
	switch *expect {
	case "", provenance.Recycled, provenance.New, provenance.Mixed, provenance.Insufficient:
	default:
		return usageError{fmt.Sprintf("--expect %q: want recycled, new, mixed or insufficient", *expect)}
	}
	if err := checkFormat(*format, provenance.Formats...); err != nil {
		return err
	}
	region, err := rf.parseRegion()
	if err != nil {
		return err
	}
	h, err := hasherFrom(*keyFile)
	if err != nil {
		return err
	}
	cat, err := provenance.LoadCatalog(catalogs...)
	if err != nil {
		return err
	}
	o := provenance.Options{Hasher: h, Region: region, SamplePath: pos[0], Thresholds: th, ClaimedRecords: *claimed}
	if *schema != "" {
		if o.Schema, err = provenance.LoadSchema(*schema); err != nil {
			return err
		}
	}
	in, err := rf.open(pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	var recs provenance.Records = in
	if *sampleN > 0 {
		cols, err := in.Columns()
		if err != nil {
			return err
		}
		rows, err := sampleset.Sample(ctx, in.Reader, *sampleN, *seed)
		if err != nil {
			return err
		}
		recs = &sliceRecords{cols: cols, recs: rows, info: in.Info()}
		if int64(len(rows)) < in.Info().Records {
			o.Sampling = &provenance.Sampling{Size: len(rows), Total: in.Info().Records, Seed: *seed}
		}
	}
	rep, err := provenance.Score(ctx, cat, recs, o)
	if err != nil {
		return err
	}
	if err := rep.Render(stdout, *format); err != nil {
		return err
	}
	if *expect != "" && rep.Verdict != *expect {
		return expectError{got: rep.Verdict, want: *expect}
	}
	return nil
}

// checkFormat refuses an output format a command does not write.
func checkFormat(f string, allowed ...string) error {
	if !slices.Contains(allowed, f) {
		return usageError{fmt.Sprintf("--format %q: want %s", f, strings.Join(allowed, " or "))}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdProfile(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	format := fs.String("format", "text", "output format: json or text")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want exactly one INPUT file"}
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	in, err := rf.open(pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	p, err := sampleset.ReadProfile(ctx, in.Reader)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(stdout, p)
	}
	return profileText(stdout, p)
}

func cmdSchemas(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("schemas", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: json or text")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"schemas takes no arguments"}
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	all, err := provenance.BuiltinSchemas()
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(stdout, all)
	}
	for _, s := range all {
		kinds := make([]string, len(s.Holds))
		for i, h := range s.Holds {
			kinds[i] = h.Kind.String()
		}
		fmt.Fprintf(stdout, "%-24s %-2s %-30s holds %s\n", s.Name, s.Country, s.System, strings.Join(kinds, ", "))
	}
	return nil
}

func cmdMerge(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("o", "", "output signature `FILE` (required)")
	shards, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(shards) < 2 {
		return usageError{"want -o OUT and at least two shards"}
	}
	var acc *fingerprint.Signature
	for _, p := range shards {
		s, err := fingerprint.ReadFile(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if acc == nil {
			acc = s
			continue
		}
		if acc, err = fingerprint.Merge(acc, s); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return fingerprint.WriteFile(*out, acc)
}

func cmdCompare(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: json or text")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError{"want two signature files"}
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	var sigs [2]*fingerprint.Signature
	for i, p := range pos {
		if sigs[i], err = fingerprint.ReadFile(p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	c, err := provenance.Compare(sigs[0], sigs[1])
	if err != nil {
		return fmt.Errorf("%s and %s: %w", pos[0], pos[1], err)
	}
	if *format == "json" {
		return writeJSON(stdout, c)
	}
	return c.RenderText(stdout)
}

func cmdInspect(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: json or text")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"want one signature file"}
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	s, err := fingerprint.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	d := describe(s)
	if *format == "json" {
		return writeJSON(stdout, d)
	}
	return inspectText(stdout, d)
}

// description is inspect's view of a signature.
type description struct {
	Meta       fingerprint.Metadata `json:"meta"`
	DoNotShare bool                 `json:"do_not_share"`
	Warning    string               `json:"warning,omitempty"`
	Kinds      []kindDescription    `json:"kinds"`
	Pairs      *filterDescription   `json:"pairs,omitempty"`
}

type kindDescription struct {
	Kind        string             `json:"kind"`
	Values      uint64             `json:"values"`
	Valid       uint64             `json:"valid"`
	CheckFailed uint64             `json:"check_failed"`
	Distinct    uint64             `json:"distinct"`
	MinHash     int                `json:"minhash"`
	MinDate     string             `json:"min_date,omitempty"`
	MaxDate     string             `json:"max_date,omitempty"`
	Filter      *filterDescription `json:"filter,omitempty"`
}

type filterDescription struct {
	Bits uint64  `json:"bits"`
	K    uint32  `json:"k"`
	Fill float64 `json:"fill"`
	FPR  float64 `json:"fpr"`
}

func describeFilter(f *fingerprint.Filter) *filterDescription {
	if f == nil {
		return nil
	}
	return &filterDescription{Bits: f.Bits(), K: f.K(), Fill: f.Fill(), FPR: f.FalsePositiveRate()}
}

const doNotShare = "unkeyed signature: anyone holding this file can test whether a guessed value (a phone number, an ID) is in the dump. Do not share it outside your team; use --key-file for signatures that leave it."

func describe(s *fingerprint.Signature) description {
	d := description{Meta: s.Meta, Pairs: describeFilter(s.Pairs), Kinds: []kindDescription{}}
	if s.Meta.HashMode == fingerprint.Unkeyed {
		d.DoNotShare, d.Warning = true, doNotShare
	}
	for _, f := range s.Fields {
		d.Kinds = append(d.Kinds, kindDescription{Kind: f.Kind.String(), Values: f.Values, Valid: f.Valid,
			CheckFailed: f.CheckFailed, Distinct: f.DistinctCount(), MinHash: len(f.MinHash),
			MinDate: f.MinDate, MaxDate: f.MaxDate, Filter: describeFilter(f.Filter)})
	}
	return d
}

func inspectText(w io.Writer, d description) error {
	var b strings.Builder
	m := d.Meta
	fmt.Fprintf(&b, "%s (snapshot %s)\n", m.Name, orDash(m.Snapshot))
	fmt.Fprintf(&b, "  created %s by %s; normaliser v%d; hashing %s", m.Created.Format(time.RFC3339), m.Tool, m.CanonVersion, m.HashMode)
	if m.KeyID != "" {
		fmt.Fprintf(&b, " key %s", m.KeyID)
	}
	fmt.Fprintf(&b, "\n  region %s; %d records (%d skipped); fpr %g; capacity %d; MinHash scale 1/%d\n",
		orDash(string(m.Region)), m.Records, m.Skipped, m.FPR, m.Capacity, m.MinHashScale)
	if d.DoNotShare {
		fmt.Fprintf(&b, "  DO NOT SHARE: %s\n", d.Warning)
	}
	for _, in := range m.Inputs {
		fmt.Fprintf(&b, "  input %s sha256 %s, %d records (%d skipped), %s %s\n", in.Path, in.SHA256, in.Records, in.Skipped, in.Format, in.Encoding)
		for _, c := range in.Columns {
			fmt.Fprintf(&b, "    %-30s %s\n", c.Name, c.Kind)
		}
	}
	fmt.Fprintf(&b, "  %-16s %10s %10s %10s %10s %12s %6s\n", "kind", "values", "valid", "distinct", "minhash", "filter bits", "fpr")
	for _, k := range d.Kinds {
		bits, fpr := uint64(0), 0.0
		if k.Filter != nil {
			bits, fpr = k.Filter.Bits, k.Filter.FPR
		}
		fmt.Fprintf(&b, "  %-16s %10d %10d %10d %10d %12d %6.0e", k.Kind, k.Values, k.Valid, k.Distinct, k.MinHash, bits, fpr)
		if k.MinDate != "" {
			fmt.Fprintf(&b, "  dates %s..%s", k.MinDate, k.MaxDate)
		}
		b.WriteByte('\n')
	}
	if d.Pairs != nil {
		fmt.Fprintf(&b, "  pairs: %d bits, k %d, fill %.4f, fpr %.1e\n", d.Pairs.Bits, d.Pairs.K, d.Pairs.Fill, d.Pairs.FPR)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
