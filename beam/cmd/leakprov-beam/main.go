// Command leakprov-beam runs leakprov's index and score as Apache Beam
// pipelines: on Prism in this process by default, or on any runner Beam's
// standard flags name (--runner=flink|spark|dataflow|universal, --endpoint,
// --environment_type, ...). See docs/distributed.md.
//
//	leakprov-beam index --name NAME [--snapshot YYYY-MM-DD] [--data-region CC]
//	    [--key-file KEY] [--capacity N] [--range-size BYTES] -o OUT.lps INPUT...
//	leakprov-beam score --catalog DIR|FILE... [--schema S] [--rows FILE.csv]
//	    [--show-values] -o REPORT SAMPLE...
//
// Its signatures are byte-identical to `leakprov index`'s with the same
// options and the same SOURCE_DATE_EPOCH, its reports to `leakprov
// score`'s, and its rows, one file a part of the sample, are `leakprov
// score --rows`'s file cut at the parts. leakprov's --region is
// --data-region here: Beam's --region is the Google Cloud region of a
// Dataflow job.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/leakprov/leakprov/beam/pipeline"
	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
)

const usage = `usage: leakprov-beam index --name NAME -o OUT.lps [flags] INPUT...
       leakprov-beam score --catalog DIR|FILE... -o REPORT [flags] SAMPLE...

Index, or score, files, directories and globs as a Beam pipeline (Prism by
default).
Beam's own flags (--runner, --endpoint, --environment_type, --job_name, ...)
go among the others. Run "leakprov-beam index -h" for every flag.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "leakprov-beam: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run runs one command; Beam's flags are on flag.CommandLine, so ours are
// too.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return usageError{"no command"}
		}
		return nil
	}
	switch args[0] {
	case "index":
		return cmdIndex(ctx, args[1:], stderr)
	case "score":
		return cmdScore(ctx, args[1:], stderr)
	}
	return usageError{fmt.Sprintf("unknown command %q (want index or score)", args[0])}
}

func cmdIndex(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.CommandLine
	fs.SetOutput(stderr)
	var c pipeline.Config
	fs.StringVar(&c.Name, "name", "", "source `NAME` (required)")
	fs.StringVar(&c.Snapshot, "snapshot", "", "date the dump was taken, `YYYY-MM-DD`")
	fs.StringVar(&c.Description, "description", "", "what the dump is, `TEXT`")
	fs.StringVar(&c.URL, "url", "", "where the dump is documented, an http(s) `URL`")
	// --region is Beam's (the Google Cloud region of a Dataflow job).
	fs.StringVar(&c.Region, "data-region", "", "region `CC` of national phone and ID formats, leakprov index's --region (default: detected)")
	fs.BoolVar(&c.ForceRegion, "force-region", false, "read under --region even where it misreads a column")
	fs.StringVar(&c.Encoding, "encoding", "", "text encoding `NAME` of the inputs (default: detected)")
	fs.BoolVar(&c.SkipBad, "skip-bad", false, "count and skip malformed records instead of failing")
	c.Map = map[string]string{}
	fs.Var(mapFlag(c.Map), "map", "force the kind of a column, `COLUMN=KIND` (repeatable)")
	fs.StringVar(&c.KeyFile, "key-file", "", "secret key `FILE`, readable at this path on every worker")
	fs.Float64Var(&c.FPR, "fpr", fingerprint.DefaultFPR, "false-positive rate `P` of the filters")
	fs.Uint64Var(&c.Capacity, "capacity", 0, "fix filter sizes to hold `N` values (default: a first pass counts them)")
	fs.Int64Var(&c.RangeSize, "range-size", pipeline.DefaultRangeSize, "`BYTES` of a plain delimited file per part")
	fs.IntVar(&c.Workers, "part-workers", 1, "goroutines canonicalising one part (`N`)")
	fs.StringVar(&c.Out, "o", "", "output signature `FILE` (required)")
	fs.BoolVar(&c.Force, "force", false, "replace -o if it exists")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (with Prism, of the workers too) to `FILE`")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	inputs := fs.Args()
	switch {
	case c.Name == "":
		return usageError{"--name is required"}
	case c.Out == "":
		return usageError{"-o is required"}
	case len(inputs) == 0:
		return usageError{"no input files"}
	}
	for _, in := range inputs {
		if strings.HasPrefix(in, "-") {
			return usageError{fmt.Sprintf("flag %s after the inputs: give flags first", in)}
		}
	}
	if err := checkOutput(c.Out, c.Force); err != nil {
		return err
	}
	created, err := createdTime()
	if err != nil {
		return err
	}
	c.Created = created
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	beam.Init()
	p, s := beam.NewPipelineWithRoot()
	if err := pipeline.Index(ctx, s, c, inputs...); err != nil {
		return err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	sig, err := fingerprint.ReadFile(c.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "leakprov-beam index: %s: %d records of %d inputs, %d kinds\n",
		c.Out, sig.Meta.Records, len(sig.Meta.Inputs), len(sig.Fields))
	return nil
}

// mapFlag is the repeatable --map COLUMN=KIND, as leakprov's.
type mapFlag map[string]string

func (m mapFlag) String() string { return fmt.Sprint(map[string]string(m)) }

func (m mapFlag) Set(v string) error {
	i := strings.LastIndexByte(v, '=')
	if i <= 0 {
		return fmt.Errorf("%q: want COLUMN=KIND", v)
	}
	if k, err := canon.ParseKind(v[i+1:]); err != nil || k == canon.NameBirthDate {
		return fmt.Errorf("%q: unknown kind %q", v, v[i+1:])
	}
	m[v[:i]] = v[i+1:]
	return nil
}

// multiFlag is a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func cmdScore(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.CommandLine
	fs.SetOutput(stderr)
	var c pipeline.ScoreConfig
	var catalogs multiFlag
	fs.Var(&catalogs, "catalog", "signature `DIR|FILE`, readable at this path on every worker (repeatable)")
	fs.StringVar(&c.KeyFile, "key-file", "", "secret key `FILE` the catalog was built with, readable at this path on every worker")
	fs.StringVar(&c.Schema, "schema", "", "accused system: a built-in schema `NAME` or a schema FILE")
	fs.Int64Var(&c.ClaimedRecords, "claimed-records", 0, "record count the seller claims (`N`)")
	fs.StringVar(&c.Format, "format", "json", "report format `F`: "+strings.Join(provenance.Formats, ", "))
	// --region is Beam's (the Google Cloud region of a Dataflow job).
	fs.StringVar(&c.Region, "data-region", "", "region `CC` of national phone and ID formats, leakprov score's --region (default: detected)")
	fs.BoolVar(&c.ForceRegion, "force-region", false, "read under --data-region even where it misreads a column")
	fs.StringVar(&c.Encoding, "encoding", "", "text encoding `NAME` of the sample (default: detected)")
	fs.BoolVar(&c.SkipBad, "skip-bad", false, "count and skip malformed records instead of failing")
	c.Map = map[string]string{}
	fs.Var(mapFlag(c.Map), "map", "force the kind of a sample's column, `COLUMN=KIND` (repeatable)")
	fs.IntVar(&c.Workers, "part-workers", 1, "goroutines canonicalising one part (`N`)")
	fs.StringVar(&c.Out, "o", "", "report `FILE` (required)")
	fs.StringVar(&c.Rows, "rows", "", "write each record's attribution as CSV, one file a part of the sample: `FILE` with -00000-of-NNNNN before its extension")
	fs.BoolVar(&c.ShowValues, "show-values", false, "report the sample's extreme dates to the day, not the month, its frequent values themselves, and each row's fields with --rows")
	fs.BoolVar(&c.Force, "force", false, "replace -o and the rows' files if they exist")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	c.Catalogs = catalogs
	samples := fs.Args()
	switch {
	case len(catalogs) == 0:
		return usageError{"--catalog is required"}
	case c.Out == "":
		return usageError{"-o is required"}
	case len(samples) == 0:
		return usageError{"no sample files"}
	case c.Rows == "-":
		return usageError{"--rows -: the rows go to files, one a part of the sample"}
	}
	for _, in := range samples {
		if strings.HasPrefix(in, "-") {
			return usageError{fmt.Sprintf("%s: give flags before the samples (standard input cannot be shared out)", in)}
		}
	}
	if err := checkOutput(c.Out, c.Force); err != nil {
		return err
	}
	var err error
	if c.Created, err = createdTime(); err != nil {
		return err
	}
	beam.Init()
	p, s := beam.NewPipelineWithRoot()
	if err := pipeline.Score(ctx, s, c, samples...); err != nil {
		if errors.Is(err, iofs.ErrExist) { // a rows' file: as -o is
			return usageError{err.Error()}
		}
		return err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "leakprov-beam score: %s written\n", c.Out)
	if c.Rows != "" {
		ext := filepath.Ext(c.Rows)
		fmt.Fprintf(stderr, "leakprov-beam score: rows in %s-*-of-*%s, one file a part\n", strings.TrimSuffix(c.Rows, ext), ext)
	}
	return nil
}

// checkOutput refuses an existing output unless --force.
func checkOutput(out string, force bool) error {
	if _, err := os.Lstat(out); err == nil && !force {
		return usageError{fmt.Sprintf("-o %s exists: --force replaces it", out)}
	}
	return nil
}

// createdTime honours SOURCE_DATE_EPOCH, as `leakprov index` does, for
// reproducible signatures; zero means now.
func createdTime() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("SOURCE_DATE_EPOCH %q is not a number of seconds", v)}
	}
	return time.Unix(n, 0).UTC(), nil
}
