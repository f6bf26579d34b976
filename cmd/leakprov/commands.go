package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/atomicfile"
	"github.com/leakprov/leakprov/internal/untrusted"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// readFlags are the flags of every command that reads a dump.
type readFlags struct {
	region      string
	forceRegion bool
	encoding    string
	skipBad     bool
	maps        multiFlag
}

func (r *readFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.region, "region", "", "country `CC` for national phone and ID formats: "+regionList()+" (default: inferred)")
	fs.BoolVar(&r.forceRegion, "force-region", false, "keep --region even where the values point to another region")
	fs.StringVar(&r.encoding, "encoding", "", "text `ENCODING` of the input, e.g. windows-1251 or koi8-u (default: detected)")
	fs.BoolVar(&r.skipBad, "skip-bad", false, "count and skip malformed records instead of failing")
	fs.Var(&r.maps, "map", "force a column's kind, `COLUMN=KIND` (repeatable)")
}

// parseRegion parses --region: "" (inferred) or a region with
// country-specific rules, in any letter case.
func (r *readFlags) parseRegion() (canon.Region, error) {
	reg, ok := canon.ParseRegion(r.region)
	if !ok || reg != "" && !slices.Contains(canon.KnownRegions, reg) {
		return "", usageError{fmt.Sprintf("--region %q: the regions with national phone and ID rules are %s; leave --region out to infer it from the values",
			r.region, regionList())}
	}
	return reg, nil
}

// regionList lists the regions --region accepts.
func regionList() string {
	known := make([]string, len(canon.KnownRegions))
	for i, k := range canon.KnownRegions {
		known[i] = string(k)
	}
	return strings.Join(known, ", ")
}

// kindMap parses the --map flags.
func (r *readFlags) kindMap() (map[string]canon.Kind, error) {
	m := map[string]canon.Kind{}
	for _, kv := range r.maps {
		i := strings.LastIndexByte(kv, '=')
		if i <= 0 {
			return nil, usageError{fmt.Sprintf("--map %q: want COLUMN=KIND", kv)}
		}
		k, err := canon.ParseKind(kv[i+1:])
		if err != nil || k == canon.NameBirthDate {
			return nil, usageError{fmt.Sprintf("--map %q: unknown kind %q: want one of %s", kv, kv[i+1:], kindNames())}
		}
		m[kv[:i]] = k
	}
	return m, nil
}

// opener returns the opener of dumps and samples with the flags'
// settings: files, directories, archives, or standard input for "-".
func (r *readFlags) opener() (*sampleset.Opener, error) {
	region, err := r.parseRegion()
	if err != nil {
		return nil, err
	}
	m, err := r.kindMap()
	if err != nil {
		return nil, err
	}
	return &sampleset.Opener{
		Configure: func(rd *sampleset.Reader) {
			rd.Region, rd.ForceRegion, rd.Encoding, rd.SkipBad = region, r.forceRegion, r.encoding, r.skipBad
			if len(m) > 0 {
				rd.Map = m
			}
		},
		Stdin:     stdin,
		StdinName: stdinName,
		Skipped:   warnSkipped,
	}, nil
}

// warnSkipped warns of an archive entry passed over.
func warnSkipped(path string, why error) {
	fmt.Fprintf(warnings, "leakprov: warning: %s: skipped: %v\n", untrusted.Text(path), why)
}

// stdinName names standard input ("-") in reports and signatures.
const stdinName = "stdin"

// loadHasher loads the key file's hasher (unkeyed for ""), warning when
// the file can be read by others than its owner.
func loadHasher(keyFile string) (*fingerprint.Hasher, error) {
	h, err := fingerprint.LoadHasher(keyFile)
	if err == nil && keyFile != "" {
		if fi, serr := os.Stat(keyFile); serr == nil && fi.Mode().Perm()&0o077 != 0 {
			fmt.Fprintf(warnings, "leakprov: warning: key file %s can be read by others (mode %04o): chmod 600 it\n", untrusted.Text(keyFile), fi.Mode().Perm())
		}
	}
	return h, err
}

func cmdKeygen(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	out := fs.String("o", "", "key `FILE` to create (required; never replaced)")
	if _, err := parseExactly(fs, args, 0, "keygen takes no arguments but -o KEY"); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"-o is required"}
	}
	return fingerprint.CreateKeyFile(*out)
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
	return time.Time{}, nil
}

func cmdIndex(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	var rf readFlags
	rf.register(fs)
	var o index.Options
	fs.StringVar(&o.Name, "name", "", "source `NAME` (required)")
	fs.StringVar(&o.Snapshot, "snapshot", "", "date the dump was taken, `YYYY-MM-DD`")
	fs.StringVar(&o.Description, "description", "", "what the dump is, `TEXT` shown by inspect and in reports")
	fs.StringVar(&o.URL, "url", "", "where the dump is documented, an http(s) `URL` shown by inspect and in reports")
	keyFile := fs.String("key-file", "", "secret key `FILE` (at least 32 bytes) for keyed hashing")
	fs.Float64Var(&o.FPR, "fpr", fingerprint.DefaultFPR, "false-positive rate `P` of the filters, above 0 and below 0.5")
	fs.Uint64Var(&o.Capacity, "capacity", 0, "fix filter sizes to hold `N` values, so shards merge (default: sized to the data)")
	out := fs.String("o", "", "output signature `FILE` (required)")
	force := fs.Bool("force", false, "replace -o if it exists (never an input)")
	quiet := quietFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case o.Name == "":
		return usageError{"--name is required"}
	case *out == "":
		return usageError{"-o is required"}
	case len(paths) == 0:
		return usageError{"no input files"}
	case !(o.FPR > 0 && o.FPR < 0.5): // NaN too
		return usageError{fmt.Sprintf("--fpr %g: want a false-positive rate above 0 and below 0.5 (default %g)", o.FPR, fingerprint.DefaultFPR)}
	}
	// A capacity that saturates the filters, or wastes them, and an input
	// no record of which could be matched, are refused, not indexed.
	o.CheckCapacity, o.RequireIdentifiers = true, true
	if err := checkOutput(*out, *force, paths); err != nil {
		return err
	}
	if o.Region, err = rf.parseRegion(); err != nil {
		return err
	}
	if o.Map, err = rf.kindMap(); err != nil {
		return err
	}
	o.Encoding, o.SkipBad, o.ForceRegion = rf.encoding, rf.skipBad, rf.forceRegion
	if o.Hasher, err = loadHasher(*keyFile); err != nil {
		return err
	}
	if o.Created, err = createdTime(); err != nil {
		return err
	}
	o.Skipped = warnSkipped
	inputs := make([]index.Input, len(paths))
	for i, p := range paths {
		if p != "-" {
			inputs[i] = index.File(p)
			continue
		}
		if slices.Contains(paths[i+1:], "-") {
			return usageError{"standard input (-) given twice"}
		}
		inputs[i] = index.Reader(stdinName, stdin)
	}
	prog := newProgress(*quiet)
	defer prog.finish()
	o.Progress = indexProgress(prog)
	sig, err := index.Build(ctx, o, inputs...)
	prog.finish()
	if err != nil {
		return err
	}
	if err := writeSignature(*out, sig, *force); err != nil {
		return err
	}
	if !*quiet {
		var size int64
		if fi, err := os.Stat(*out); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		fmt.Fprintf(warnings, "leakprov index: %s\n", indexSummary(sig, size))
	}
	return nil
}

// checkOutput refuses an output that is one of the inputs (the same file,
// however named), and one that exists unless force.
func checkOutput(out string, force bool, inputs []string) error {
	ost, err := os.Stat(out)
	if err != nil {
		return nil // nothing there yet (or nothing we can see: the write will say)
	}
	if atomicfile.IsStream(out) {
		return nil // /dev/null, a pipe: written in place
	}
	for _, in := range inputs {
		if ist, err := os.Stat(in); err == nil && os.SameFile(ost, ist) {
			return usageError{fmt.Sprintf("-o %s is the input %s: an input is never overwritten", out, in)}
		}
	}
	if !force {
		return usageError{fmt.Sprintf("-o %s exists: use --force to replace it", out)}
	}
	return nil
}

// writeSignature writes sig to out: replacing what is there with force,
// else only if nothing is (checked again as the file is placed).
func writeSignature(out string, sig *fingerprint.Signature, force bool) error {
	if force {
		return fingerprint.WriteFile(out, sig)
	}
	return fingerprint.CreateFile(out, sig)
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
	format := fs.String("format", "text", "output format: "+strings.Join(provenance.Formats, ", "))
	expect := fs.String("expect", "", "exit 1 unless the verdict is `VERDICT` (recycled, new, mixed, insufficient) and certain")
	uncertainOK := fs.Bool("expect-uncertain-ok", false, "with --expect, accept the expected verdict when its interval straddles a threshold (verdict_certain false)")
	sampleN := fs.Int("sample", 0, "score a uniform sample of `N` records")
	seed := fs.Uint64("seed", 1, "seed of --sample")
	quiet := quietFlag(fs)
	showValues := fs.Bool("show-values", false, "report the sample's extreme dates to the day, not the month, its frequent values themselves, and each row's fields with --rows")
	out := fs.String("o", "", "write the report to `FILE` (atomically) instead of standard output")
	rowsOut := fs.String("rows", "", "write each record's attribution to `FILE` as CSV (- for standard output, with -o)")
	force := fs.Bool("force", false, "replace -o and --rows if they exist (never an input)")
	th := provenance.DefaultThresholds()
	fs.Float64Var(&th.RecycledAt, "recycled-at", th.RecycledAt, "explained share at or above which the verdict is recycled")
	fs.Float64Var(&th.NewAt, "new-at", th.NewAt, "explained share at or below which the verdict is new")
	fs.IntVar(&th.MinIdentified, "min-identified", th.MinIdentified, "fewest identified records for a verdict")
	fs.Float64Var(&th.NovelBelow, "novel-below", th.NovelBelow, "containment below which a kind is novel in every source")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{"want a SAMPLE file (or several, or -)"}
	}
	if len(catalogs) == 0 {
		return usageError{"--catalog is required"}
	}
	if isSet(fs, "sample") && *sampleN <= 0 {
		return usageError{fmt.Sprintf("--sample %d: want a positive number of records to draw (leave it out to score them all)", *sampleN)}
	}
	if *claimed < 0 || (*claimed > 0 && *schema == "") {
		return usageError{"--claimed-records needs --schema (the population to compare with) and a positive count"}
	}
	if err := th.Validate(); err != nil {
		return usageError{err.Error()}
	}
	want, err := provenance.ParseVerdict(*expect)
	if *expect != "" && err != nil {
		return usageError{fmt.Sprintf("--expect %q: %v", *expect, err)}
	}
	if *uncertainOK && *expect == "" {
		return usageError{"--expect-uncertain-ok qualifies --expect VERDICT: give both"}
	}
	if err := checkFormat(*format, provenance.Formats...); err != nil {
		return err
	}
	if *rowsOut == "-" && *out == "" {
		return usageError{"--rows - writes the rows to standard output: send the report elsewhere with -o FILE"}
	}
	if *out != "" && *out == *rowsOut {
		return usageError{"-o and --rows name the same file"}
	}
	inputs := append(slices.Clone(pos), catalogs...)
	for _, f := range []string{*out, *rowsOut} {
		if f != "" && f != "-" {
			if err := checkOutput(f, *force, inputs); err != nil {
				return err
			}
		}
	}
	o := provenance.Options{Thresholds: th, ClaimedRecords: *claimed, ShowValues: *showValues}
	if o.Created, err = createdTime(); err != nil {
		return err
	}
	if o.Region, err = rf.parseRegion(); err != nil {
		return err
	}
	if o.Hasher, err = loadHasher(*keyFile); err != nil {
		return err
	}
	cat, err := provenance.LoadCatalog(catalogs...)
	if err != nil {
		return err
	}
	if *schema != "" {
		if o.Schema, err = provenance.LoadSchema(*schema); err != nil {
			return err
		}
	}
	op, err := rf.opener()
	if err != nil {
		return err
	}
	j, err := op.Join(ctx, pos...)
	if err != nil {
		return err
	}
	defer j.Close()
	o.SamplePath = samplePath(pos)
	recs := withProgress(j, newProgress(*quiet), o.SamplePath)
	if *sampleN > 0 {
		if recs, err = sampleset.Sample(ctx, recs, *sampleN, *seed); err != nil {
			return err
		}
	}
	var rep *provenance.Report
	score := func(rows io.Writer) (err error) {
		o.Rows = rows
		rep, err = provenance.Score(ctx, cat, recs, o)
		return err
	}
	switch *rowsOut {
	case "":
		err = score(nil)
	case "-":
		err = score(stdout)
	default:
		// The rows name the sample's people: readable by their owner only.
		err = atomicfile.Write(*rowsOut, 0o600, *force, score)
	}
	if err != nil {
		return err
	}
	render := func(w io.Writer) error { return rep.Render(w, *format) }
	if *out == "" {
		err = render(stdout)
	} else {
		err = atomicfile.Write(*out, 0o644, *force, render)
	}
	if err != nil {
		return err
	}
	if *expect != "" && rep.Verdict != want {
		return expectError{got: rep.Verdict, want: want}
	}
	// The expected verdict, but the interval allows another: a CI check
	// on it would pass or fail by the luck of the sample.
	if *expect != "" && !rep.VerdictCertain && !*uncertainOK {
		return expectError{got: rep.Verdict, want: want, explained: rep.Explained,
			could: rep.Thresholds.VerdictsWithin(rep.Explained)}
	}
	return nil
}

// samplePath names the sample in the report: its path, or its paths
// joined by commas.
func samplePath(paths []string) string {
	names := slices.Clone(paths)
	for i, p := range names {
		if p == "-" {
			names[i] = stdinName
		}
	}
	return strings.Join(names, ", ")
}

// parseExactly parses fs and wants n positional arguments, as want says.
func parseExactly(fs *flag.FlagSet, args []string, n int, want string) ([]string, error) {
	pos, err := parse(fs, args)
	if err == nil && len(pos) != n {
		err = usageError{want}
	}
	return pos, err
}

// checkFormat refuses an output format a command does not write.
func checkFormat(f string, allowed ...string) error {
	if !slices.Contains(allowed, f) {
		return usageError{fmt.Sprintf("--format %q: want %s", f, strings.Join(allowed, " or "))}
	}
	return nil
}

// jsonOrText registers the --format flag of a command that writes JSON or
// text.
func jsonOrText(fs *flag.FlagSet) *string {
	return fs.String("format", "text", "output `FORMAT`: json or text")
}

// textWriter is a model with a text form; its JSON form is encoding/json's.
type textWriter interface{ WriteText(io.Writer) error }

// output writes v in format, json or text.
func output(w io.Writer, format string, v textWriter) error {
	if format == "json" {
		return writeJSON(w, v)
	}
	return v.WriteText(w)
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
	format := jsonOrText(fs)
	quiet := quietFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError{"want an INPUT file (or several, or -)"}
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	op, err := rf.opener()
	if err != nil {
		return err
	}
	var ps sampleset.Profiles
	// One plain (or compressed) file is profiled as one object.
	plain := len(pos) == 1
	prog := newProgress(*quiet)
	defer prog.finish()
	for m, err := range op.Members(ctx, pos...) {
		if err != nil {
			return err
		}
		p, err := sampleset.ReadProfile(memberProgress(ctx, prog, m), m.Reader)
		prog.finish()
		if err != nil {
			return err
		}
		ps.Files = append(ps.Files, p)
		plain = plain && (m.Path == pos[0] || pos[0] == "-" && m.Path == stdinName)
	}
	if len(ps.Files) == 0 {
		return fmt.Errorf("%s: %w", strings.Join(pos, ", "), sampleset.ErrNoMembers)
	}
	if plain && len(ps.Files) == 1 {
		return output(stdout, *format, ps.Files[0])
	}
	return output(stdout, *format, &ps)
}

func cmdSchemas(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("schemas", flag.ContinueOnError)
	format := jsonOrText(fs)
	_, err := parseExactly(fs, args, 0, "schemas takes no arguments")
	if err != nil {
		return err
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
	return provenance.WriteSchemas(stdout, all)
}

func cmdMerge(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("o", "", "output signature `FILE` (required)")
	force := fs.Bool("force", false, "replace -o if it exists (never a shard)")
	name := fs.String("name", "", "the merged source's `NAME` (required when the shards' names differ)")
	snapshot := fs.String("snapshot", "", "the merged source's snapshot date, `YYYY-MM-DD` (required when the shards' differ)")
	shards, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(shards) < 2 {
		return usageError{"want -o OUT and at least two shards"}
	}
	if *snapshot != "" {
		if _, err := time.Parse(time.DateOnly, *snapshot); err != nil {
			return usageError{fmt.Sprintf("--snapshot %q: want a date YYYY-MM-DD", *snapshot)}
		}
	}
	if err := checkOutput(*out, *force, shards); err != nil {
		return err
	}
	acc, err := mergeShards(shards, *name != "", *snapshot != "")
	if err != nil {
		return err
	}
	if *name != "" {
		acc.Meta.Name = *name
	}
	if *snapshot != "" {
		if d, _ := time.Parse(time.DateOnly, *snapshot); d.After(acc.Meta.Created.Add(24 * time.Hour)) {
			return usageError{fmt.Sprintf("--snapshot %s is after the shards were made (%s)", *snapshot, acc.Meta.Created.Format(time.DateOnly))}
		}
		acc.Meta.Snapshot = *snapshot
	}
	return writeSignature(*out, acc, *force)
}

// mergeShards reads the shards at paths and merges them in order, as
// fingerprint.MergeFiles does, but refuses shards that do not look like
// parts of one dump: of different names (unless renamed, by --name),
// snapshots (unless redated, by --snapshot) or regions (read under
// different rules, their phones and IDs would not match).
func mergeShards(paths []string, renamed, redated bool) (*fingerprint.Signature, error) {
	var acc *fingerprint.Signature
	var first fingerprint.Metadata
	orNone := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	for i, p := range paths {
		s, err := fingerprint.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if i == 0 {
			acc, first = s, s.Meta
			continue
		}
		m := &s.Meta
		switch {
		case m.Name != first.Name && !renamed:
			return nil, fmt.Errorf("%s is source %q, %s is %q: to merge them as one source, name it with --name NAME",
				paths[0], first.Name, p, m.Name)
		case m.Snapshot != first.Snapshot && !redated:
			return nil, fmt.Errorf("%s has snapshot %s, %s has %s: to merge them, date the merged source with --snapshot YYYY-MM-DD",
				paths[0], orNone(first.Snapshot), p, orNone(m.Snapshot))
		case m.Region != first.Region:
			return nil, fmt.Errorf("%s was read under region %s, %s under %s: their phones and IDs were canonicalised apart; index every shard with one --region",
				paths[0], orNone(string(first.Region)), p, orNone(string(m.Region)))
		}
		if acc, err = fingerprint.Merge(acc, s); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return acc, nil
}

func cmdCompare(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	format := jsonOrText(fs)
	pos, err := parseExactly(fs, args, 2, "want two signature files")
	if err != nil {
		return err
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
	for i, s := range sigs {
		if v := s.Meta.CanonVersion; v < sigs[1-i].Meta.CanonVersion {
			if diff, ok := canon.Differences(v); ok && diff != "" {
				fmt.Fprintf(warnings, "leakprov: warning: %s was built with normaliser version %d: %s cannot match across the two; re-index it for exact figures\n",
					untrusted.Text(pos[i]), v, diff)
			}
		}
	}
	return output(stdout, *format, c)
}

func cmdInspect(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	format := jsonOrText(fs)
	pos, err := parseExactly(fs, args, 1, "want one signature file")
	if err != nil {
		return err
	}
	if err := checkFormat(*format, "json", "text"); err != nil {
		return err
	}
	s, err := fingerprint.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	return output(stdout, *format, s.Describe())
}
