package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakprov runs the CLI in-process and returns its exit code, stdout and
// stderr.
func leakprov(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const repo = "../.."

// sources reads testdata/sources.tsv: name, snapshot, region, file.
func sources(t *testing.T) [][4]string {
	t.Helper()
	f, err := os.Open(filepath.Join(repo, "testdata", "sources.tsv"))
	require.NoError(t, err)
	defer f.Close()
	var out [][4]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 || p[0] == "name" {
			continue
		}
		out = append(out, [4]string{p[0], p[1], p[2], filepath.Join(repo, "testdata", p[3])})
	}
	require.NotEmpty(t, out, "sources.tsv lists sources")
	return out
}

func indexAll(t *testing.T, dir string, extra ...string) {
	t.Helper()
	for _, s := range sources(t) {
		args := append([]string{"index", "--name", s[0], "--snapshot", s[1], "--region", s[2], "-o", filepath.Join(dir, s[0]+".lps")}, extra...)
		code, _, stderr := leakprov(t, append(args, s[3])...)
		require.Equalf(t, 0, code, "index %s: %s", s[0], stderr)
	}
}

// The bundled catalog must be what the current code makes from the bundled
// sources: a change to canonical forms or the file format that forgot to
// regenerate it (testdata/make-catalog.sh) fails here.
func TestBundledCatalogIsCurrent(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600")
	dir := t.TempDir()
	indexAll(t, dir)
	for _, s := range sources(t) {
		want, err := os.ReadFile(filepath.Join(repo, "testdata", "catalog", s[0]+".lps"))
		require.NoErrorf(t, err, "bundled %s", s[0])
		got, err := os.ReadFile(filepath.Join(dir, s[0]+".lps"))
		require.NoError(t, err)
		assert.Truef(t, bytes.Equal(want, got), "testdata/catalog/%s.lps is stale: run sh testdata/make-catalog.sh", s[0])
	}
}

func TestIndexIsReproducible(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	a, b := t.TempDir(), t.TempDir()
	indexAll(t, a)
	indexAll(t, b)
	for _, s := range sources(t) {
		x, _ := os.ReadFile(filepath.Join(a, s[0]+".lps"))
		y, _ := os.ReadFile(filepath.Join(b, s[0]+".lps"))
		require.NotEmptyf(t, x, "signature of %s", s[0])
		assert.Truef(t, bytes.Equal(x, y), "two builds of %s give identical bytes", s[0])
	}
}

// readme is the README's first command.
func TestReadmeCommand(t *testing.T) {
	code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), filepath.Join(repo, "testdata", "leak.csv"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "MIXED", "verdict of the bundled leak")
	assert.Contains(t, out, "bank-2016", "the bundled leak's main source")
}

func TestScoreShowValues(t *testing.T) {
	oldest := func(args ...string) string {
		t.Helper()
		args = append([]string{"score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--format", "json"}, args...)
		code, out, stderr := leakprov(t, append(args, filepath.Join(repo, "testdata", "leak.csv"))...)
		require.Equal(t, 0, code, stderr)
		var rep struct {
			Time struct {
				Oldest map[string]string `json:"oldest"`
			} `json:"time"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), "score --format json")
		return rep.Time.Oldest["birth_date"]
	}
	assert.Regexp(t, `^\d{4}-\d{2}$`, oldest(), "time.oldest without --show-values: the month")
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, oldest("--show-values"), "time.oldest with --show-values: the day")
}

func TestScoreJSONContract(t *testing.T) {
	code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--region", "UA",
		"--schema", "diia-driver-licence", "--claimed-records", "26000000", "--format", "json", filepath.Join(repo, "testdata", "leak.csv"))
	require.Equal(t, 0, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "score --format json prints one JSON object")
	assert.EqualValues(t, 1, rep["report_version"], "report_version")
	for _, k := range []string{"sample", "verdict", "explained", "residual", "sources", "novel_fields", "claim", "fabrication", "evidence"} {
		assert.Containsf(t, rep, k, "report field %s", k)
	}
	sample := rep["sample"].(map[string]any)
	assert.EqualValues(t, 2000, sample["records"], "sample.records")
	col := sample["columns"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "kind", "valid"} {
		assert.Containsf(t, col, k, "sample.columns[0].%s", k)
	}
	srcs := rep["sources"].([]any)
	prev := 2.0
	for _, s := range srcs {
		m := s.(map[string]any)
		for _, k := range []string{"name", "snapshot", "records", "joint", "exclusive", "fields"} {
			assert.Containsf(t, m, k, "source field %s", k)
		}
		est := m["records"].(map[string]any)["estimate"].(float64)
		assert.LessOrEqualf(t, est, prev, "sources sorted by records.estimate (%s)", m["name"])
		prev = est
	}
	phone := srcs[0].(map[string]any)["fields"].(map[string]any)["phone"].(map[string]any)
	for _, k := range []string{"estimate", "low", "high", "chance"} {
		assert.Containsf(t, phone, k, "fields.phone.%s", k)
	}
	claim := rep["claim"].(map[string]any)
	assert.Equal(t, "diia-driver-licence", claim["schema"], "claim.schema")
	assert.Equal(t, false, claim["consistent"], "claim.consistent")
	f0 := claim["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"check", "passed", "detail"} {
		assert.Containsf(t, f0, k, "claim.findings[0].%s", k)
	}
	fab := rep["fabrication"].(map[string]any)
	assert.Contains(t, fab, "suspected", "fabrication.suspected")
	assert.Contains(t, fab, "checks", "fabrication.checks")
}

func TestExitCodes(t *testing.T) {
	cat := filepath.Join(repo, "testdata", "catalog")
	leak := filepath.Join(repo, "testdata", "leak.csv")
	code, _, _ := leakprov(t, "score", "--catalog", cat, "--expect", "mixed", leak)
	assert.Equal(t, 0, code, "--expect the right verdict")
	code, _, stderr := leakprov(t, "score", "--catalog", cat, "--expect", "recycled", leak)
	assert.Equal(t, 1, code, "--expect the wrong verdict")
	assert.Contains(t, stderr, "leakprov: verdict mixed, expected recycled", "--expect message")
	for _, args := range [][]string{
		{"score", "--catalog", cat, filepath.Join(repo, "testdata", "missing.csv")},
		{"score", leak},
		{"score", "--catalog", cat, "--format", "pdf", leak},
		{"index", "--name", "x", "-o", filepath.Join(t.TempDir(), "x.lps"), "--snapshot", "2016-13-01", leak},
		{"index", "-o", filepath.Join(t.TempDir(), "x.lps"), leak},
		{"inspect", leak},
		{"frobnicate"},
		{"score", "--bogus"},
	} {
		code, out, stderr := leakprov(t, args...)
		assert.Equalf(t, 2, code, "exit code of %v", args)
		assert.Emptyf(t, out, "nothing on stdout for %v", args)
		assert.Truef(t, strings.HasPrefix(stderr, "leakprov"), "stderr of %v starts with the tool's name: %q", args, stderr)
	}
}

func TestInspectWarnsUnkeyed(t *testing.T) {
	dir := t.TempDir()
	src := sources(t)[0]
	unk := filepath.Join(dir, "u.lps")
	code, _, stderr := leakprov(t, "index", "--name", src[0], "--region", src[2], "-o", unk, src[3])
	require.Equal(t, 0, code, stderr)
	key := filepath.Join(dir, "key")
	code, _, stderr = leakprov(t, "keygen", "-o", key)
	require.Equalf(t, 0, code, "keygen: %s", stderr)
	kd := filepath.Join(dir, "k.lps")
	code, _, stderr = leakprov(t, "index", "--name", src[0], "--region", src[2], "--key-file", key, "-o", kd, src[3])
	require.Equal(t, 0, code, stderr)

	_, out, _ := leakprov(t, "inspect", unk)
	assert.Contains(t, out, "DO NOT SHARE", "inspect of an unkeyed signature")
	_, out, _ = leakprov(t, "inspect", kd)
	assert.NotContains(t, out, "DO NOT SHARE", "inspect of a keyed signature")
	assert.Contains(t, out, "siphash24-keyed", "inspect names the hash")

	// Scoring across keys is an error naming both sides, never a score.
	code, out, stderr = leakprov(t, "score", "--catalog", kd, src[3])
	assert.Equal(t, 2, code, "keyed catalog, unkeyed sample")
	assert.Empty(t, out, "no report across keys")
	assert.Contains(t, stderr, "incompatible", "error says why")
	code, _, stderr = leakprov(t, "score", "--catalog", kd, "--key-file", key, "--format", "json", src[3])
	assert.Equal(t, 0, code, stderr)
	code, _, stderr = leakprov(t, "merge", "-o", filepath.Join(dir, "m.lps"), unk, kd)
	assert.Equal(t, 2, code, "merging across keys")
	assert.Contains(t, stderr, "k.lps", "merge error names the file")

	short := filepath.Join(dir, "short")
	require.NoError(t, os.WriteFile(short, []byte("0123456789"), 0o600))
	code, _, stderr = leakprov(t, "index", "--name", "x", "--key-file", short, "-o", filepath.Join(dir, "s.lps"), src[3])
	assert.Equal(t, 2, code, "short key")
	assert.Contains(t, stderr, "32 bytes", "short key message")
}

// Shards of a file indexed apart with one --capacity and merged score the
// same as one build with that capacity.
func TestShardsMergeLikeOneBuild(t *testing.T) {
	src := sources(t)[0]
	data, err := os.ReadFile(src[3])
	require.NoError(t, err)
	lines := bytes.SplitAfter(data, []byte("\n"))
	header, body := lines[0], lines[1:]
	dir := t.TempDir()
	var shards []string
	for i, part := range [][][]byte{body[:len(body)/3], body[len(body)/3 : 2*len(body)/3], body[2*len(body)/3:]} {
		p := filepath.Join(dir, "shard"+string(rune('a'+i))+".csv")
		require.NoError(t, os.WriteFile(p, append(append([]byte{}, header...), bytes.Join(part, nil)...), 0o600))
		out := p + ".lps"
		code, _, stderr := leakprov(t, "index", "--name", src[0], "--region", src[2], "--capacity", "5000", "-o", out, p)
		require.Equalf(t, 0, code, "index shard %d: %s", i, stderr)
		shards = append(shards, out)
	}
	merged := filepath.Join(dir, "merged", "m.lps")
	require.NoError(t, os.MkdirAll(filepath.Dir(merged), 0o700))
	code, _, stderr := leakprov(t, append([]string{"merge", "-o", merged}, shards...)...)
	require.Equal(t, 0, code, stderr)
	whole := filepath.Join(dir, "whole", "w.lps")
	require.NoError(t, os.MkdirAll(filepath.Dir(whole), 0o700))
	code, _, stderr = leakprov(t, "index", "--name", src[0], "--region", src[2], "--capacity", "5000", "-o", whole, src[3])
	require.Equal(t, 0, code, stderr)

	kinds := func(p string) any {
		_, out, _ := leakprov(t, "inspect", "--format", "json", p)
		var d map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &d))
		return []any{d["kinds"], d["pairs"]}
	}
	assert.Equal(t, kinds(whole), kinds(merged), "filters, sketches and counts of merged shards vs one build")
	leak := filepath.Join(repo, "testdata", "leak.csv")
	_, a, _ := leakprov(t, "score", "--catalog", filepath.Dir(merged), "--format", "json", leak)
	_, b, _ := leakprov(t, "score", "--catalog", filepath.Dir(whole), "--format", "json", leak)
	var ra, rb map[string]any
	require.NoError(t, json.Unmarshal([]byte(a), &ra))
	require.NoError(t, json.Unmarshal([]byte(b), &rb))
	for _, k := range []string{"verdict", "explained", "residual", "novel_fields"} {
		assert.Equalf(t, rb[k], ra[k], "score %s, merged shards vs one build", k)
	}
	sa, sb := ra["sources"].([]any)[0].(map[string]any), rb["sources"].([]any)[0].(map[string]any)
	for _, k := range []string{"records", "joint", "fields"} {
		assert.Equalf(t, sb[k], sa[k], "source %s, merged shards vs one build", k)
	}
}

func TestSchemasCommand(t *testing.T) {
	code, out, _ := leakprov(t, "schemas")
	require.Equal(t, 0, code)
	for _, s := range []string{"diia-driver-licence", "cowin-beneficiary", "reserve-plus", "e-astana-kindergarten"} {
		assert.Containsf(t, out, s, "schemas lists %s", s)
	}
}

func TestProfileCommand(t *testing.T) {
	code, out, stderr := leakprov(t, "profile", "--format", "json", filepath.Join(repo, "testdata", "leak.csv"))
	require.Equal(t, 0, code, stderr)
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	for _, k := range []string{"path", "format", "delimiter", "encoding", "has_header", "records", "skipped", "columns"} {
		assert.Containsf(t, p, k, "profile field %s", k)
	}
	var kinds []string
	for _, c := range p["columns"].([]any) {
		m := c.(map[string]any)
		for _, k := range []string{"name", "kind", "valid", "distinct", "empty"} {
			assert.Containsf(t, m, k, "profile column field %s", k)
		}
		kinds = append(kinds, m["kind"].(string))
	}
	assert.Contains(t, kinds, "driver_licence", "profile kinds of the bundled leak")
}

func TestProfileText(t *testing.T) {
	code, out, stderr := leakprov(t, "profile", filepath.Join(repo, "testdata", "ua", "sources", "bank-2016.csv"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "windows-1251", "encoding of the cp1251 bank dump")
	assert.Contains(t, out, `delimited ";"`, "format and delimiter")
	assert.Contains(t, out, "national_id", "a column kind")
}

func TestCompareCommand(t *testing.T) {
	cat := filepath.Join(repo, "testdata", "catalog")
	code, out, stderr := leakprov(t, "compare", "--format", "json", filepath.Join(cat, "bank-2016.lps"), filepath.Join(cat, "bank-2016.lps"))
	require.Equal(t, 0, code, stderr)
	var c struct {
		Kinds []struct {
			Kind    string
			Jaccard struct{ Estimate float64 }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	require.NotEmpty(t, c.Kinds, "kinds compared")
	for _, k := range c.Kinds {
		assert.Equalf(t, 1.0, k.Jaccard.Estimate, "a dump against itself: %s", k.Kind)
	}
	code, out, _ = leakprov(t, "compare", filepath.Join(cat, "bank-2016.lps"), filepath.Join(cat, "social-2013.lps"))
	require.Equal(t, 0, code)
	assert.Contains(t, out, "phone", "text comparison lists kinds")
}

func TestScoreSample(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600") // reports state when they were made
	args := []string{"score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--format", "json", "--sample", "500", "--seed", "7",
		filepath.Join(repo, "testdata", "leak.csv")}
	code, out, stderr := leakprov(t, args...)
	require.Equal(t, 0, code, stderr)
	var rep struct {
		Sample struct {
			Records  int
			Sampling struct{ Size, Total, Seed int }
		}
		Explained struct{ Estimate, Low, High float64 }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 500, rep.Sample.Records, "records scored")
	assert.Equal(t, 500, rep.Sample.Sampling.Size, "sampling.size")
	assert.Equal(t, 2000, rep.Sample.Sampling.Total, "sampling.total")
	assert.Equal(t, 7, rep.Sample.Sampling.Seed, "sampling.seed is reported")
	assert.InDelta(t, 0.64, rep.Explained.Estimate, 0.07, "explained from a sample of 500")
	assert.Greater(t, rep.Explained.High-rep.Explained.Low, 0.06, "a sample of 500 gives a wider interval than 2000")
	_, again, _ := leakprov(t, args...)
	assert.Equal(t, out, again, "the same seed draws the same sample")
}

func TestScoreFormats(t *testing.T) {
	for _, f := range []struct{ format, want string }{
		{"markdown", "| source | snapshot |"}, {"html", "<table>"}, {"text", "Evidence:"},
	} {
		code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--format", f.format,
			"--schema", "diia-driver-licence", filepath.Join(repo, "testdata", "leak.csv"))
		require.Equalf(t, 0, code, "%s: %s", f.format, stderr)
		assert.Containsf(t, out, f.want, "--format %s", f.format)
		assert.Containsf(t, out, "bank-2016", "--format %s names the sources", f.format)
	}
}

func TestFlagValidation(t *testing.T) {
	cat := filepath.Join(repo, "testdata", "catalog")
	leak := filepath.Join(repo, "testdata", "leak.csv")
	sig := filepath.Join(cat, "bank-2016.lps")
	for _, args := range [][]string{
		{"score", "--catalog", cat, "--claimed-records", "26000000", leak},
		{"score", "--catalog", cat, "--recycled-at", "90", leak},
		{"score", "--catalog", cat, "--new-at", "0.95", leak},
		{"compare", "--format", "xml", sig, sig},
		{"inspect", "--format", "xml", sig},
		{"schemas", "--format", "xml"},
		{"schemas", "extra"},
	} {
		code, out, _ := leakprov(t, args...)
		assert.Equalf(t, 2, code, "exit code of %v", args)
		assert.Emptyf(t, out, "no output for %v", args)
	}
}

// No output replaces an input, however it is named, and none replaces an
// existing file without --force.
func TestOutputsNeverOverwriteInputs(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "victim.csv")
	src, err := os.ReadFile(filepath.Join(repo, "testdata", "kz", "sources", "telecom-2019.csv"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dump, src, 0o600))
	link := filepath.Join(dir, "link.lps")
	require.NoError(t, os.Symlink(dump, link))
	for _, args := range [][]string{
		{"index", "--name", "v", "-o", dump, dump},
		{"index", "--name", "v", "--force", "-o", dump, dump},
		{"index", "--name", "v", "--force", "-o", link, dump},
	} {
		code, _, stderr := leakprov(t, args...)
		assert.Equalf(t, 2, code, "%v: exit", args)
		assert.Containsf(t, stderr, "input", "%v: the error says why", args)
		got, err := os.ReadFile(dump)
		require.NoError(t, err)
		assert.Truef(t, bytes.Equal(src, got), "%v: the dump is untouched", args)
	}

	a, b := filepath.Join(dir, "a.lps"), filepath.Join(dir, "b.lps")
	for _, p := range []string{a, b} {
		code, _, stderr := leakprov(t, "index", "--name", filepath.Base(p), "--capacity", "5000", "-o", p, dump)
		require.Equalf(t, 0, code, "index %s: %s", p, stderr)
	}
	before, err := os.ReadFile(a)
	require.NoError(t, err)
	code, _, stderr := leakprov(t, "index", "--name", "again", "-o", a, dump)
	assert.Equal(t, 2, code, "an existing output without --force")
	assert.Contains(t, stderr, "--force", "the error says how to replace it")
	code, _, _ = leakprov(t, "merge", "--force", "-o", a, a, b)
	assert.Equal(t, 2, code, "merge into one of its shards, even with --force")
	after, err := os.ReadFile(a)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(before, after), "the shard is untouched")
	code, _, stderr = leakprov(t, "index", "--name", "again", "--force", "-o", a, dump)
	assert.Equalf(t, 0, code, "--force replaces an existing output: %s", stderr)
}

// keygen makes a strong key, readable by its owner only, and never replaces
// a file; a key file others can read gets a warning.
func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "team.key")
	code, _, stderr := leakprov(t, "keygen", "-o", key)
	require.Equalf(t, 0, code, "keygen: %s", stderr)
	b, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{64}\n$`, string(b), "64 hex digits")
	fi, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "mode 0600")
	code, _, _ = leakprov(t, "keygen", "-o", key)
	assert.Equal(t, 2, code, "an existing key file is never replaced")
	after, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Equal(t, b, after, "the key is unchanged")

	src := sources(t)[0]
	require.NoError(t, os.Chmod(key, 0o644))
	code, _, stderr = leakprov(t, "index", "--name", "x", "--key-file", key, "-o", filepath.Join(dir, "x.lps"), src[3])
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "can be read by others", "a warning for a readable key file")
}

// Strings from strangers (source names from shared signatures, column
// names from a dump's header, file names) cannot forge report lines,
// drive the terminal or break out of Markdown, in any output.
func TestUntrustedStringsAreEscaped(t *testing.T) {
	dir := t.TempDir()
	forged := "bank\n\nEvidence:\n  - Verdict FORGED 99% \x1b[31m[x](javascript:alert(1))`<script>\u202e"
	src := sources(t)[0]
	sig := filepath.Join(dir, "s.lps")
	code, _, stderr := leakprov(t, "index", "--name", forged, "--region", src[2], "-o", sig, src[3])
	require.Equalf(t, 0, code, "index: %s", stderr)
	header := filepath.Join(dir, "dump.csv")
	require.NoError(t, os.WriteFile(header, []byte("\x1b]8;;http://evil\x1b\\phone\x1b]8;;\x1b\\,email\n+380501234567,a@b.ua\n+380671234567,c@d.ua\n"), 0o600))

	outputs := map[string][]string{
		"score text":     {"score", "--catalog", sig, src[3]},
		"score markdown": {"score", "--catalog", sig, "--format", "markdown", src[3]},
		"inspect":        {"inspect", sig},
		"compare":        {"compare", sig, sig},
		"profile":        {"profile", header},
	}
	for what, args := range outputs {
		_, out, stderr := leakprov(t, args...)
		for _, raw := range []string{"\x1b", "\u202e", "\n  - Verdict FORGED"} {
			assert.NotContainsf(t, out+stderr, raw, "%s: %q reaches the output raw", what, raw)
		}
	}
	_, md, _ := leakprov(t, outputs["score markdown"]...)
	assert.Contains(t, md, `\[x\](javascript:alert(1))`, "a Markdown link in a name is shown, not made")
	assert.Contains(t, md, `\<script\>`, "HTML in a name is shown, not run")
	assert.NotContains(t, md, "`<script>", "a backtick cannot open a code span")

	_, _, stderr = leakprov(t, "score", "--catalog", sig, filepath.Join(dir, "no\x1b[2Jsuch.csv"))
	assert.NotContains(t, stderr, "\x1b", "a file name in an error")
	assert.Contains(t, stderr, `no\x1b[2Jsuch.csv`, "shown escaped")
}

// "-" reads standard input, for index and score; a second "-" in one
// index is a usage error.
func TestStandardInput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repo, "testdata", "leak.csv"))
	require.NoError(t, err)
	defer func(r io.Reader) { stdin = r }(stdin)

	sig := filepath.Join(t.TempDir(), "stdin.lps")
	stdin = bytes.NewReader(data)
	code, _, stderr := leakprov(t, "index", "--name", "piped", "-o", sig, "-")
	require.Equal(t, 0, code, stderr)
	s, err := fingerprint.ReadFile(sig)
	require.NoError(t, err)
	require.Len(t, s.Meta.Inputs, 1, "inputs of the piped signature")
	assert.Equal(t, "stdin", s.Meta.Inputs[0].Path, "the input's name")
	assert.EqualValues(t, 2000, s.Meta.Records, "records read from standard input")

	stdin = bytes.NewReader(data)
	code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--format", "json", "-")
	require.Equal(t, 0, code, stderr)
	var rep struct {
		Sample struct {
			Path    string `json:"path"`
			Records int    `json:"records"`
		} `json:"sample"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "score - --format json")
	assert.Equal(t, "stdin", rep.Sample.Path, "sample.path of standard input")
	assert.Equal(t, 2000, rep.Sample.Records, "sample.records from standard input")

	code, _, stderr = leakprov(t, "index", "--name", "twice", "-o", filepath.Join(t.TempDir(), "x.lps"), "-", "-")
	assert.Equal(t, 2, code, "index - -")
	assert.Contains(t, stderr, "given twice", "index - -")
}
