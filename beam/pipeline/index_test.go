package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/runtime/graphx"
	pipepb "github.com/apache/beam/sdks/v2/go/pkg/beam/model/pipeline_v1"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/leakprov/leakprov/fingerprint"
)

// epoch is the SOURCE_DATE_EPOCH of every signature the tests make.
const epoch = 1735689600

var (
	fixturesOnce sync.Once
	fixtures     struct {
		dir, cli string
		err      error
	}
)

// setup builds the leakprov CLI and writes the fixtures, once: two
// sources of the project's generator (internal/cmd/genbench), the second
// gzip-compressed, so that one is read in ranges and the other whole.
func setup(t *testing.T) (dir, cli string) {
	t.Helper()
	fixturesOnce.Do(func() {
		fixtures.dir, fixtures.err = os.MkdirTemp("", "leakprov-beam-test")
		if fixtures.err != nil {
			return
		}
		fixtures.cli = filepath.Join(fixtures.dir, "leakprov")
		gen := filepath.Join(fixtures.dir, "gen")
		for _, args := range [][]string{
			{"build", "-o", fixtures.cli, "./cmd/leakprov"},
			{"run", "./internal/cmd/genbench", "--dir", gen, "--rows", "20000", "--sample", "3000", "--sources", "2"},
		} {
			cmd := exec.Command("go", append([]string{"-C", filepath.Join("..", "..")}, args...)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				fixtures.err = fmt.Errorf("go %v: %v\n%s", args, err, out)
				return
			}
		}
		src := filepath.Join(gen, "sources")
		entries, err := os.ReadDir(src)
		if err != nil || len(entries) != 2 {
			fixtures.err = fmt.Errorf("sources: %v, %d files", err, len(entries))
			return
		}
		b, err := os.ReadFile(filepath.Join(src, entries[1].Name()))
		if err == nil {
			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			_, _ = w.Write(b)
			_ = w.Close()
			err = os.WriteFile(filepath.Join(src, entries[1].Name()+".gz"), gz.Bytes(), 0o600)
		}
		if err == nil {
			err = os.Remove(filepath.Join(src, entries[1].Name()))
		}
		fixtures.err = err
	})
	require.NoError(t, fixtures.err)
	return fixtures.dir, fixtures.cli
}

func TestMain(m *testing.M) {
	beam.Init()
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}

// cliIndex runs `leakprov index` and returns the signature's bytes.
func cliIndex(t *testing.T, cli, out string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(cli, append([]string{"index", "-q", "-o", out}, args...)...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", epoch))
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "leakprov index %v: %s", args, b)
	sig, err := os.ReadFile(out)
	require.NoError(t, err)
	return sig
}

// beamIndex runs the index pipeline on Prism and returns the signature's
// bytes.
func beamIndex(t *testing.T, c Config, inputs ...string) []byte {
	t.Helper()
	c.Created = time.Unix(epoch, 0).UTC()
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, Index(context.Background(), s, c, inputs...))
	_, err := prism.Execute(context.Background(), p)
	require.NoError(t, err, "the pipeline of %+v", c)
	b, err := os.ReadFile(c.Out)
	require.NoError(t, err)
	return b
}

func TestIndexIsTheCLIs(t *testing.T) {
	dir, cli := setup(t)
	sources := filepath.Join(dir, "gen", "sources")
	out := t.TempDir()
	for _, capacity := range []uint64{120_000, 0} {
		args := []string{"--name", "gen", "--snapshot", "2024-05-01", sources}
		if capacity > 0 {
			args = append([]string{"--capacity", fmt.Sprint(capacity)}, args...)
		}
		want := cliIndex(t, cli, filepath.Join(out, fmt.Sprintf("cli-%d.lps", capacity)), args...)
		// Ranges of 64 KiB, 256 KiB and the whole file; one or two
		// goroutines for the runner's bundles, one or two per part.
		for i, run := range []struct {
			rangeSize      int64
			procs, workers int
		}{{64 << 10, 2, 1}, {256 << 10, 1, 1}, {DefaultRangeSize, 2, 2}} {
			name := fmt.Sprintf("capacity %d, ranges of %d bytes, GOMAXPROCS %d, %d per part", capacity, run.rangeSize, run.procs, run.workers)
			t.Run(name, func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(run.procs))
				got := beamIndex(t, Config{Name: "gen", Snapshot: "2024-05-01", Capacity: capacity, RangeSize: run.rangeSize,
					Workers: run.workers, Out: filepath.Join(out, fmt.Sprintf("beam-%d-%d.lps", capacity, i))}, sources)
				assert.True(t, bytes.Equal(want, got), "%s: the signature `leakprov index` makes (%d and %d bytes)", name, len(want), len(got))
			})
		}
	}
}

func TestIndexRefusesWhatTheCLIRefuses(t *testing.T) {
	dir, _ := setup(t)
	out := filepath.Join(t.TempDir(), "x.lps")
	p, s := beam.NewPipelineWithRoot()
	err := Index(context.Background(), s, Config{Name: "x", Out: out}, filepath.Join(dir, "missing.csv"))
	assert.Error(t, err, "a missing input is refused before the job starts")
	require.NoError(t, os.WriteFile(out, nil, 0o600))
	err = Index(context.Background(), s, Config{Name: "x", Out: out}, filepath.Join(dir, "gen", "sources"))
	assert.ErrorContains(t, err, "exists", "an existing output, without Force")
	err = Index(context.Background(), s, Config{Out: out, Force: true}, filepath.Join(dir, "gen", "sources"))
	assert.ErrorContains(t, err, "name", "no source name")

	// A file of no identifier fails the job, naming it, and writes nothing.
	bad := filepath.Join(t.TempDir(), "passwords.csv")
	require.NoError(t, os.WriteFile(bad, []byte("login,password\nalice,hunter2\nbob,letmein\n"), 0o600))
	out2 := filepath.Join(t.TempDir(), "y.lps")
	p, s = beam.NewPipelineWithRoot()
	require.NoError(t, Index(context.Background(), s, Config{Name: "y", Capacity: 1000, Out: out2}, bad))
	_, err = prism.Execute(context.Background(), p)
	assert.ErrorContains(t, err, "no identifier column", "the library's error reaches the caller")
	assert.NoFileExists(t, out2, "no signature of a failed job")
}

// base64Run is a run of base64 text long enough to hold a payload.
var base64Run = regexp.MustCompile(`[A-Za-z0-9+/]{16,}={0,2}`)

// unwrapBase64 appends to b what every base64 run in it decodes to, and
// what runs in that decode to, depth times.
func unwrapBase64(b []byte, depth int) []byte {
	out, frontier := bytes.Clone(b), b
	for range depth {
		var more []byte
		for _, run := range base64Run.FindAll(frontier, -1) {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
				if d, err := enc.DecodeString(string(run)); err == nil {
					more = append(append(more, '\n'), d...)
				}
			}
		}
		out, frontier = append(out, more...), more
	}
	return out
}

func TestTheKeyStaysOutOfTheJobGraph(t *testing.T) {
	dir, _ := setup(t)
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(0xa5 ^ i*37) // fixed, recognisable
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	require.NoError(t, os.WriteFile(keyFile, []byte(hex.EncodeToString(key)+"\n"), 0o600))
	p, s := beam.NewPipelineWithRoot()
	out := filepath.Join(t.TempDir(), "keyed.lps")
	require.NoError(t, Index(context.Background(), s, Config{Name: "keyed", Capacity: 120_000, KeyFile: keyFile, Out: out},
		filepath.Join(dir, "gen", "sources")))
	edges, _, err := p.Build()
	require.NoError(t, err)
	graph, err := graphx.Marshal(edges, &graphx.Options{Environment: &pipepb.Environment{Urn: "beam:env:loopback:v1"}})
	require.NoError(t, err)
	b, err := proto.Marshal(graph)
	require.NoError(t, err)
	// DoFns travel as base64 inside protos inside base64: open them all.
	b = unwrapBase64(b, 4)
	require.True(t, bytes.Contains(b, []byte(keyFile)), "the job graph names the key file (the test looks in the right place)")
	for _, form := range [][]byte{key, key[:12], []byte(hex.EncodeToString(key)), []byte(hex.EncodeToString(key[:12])),
		[]byte(base64.StdEncoding.EncodeToString(key)[:16])} {
		assert.False(t, bytes.Contains(b, form), "the job graph holds the key (%d bytes of it, in some encoding)", len(form))
	}
	_, err = prism.Execute(context.Background(), p)
	require.NoError(t, err)
	sig, err := fingerprint.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, fingerprint.KeyedSipHash, sig.Meta.HashMode, "the workers read the key from the file")
}

// cliScore runs `leakprov score --format json` and returns the report.
func cliScore(t *testing.T, cli, out string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(cli, append([]string{"score", "-q", "--format", "json", "-o", out}, args...)...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", epoch))
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "leakprov score %v: %s", args, b)
	rep, err := os.ReadFile(out)
	require.NoError(t, err)
	return rep
}

// withoutBuild is a JSON report less the fields that name the program
// that made it (tool_version, tool_commit: the leakprov binary's module
// and VCS revision, or this test's), re-encoded with its keys in order.
func withoutBuild(t *testing.T, report []byte) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(report, &m))
	require.Contains(t, m, "verdict", "a report")
	delete(m, "tool_version")
	delete(m, "tool_commit")
	b, err := json.MarshalIndent(m, "", " ")
	require.NoError(t, err)
	return string(b)
}

func TestScoreIsTheCLIs(t *testing.T) {
	dir, cli := setup(t)
	root := filepath.Join("..", "..", "testdata")
	catalog := filepath.Join(root, "catalog")
	out := t.TempDir()
	// The generator's sample twice: every record of the copy repeats one
	// of the first, across parts.
	gen, err := os.ReadFile(filepath.Join(dir, "gen", "sample.csv"))
	require.NoError(t, err)
	again := filepath.Join(out, "again.csv")
	require.NoError(t, os.WriteFile(again, gen, 0o600))
	// The reference leak with a placeholder phone in a third of its rows.
	leak, err := os.ReadFile(filepath.Join(root, "leak.csv"))
	require.NoError(t, err)
	lines := strings.Split(string(leak), "\n")
	for i := 1; i < len(lines); i += 3 {
		if f := strings.Split(lines[i], ","); len(f) == 5 {
			f[1] = "+380500000000"
			lines[i] = strings.Join(f, ",")
		}
	}
	placeholders := filepath.Join(out, "placeholders.csv")
	require.NoError(t, os.WriteFile(placeholders, []byte(strings.Join(lines, "\n")), 0o600))
	for i, run := range []struct {
		name    string
		schema  string
		samples []string
		procs   int
		rows    bool // and --rows
		values  bool // and --show-values
		kinds   map[string]string
	}{
		{"the reference leak, with a schema", "diia-driver-licence", []string{filepath.Join(root, "leak.csv")}, 2, false, false, nil},
		{"three files of two regions", "", []string{filepath.Join(root, "ua", "sample.csv"), filepath.Join(root, "kz", "sample.csv"),
			filepath.Join(root, "archives", "leak.zip")}, 1, true, false, nil},
		{"a directory", "", []string{filepath.Join(root, "in", "sources")}, 2, true, true, nil},
		{"a sample and its copy", "", []string{filepath.Join(dir, "gen", "sample.csv"), again}, 2, true, true, nil},
		{"an archive of two members", "", []string{filepath.Join(root, "archives", "parts.zip")}, 2, false, true, nil},
		{"the reference leak, its e-mail ignored", "", []string{filepath.Join(root, "leak.csv")}, 1, true, false,
			map[string]string{"Email": "other"}},
		{"a placeholder, its value shown", "", []string{placeholders, filepath.Join(root, "ua", "sample.csv")}, 2, false, true, nil},
	} {
		t.Run(run.name, func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(run.procs))
			args := []string{"--catalog", catalog}
			if run.schema != "" {
				args = append(args, "--schema", run.schema)
			}
			cliRows := filepath.Join(out, fmt.Sprintf("cli-%d.csv", i))
			if run.rows {
				args = append(args, "--rows", cliRows)
			}
			if run.values {
				args = append(args, "--show-values")
			}
			for col, kind := range run.kinds {
				args = append(args, "--map", col+"="+kind)
			}
			want := cliScore(t, cli, filepath.Join(out, fmt.Sprintf("cli-%d.json", i)), append(args, run.samples...)...)
			c := ScoreConfig{Catalogs: []string{catalog}, Schema: run.schema, Created: time.Unix(epoch, 0).UTC(),
				Out: filepath.Join(out, fmt.Sprintf("beam-%d.json", i)), ShowValues: run.values, Map: run.kinds}
			if run.rows {
				c.Rows = filepath.Join(out, fmt.Sprintf("beam-%d.csv", i))
			}
			p, s := beam.NewPipelineWithRoot()
			require.NoError(t, Score(context.Background(), s, c, run.samples...))
			_, err := prism.Execute(context.Background(), p)
			require.NoError(t, err)
			got, err := os.ReadFile(c.Out)
			require.NoError(t, err)
			assert.Equal(t, withoutBuild(t, want), withoutBuild(t, got), "%s: the report leakprov score writes", run.name)
			var compact bytes.Buffer
			require.NoError(t, json.Compact(&compact, got))
			if strings.Contains(run.name, "placeholder") {
				assert.Contains(t, compact.String(), `"value":"+380500000000"`, "%s: the frequent value, shown", run.name)
			}
			for col, kind := range run.kinds {
				assert.Contains(t, compact.String(), fmt.Sprintf(`"name":%q,"kind":%q`, col, kind), "%s: column %s read as %s", run.name, col, kind)
			}
			if !run.rows {
				return
			}
			wantRows, err := os.ReadFile(cliRows)
			require.NoError(t, err)
			shards, err := filepath.Glob(filepath.Join(out, fmt.Sprintf("beam-%d-*-of-*.csv", i)))
			require.NoError(t, err)
			require.NotEmpty(t, shards, "%s: the rows' files", run.name)
			assert.Equal(t, RowShards(c.Rows, len(shards)), shards, "%s: the rows' files, one a part", run.name)
			var gotRows []byte
			for k, sh := range shards {
				b, err := os.ReadFile(sh)
				require.NoError(t, err)
				if k > 0 {
					_, b, _ = bytes.Cut(b, []byte("\n"))
				}
				gotRows = append(gotRows, b...)
			}
			assert.Equal(t, string(wantRows), string(gotRows), "%s: the rows leakprov score --rows writes, part after part", run.name)
		})
	}
}
