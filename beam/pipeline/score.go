package pipeline

// The score pipeline:
//
//	files   (sampleset.Opener.Files, on the launching machine: one part
//	         per file of the sample, in the order leakprov score reads them)
//	  → read    (provenance.ReadPart on a worker per part: read,
//	             canonicalise, hash; the part's Tally)
//	  → collect (a CombineFn: the tallies, merged by concatenation)
//	  → score   (provenance.ScoreTallies: frequent values, duplicates,
//	             look-ups, report; written atomically)
//	  → [rows   (provenance.PartRows.WriteCSV, on a worker per part: the
//	             part's per-record attribution, one file a part)]  --rows

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/atomicfile"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/sampleset"
)

// ScoreConfig configures Score. Like Config it travels in the job's
// graph, so it holds paths, never a key.
type ScoreConfig struct {
	// Catalogs are the signature files and directories, readable at these
	// paths on every worker.
	Catalogs []string
	// KeyFile is the secret key's path on every worker ("" for unkeyed).
	KeyFile string
	// Schema names a built-in schema or a schema file ("" for none).
	Schema string
	// Region, ForceRegion, Encoding and SkipBad read the sample as
	// leakprov score's --region, --force-region, --encoding and
	// --skip-bad do.
	Region      string
	ForceRegion bool
	Encoding    string
	SkipBad     bool
	// Map forces the kind (its name, as in --map) of the sample's columns
	// it names.
	Map map[string]string
	// SampleRegion is the region the sample is scored under: set by Score
	// (provenance.SampleRegion of the whole sample), while Region, when
	// empty, lets each file be read under the region of its own values,
	// as leakprov score reads them.
	SampleRegion string
	// ClaimedRecords is the record count the seller claims (0: none).
	ClaimedRecords int64
	// Thresholds of the verdict; the zero value means the defaults.
	Thresholds provenance.Thresholds
	// Created is the time the report states; Score fixes it (now, unless
	// set) before the job starts.
	Created time.Time
	// Format is the report's format (provenance.Formats; default json).
	Format string
	// Out is the report file written; Force replaces it (and the rows'
	// files) if it exists.
	Out   string
	Force bool
	// Rows, when set, is where the per-record attribution goes, one file
	// a part of the sample (RowShards names them): each holds the lines
	// `leakprov score --rows` writes for the part's records, so that the
	// files in order, less all but the first header, are its file.
	Rows string
	// ShowValues is leakprov score's --show-values: the report's extreme
	// dates to the day and its frequent values themselves, and with Rows
	// each record's fields.
	ShowValues bool
	// Workers is how many goroutines canonicalise one part (default 1).
	Workers int
}

// options returns the scoring options, the hasher read from the key file.
func (c ScoreConfig) options() (provenance.Options, error) {
	o := provenance.Options{Thresholds: c.Thresholds, ClaimedRecords: c.ClaimedRecords, Created: c.Created,
		Region: canon.Region(cmp.Or(c.SampleRegion, c.Region)), Workers: max(c.Workers, 1), ShowValues: c.ShowValues}
	var err error
	if o.Hasher, err = fingerprint.LoadHasher(c.KeyFile); err != nil {
		return o, err
	}
	if c.Schema != "" {
		if o.Schema, err = provenance.LoadSchema(c.Schema); err != nil {
			return o, err
		}
	}
	return o, nil
}

// opener reads the sample as leakprov score does.
func (c ScoreConfig) opener() (*sampleset.Opener, error) {
	m, err := kindMap(c.Map)
	if err != nil {
		return nil, err
	}
	return &sampleset.Opener{Configure: func(r *sampleset.Reader) {
		r.Region, r.ForceRegion, r.Encoding, r.SkipBad = canon.Region(c.Region), c.ForceRegion, c.Encoding, c.SkipBad
		if len(m) > 0 {
			r.Map = m
		}
	}}, nil
}

// Score adds the score pipeline of the sample (files, directories and
// globs, as `leakprov score` takes them; not standard input) to s. It
// reads the catalog and the sample's columns now, refuses an existing Out
// unless Force, and fixes the region and Created; the report is written
// when the pipeline runs. The report is the one `leakprov score` writes
// of the same sample, catalog and options.
func Score(ctx context.Context, s beam.Scope, c ScoreConfig, samples ...string) error {
	switch {
	case len(c.Catalogs) == 0:
		return errors.New("pipeline: no catalog")
	case c.Out == "":
		return errors.New("pipeline: no output file")
	case len(samples) == 0:
		return errors.New("pipeline: no sample")
	}
	if c.Format == "" {
		c.Format = "json"
	}
	if !strings.Contains(" "+strings.Join(provenance.Formats, " ")+" ", " "+c.Format+" ") {
		return fmt.Errorf("pipeline: format %q: want one of %s", c.Format, strings.Join(provenance.Formats, ", "))
	}
	if err := refuseExisting(c.Force, c.Out); err != nil {
		return err
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC().Truncate(time.Second)
	}
	o, err := c.options()
	if err != nil {
		return err
	}
	cat, err := provenance.LoadCatalog(c.Catalogs...)
	if err != nil {
		return err
	}
	op, err := c.opener()
	if err != nil {
		return err
	}
	j, err := op.Join(ctx, samples...)
	if err != nil {
		return err
	}
	defer j.Close()
	cols, _ := j.Columns()
	c.SampleRegion = string(provenance.SampleRegion(cat, j.Info(), o))
	var parts [][]byte
	var paths []string
	for path, err := range op.Files(ctx, samples...) {
		if err != nil {
			return err
		}
		b, _ := json.Marshal(samplePart{Index: len(parts), Path: path})
		parts, paths = append(parts, b), append(paths, path)
	}
	if c.Rows != "" {
		shards := RowShards(c.Rows, len(parts))
		if slices.Contains(shards, c.Out) {
			return fmt.Errorf("pipeline: the report %s is one of the rows' files", c.Out)
		}
		if err := refuseExisting(c.Force, shards...); err != nil {
			return err
		}
	}
	layout, err := encodeColumns(cols)
	if err != nil {
		return err
	}
	s = s.Scope("leakprov.score")
	tallies := beam.ParDo(s, &readFn{Config: c, Columns: layout}, beam.Reshuffle(s, beam.CreateList(s, parts)))
	all := beam.Combine(s, &collectFn{}, tallies)
	rows := beam.ParDo(s, &reportFn{Config: c, SamplePath: strings.Join(samples, ", "), Samples: samples}, all)
	if c.Rows != "" {
		beam.ParDo0(s, &rowsFn{Config: c, Columns: layout, Paths: paths}, beam.Reshuffle(s, rows))
	}
	return nil
}

// RowShards names the files of rows (ScoreConfig.Rows) of a sample of n
// parts: rows with -SSSSS-of-NNNNN before its extension, the part's
// number and n, as Beam's sharded text files are named; rows.csv gives
// rows-00000-of-00003.csv, rows-00001-of-00003.csv and so on.
func RowShards(rows string, n int) []string {
	ext := filepath.Ext(rows)
	if strings.ContainsRune(ext, os.PathSeparator) || ext == rows {
		ext = ""
	}
	base := strings.TrimSuffix(rows, ext)
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%05d-of-%05d%s", base, i, n, ext)
	}
	return out
}

// refuseExisting fails when one of files exists, unless force.
func refuseExisting(force bool, files ...string) error {
	if force {
		return nil
	}
	for _, f := range files {
		if _, err := os.Lstat(f); err == nil {
			return fmt.Errorf("pipeline: %s exists: %w (ScoreConfig.Force replaces it)", f, fs.ErrExist)
		}
	}
	return nil
}

// samplePart is one file of the sample, in order.
type samplePart struct {
	Index int    `json:"index"`
	Path  string `json:"path"`
}

// encodeColumns encodes the sample's columns with their date orders
// (which canon.Column's JSON leaves out).
func encodeColumns(cols []canon.Column) ([]byte, error) {
	type col struct {
		canon.Column
		Order canon.DateOrder `json:"date_order"`
	}
	out := make([]col, len(cols))
	for i, c := range cols {
		out[i] = col{c, c.DateOrder}
	}
	return json.Marshal(out)
}

func decodeColumns(b []byte) ([]canon.Column, error) {
	var in []struct {
		canon.Column
		Order canon.DateOrder `json:"date_order"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("pipeline: sample columns: %w", err)
	}
	out := make([]canon.Column, len(in))
	for i, c := range in {
		if c.Order > canon.MonthFirst {
			return nil, fmt.Errorf("pipeline: sample columns: date order %d", c.Order)
		}
		out[i] = c.Column
		out[i].DateOrder = c.Order
	}
	return out, nil
}

// readFn reads one file of the sample into its tally.
type readFn struct {
	Config  ScoreConfig
	Columns []byte
	cat     *provenance.Catalog
	o       provenance.Options
	cols    []canon.Column
}

func (f *readFn) Setup() (err error) {
	if f.o, err = f.Config.options(); err != nil {
		return err
	}
	if f.cols, err = decodeColumns(f.Columns); err != nil {
		return err
	}
	f.cat, err = provenance.LoadCatalog(f.Config.Catalogs...)
	return err
}

func (f *readFn) ProcessElement(ctx context.Context, b []byte) ([]byte, error) {
	var p samplePart
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("pipeline: sample part: %w", err)
	}
	op, err := f.Config.opener()
	if err != nil {
		return nil, err
	}
	j, err := op.Join(ctx, p.Path)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	w, err := j.Within(f.cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	read := provenance.ReadPart
	if f.Config.Rows != "" {
		read = provenance.ReadPartRows
	}
	t, err := read(ctx, f.cat, w, p.Index, f.o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	return t.MarshalBinary()
}

// collectFn gathers the tallies: its accumulator is their encodings, each
// length-prefixed, merged by concatenation (ScoreTallies orders them).
type collectFn struct{}

func (collectFn) CreateAccumulator() []byte { return []byte{} }

func (collectFn) AddInput(a, t []byte) []byte {
	return append(binary.AppendUvarint(a, uint64(len(t))), t...)
}

func (collectFn) MergeAccumulators(a, b []byte) []byte { return append(a, b...) }

// reportFn scores the tallies and writes the report; with rows, it emits
// each part's rows, encoded. With ShowValues and frequent values, it reads
// the sample again for their values, as leakprov score does.
type reportFn struct {
	Config     ScoreConfig
	SamplePath string
	Samples    []string
}

func (f *reportFn) ProcessElement(ctx context.Context, all []byte, emit func([]byte)) error {
	o, err := f.Config.options()
	if err != nil {
		return err
	}
	o.SamplePath = f.SamplePath
	cat, err := provenance.LoadCatalog(f.Config.Catalogs...)
	if err != nil {
		return err
	}
	var tallies []*provenance.Tally
	for b := all; len(b) > 0; {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return errors.New("pipeline: bad tally list")
		}
		t := new(provenance.Tally)
		if err := t.UnmarshalBinary(b[k : k+int(n)]); err != nil {
			return err
		}
		tallies = append(tallies, t)
		b = b[k+int(n):]
	}
	var rep *provenance.Report
	var rows []*provenance.PartRows
	if f.Config.Rows != "" {
		rep, rows, err = provenance.ScoreTalliesRows(ctx, cat, tallies, o)
	} else {
		rep, err = provenance.ScoreTallies(ctx, cat, tallies, o)
	}
	if err != nil {
		return err
	}
	if f.Config.ShowValues && len(rep.Sample.FrequentValues) > 0 {
		op, err := f.Config.opener()
		if err != nil {
			return err
		}
		j, err := op.Join(ctx, f.Samples...)
		if err != nil {
			return err
		}
		defer j.Close()
		if err := rep.NameFrequentValues(ctx, j, o.Hasher); err != nil {
			return err
		}
	}
	if err := atomicfile.Write(f.Config.Out, 0o644, f.Config.Force, func(w io.Writer) error {
		return rep.Render(w, f.Config.Format)
	}); err != nil {
		return err
	}
	for _, r := range rows {
		b, err := r.MarshalBinary()
		if err != nil {
			return err
		}
		emit(b)
	}
	return nil
}

// rowsFn writes one part's rows to its file, reading the part again for
// its records' fields with ShowValues.
type rowsFn struct {
	Config  ScoreConfig
	Columns []byte
	Paths   []string // of each part
}

func (f *rowsFn) ProcessElement(ctx context.Context, b []byte) error {
	var r provenance.PartRows
	if err := r.UnmarshalBinary(b); err != nil {
		return err
	}
	if r.Part() >= len(f.Paths) {
		return fmt.Errorf("pipeline: rows of part %d, of %d", r.Part(), len(f.Paths))
	}
	var recs sampleset.Records
	if f.Config.ShowValues {
		cols, err := decodeColumns(f.Columns)
		if err != nil {
			return err
		}
		op, err := f.Config.opener()
		if err != nil {
			return err
		}
		j, err := op.Join(ctx, f.Paths[r.Part()])
		if err != nil {
			return err
		}
		defer j.Close()
		if recs, err = j.Within(cols); err != nil {
			return fmt.Errorf("%s: %w", f.Paths[r.Part()], err)
		}
	}
	// The rows name the sample's people: readable by their owner only.
	out := RowShards(f.Config.Rows, len(f.Paths))[r.Part()]
	return atomicfile.Write(out, 0o600, f.Config.Force, func(w io.Writer) error {
		if err := r.WriteCSV(ctx, w, recs); err != nil {
			return fmt.Errorf("%s: %w", f.Paths[r.Part()], err)
		}
		return nil
	})
}

func init() {
	register.DoFn2x2[context.Context, []byte, []byte, error](&readFn{})
	register.Combiner2[[]byte, []byte](&collectFn{})
	register.DoFn3x1[context.Context, []byte, func([]byte), error](&reportFn{})
	register.Emitter1[[]byte]()
	register.DoFn2x1[context.Context, []byte, error](&rowsFn{})
}
