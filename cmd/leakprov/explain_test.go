package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

var (
	catalog = filepath.Join(repo, "testdata", "catalog")
	leakCSV = filepath.Join(repo, "testdata", "leak.csv")
)

// writeFile writes data to name in a fresh temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

// people renders n synthetic Ukrainians as a CSV of name, phone and e-mail.
func people(seed uint64, n int) []byte {
	var b bytes.Buffer
	b.WriteString("name,phone,email\n")
	for _, p := range synth.People(canon.UA, seed, n) {
		fmt.Fprintf(&b, "%s %s,%s,%s\n", p.Family, p.Given, p.Phone, p.Email)
	}
	return b.Bytes()
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, stderr := leakprov(t, args...)
		require.Equalf(t, 0, code, "%v: %s", args, stderr)
		assert.Regexpf(t, `^leakprov \S+\n`, out, "%v: the module version first", args)
		assert.Containsf(t, out, fmt.Sprintf("canonical forms version %d", canon.Version), "%v", args)
		assert.Containsf(t, out, fmt.Sprintf("signature format version %d", fingerprint.FormatVersion), "%v", args)
	}

	// A binary built from a tagged module in a VCS checkout names both.
	defer func(f func() (*debug.BuildInfo, bool)) { buildInfo = f }(buildInfo)
	buildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/leakprov/leakprov", Version: "v1.4.2"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	code, out, _ := leakprov(t, "version")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "leakprov v1.4.2\n"), "module version: %q", out)
	assert.Contains(t, out, "commit 0123456789abcdef, with local changes", "VCS commit")
	code, out, _ = leakprov(t, "--version", "--format", "json")
	require.Equal(t, 0, code)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v), "version --format json")
	assert.Equal(t, "v1.4.2", v["module_version"], "module_version")
	assert.Equal(t, "0123456789abcdef", v["commit"], "commit")
	assert.EqualValues(t, canon.Version, v["canon_version"], "canon_version")
	assert.EqualValues(t, fingerprint.FormatVersion, v["format_version"], "format_version")

	// From a checkout, without build information.
	buildInfo = func() (*debug.BuildInfo, bool) { return nil, false }
	_, out, _ = leakprov(t, "version")
	assert.True(t, strings.HasPrefix(out, "leakprov (devel)\n"), "no build information: %q", out)
	assert.NotContains(t, out, "commit", "no commit without build information")
}

// Every command's -h starts with its usage line, naming its arguments,
// then lists its flags as they are typed.
func TestCommandHelp(t *testing.T) {
	flags := map[string][]string{
		"index":   {"--name NAME", "--capacity N", "--fpr", "--region CC", "-o FILE", "-q"},
		"score":   {"--catalog DIR|FILE", "--sample N", "--expect VERDICT", "--skip-bad", "-q"},
		"profile": {"--format", "--encoding", "-q"},
		"merge":   {"--name NAME", "--snapshot YYYY-MM-DD", "-o FILE"},
		"compare": {"--format"},
		"keygen":  {"-o FILE"},
		"version": {"--format"},
	}
	for _, c := range commandList {
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			code, out, stderr := leakprov(t, args...)
			assert.Equalf(t, 0, code, "%v: exit", args)
			assert.Emptyf(t, out, "%v: help goes to stderr", args)
			assert.Truef(t, strings.HasPrefix(stderr, "usage: leakprov "+c.name+" "+c.args+"\n"), "%v starts with the usage line: %q", args, stderr)
			for _, f := range flags[c.name] {
				assert.Containsf(t, stderr, "\n  "+f, "%v lists %s", args, f)
			}
		}
	}
	_, _, stderr := leakprov(t, "score", "-h")
	assert.Contains(t, stderr, "usage: leakprov score --catalog DIR|FILE... [flags] SAMPLE...", "score's usage line")
	assert.Contains(t, stderr, "--region CC\n        country CC for national phone and ID formats: UA, RU, KZ, IN", "--region lists the regions")

	code, _, stderr := leakprov(t, "--help")
	assert.Equal(t, 0, code, "--help")
	for _, c := range commandList {
		assert.Containsf(t, stderr, "\n  "+c.name+" ", "the usage lists %s", c.name)
	}
}

// An unknown command or flag suggests the nearest one, when there is one
// near enough.
func TestUnknownNamesSuggestTheNearest(t *testing.T) {
	for _, c := range []struct {
		args    []string
		suggest string
	}{
		{[]string{"scroe", leakCSV}, `did you mean "score"?`},
		{[]string{"indx"}, `did you mean "index"?`},
		{[]string{"comp"}, `did you mean "compare"?`},
		{[]string{"score", "--catalog", catalog, "--smaple", "10", leakCSV}, "unknown flag --smaple: did you mean --sample?"},
		{[]string{"index", "--nmae", "x", "-o", "x.lps", leakCSV}, "unknown flag --nmae: did you mean --name?"},
		{[]string{"merge", "--snapshto", "2020-01-01"}, "did you mean --snapshot?"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"score", "--catalog", catalog, "--bogus", leakCSV}, "unknown flag --bogus (leakprov score -h lists the flags)"},
	} {
		code, out, stderr := leakprov(t, c.args...)
		assert.Equalf(t, 2, code, "%v: exit", c.args)
		assert.Emptyf(t, out, "%v: stdout", c.args)
		assert.Containsf(t, stderr, c.suggest, "%v", c.args)
		if !strings.Contains(c.suggest, "did you mean") {
			assert.NotContainsf(t, stderr, "did you mean", "%v: nothing is near", c.args)
		}
	}
}

func TestEditDistanceAndNearest(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"score", "score", 0}, {"scroe", "score", 1}, {"scor", "score", 1},
		{"index", "indx", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}, {strings.Repeat("a", 65), "a", 65},
	} {
		assert.Equalf(t, c.d, editDistance(c.a, c.b), "editDistance(%q, %q)", c.a, c.b)
		assert.Equalf(t, c.d, editDistance(c.b, c.a), "editDistance(%q, %q)", c.b, c.a)
	}
	names := []string{"index", "inspect", "score", "schemas"}
	assert.Equal(t, "", nearest("in", names), "a prefix of two commands")
	assert.Equal(t, "inspect", nearest("insp", names), "a prefix of one")
	assert.Equal(t, "", nearest("x", names), "one letter is near nothing")
	assert.Equal(t, "", nearest("frobnicate", names), "nothing near")
}

// The package names library errors start with never reach the user, and
// errors say what to do about them.
func TestErrorsSayWhatToDo(t *testing.T) {
	dir := t.TempDir()
	badQuote := writeFile(t, "quote.csv", []byte("name,phone\n\"Ivan Petrenko,+380671234567\nOlha Ivanenko,+380671234568\n"))
	cp866, err := charmap.CodePage866.NewEncoder().String("ФИО,ГОРОД\nСЕМЁНОВ ИВАН ПЕТРОВИЧ,МОСКВА\nПЕТРОВА АННА СЕРГЕЕВНА,ОМСК\n")
	require.NoError(t, err)
	ambiguous := writeFile(t, "upper.csv", []byte(cp866))
	key := filepath.Join(dir, "key")
	code, _, stderr := leakprov(t, "keygen", "-o", key)
	require.Equal(t, 0, code, stderr)
	otherKey := filepath.Join(dir, "other.key")
	code, _, stderr = leakprov(t, "keygen", "-o", otherKey)
	require.Equal(t, 0, code, stderr)
	src := sources(t)[0]
	keyed := filepath.Join(dir, "keyed.lps")
	code, _, stderr = leakprov(t, "index", "--name", src[0], "--region", src[2], "--key-file", key, "-o", keyed, src[3])
	require.Equal(t, 0, code, stderr)

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"score", "--catalog", catalog, badQuote}, []string{"quote.csv:2", "bad quote", "hint: add --skip-bad"}},
		{[]string{"index", "--name", "q", "-o", filepath.Join(dir, "q.lps"), badQuote}, []string{"bad quote", "hint: add --skip-bad"}},
		{[]string{"profile", ambiguous}, []string{"ambiguous encoding", "hint: name the encoding with --encoding"}},
		{[]string{"score", "--catalog", keyed, leakCSV}, []string{"siphash24-keyed", "hint: the catalog is keyed: add --key-file KEY"}},
		{[]string{"score", "--catalog", keyed, "--key-file", otherKey, leakCSV}, []string{"has key", "hint: the catalog was built with another key"}},
		{[]string{"score", "--catalog", catalog, "--key-file", key, leakCSV}, []string{"hint: the catalog is unkeyed: leave --key-file out"}},
		{[]string{"compare", keyed, filepath.Join(catalog, src[0]+".lps")}, []string{"hint: signatures hashed with different keys"}},
		{[]string{"score", "--catalog", catalog, "--schema", "no-such-system", leakCSV}, []string{"hint: leakprov schemas lists"}},
	} {
		code, out, stderr := leakprov(t, c.args...)
		assert.Equalf(t, 2, code, "%v: exit", c.args)
		assert.Emptyf(t, out, "%v: stdout", c.args)
		assert.Truef(t, strings.HasPrefix(stderr, "leakprov "+c.args[0]+": "), "%v: the command's prefix: %q", c.args, stderr)
		for _, w := range c.want {
			assert.Containsf(t, stderr, w, "%v", c.args)
		}
		msg := strings.TrimPrefix(stderr, "leakprov "+c.args[0]+": ")
		for _, p := range []string{"sampleset: ", "provenance: ", "fingerprint: ", "index: "} {
			assert.NotContainsf(t, msg, p, "%v: a package prefix reaches the user", c.args)
		}
	}
	code, _, stderr = leakprov(t, "score", "--catalog", catalog, "--skip-bad", "--format", "json", badQuote)
	assert.Equal(t, 0, code, "--skip-bad, as the hint says: %s", stderr)
	code, _, stderr = leakprov(t, "profile", "--encoding", "cp866", ambiguous)
	assert.Equal(t, 0, code, "--encoding, as the hint says: %s", stderr)
	code, _, stderr = leakprov(t, "score", "--catalog", keyed, "--key-file", key, "--format", "json", leakCSV)
	assert.Equal(t, 0, code, "--key-file, as the hint says: %s", stderr)
}

func TestStripPrefixes(t *testing.T) {
	for in, want := range map[string]string{
		"sampleset: bad quote":                           "bad quote",
		"leak.csv:3: field 2: sampleset: bad quote":      "leak.csv:3: field 2: bad quote",
		"a.lps: fingerprint: incompatible signatures: x": "a.lps: incompatible signatures: x",
		"index: bad options: provenance: x":              "bad options: x",
		"catalog: (fingerprint: x)":                      "catalog: (x)",
		"my/index: file":                                 "my/index: file",
		"reindex: it":                                    "reindex: it",
	} {
		assert.Equalf(t, want, stripPrefixes(in), "stripPrefixes(%q)", in)
	}
}

// Flag values that would quietly change the answer, or mean nothing, are
// usage errors that say what is wanted.
func TestFlagValuesAreChecked(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.lps")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"score", "--catalog", catalog, "--region", "UK", leakCSV}, "UA, RU, KZ, IN"},
		{[]string{"index", "--name", "x", "--region", "GB", "-o", out, leakCSV}, "UA, RU, KZ, IN"},
		{[]string{"profile", "--region", "U", leakCSV}, "UA, RU, KZ, IN"},
		{[]string{"score", "--catalog", catalog, "--sample", "0", leakCSV}, "--sample 0: want a positive number"},
		{[]string{"score", "--catalog", catalog, "--sample", "-5", leakCSV}, "--sample -5: want a positive number"},
		{[]string{"index", "--name", "x", "--fpr", "0", "-o", out, leakCSV}, "--fpr 0: want a false-positive rate"},
		{[]string{"index", "--name", "x", "--fpr", "1", "-o", out, leakCSV}, "--fpr 1: want"},
		{[]string{"index", "--name", "x", "--fpr", "0.5", "-o", out, leakCSV}, "--fpr 0.5: want"},
		{[]string{"index", "--name", "x", "--fpr", "NaN", "-o", out, leakCSV}, "--fpr NaN: want"},
		{[]string{"index", "--name", "x", "--fpr", "-0.01", "-o", out, leakCSV}, "--fpr -0.01: want"},
		{[]string{"score", "--catalog", catalog, "--map", "Телефон=fone", leakCSV}, `unknown kind "fone": want one of other, name,`},
		{[]string{"index", "--name", "x", "--map", "x=name+birth_date", "-o", out, leakCSV}, "unknown kind"},
		{[]string{"merge", "--snapshot", "2020-13-01", "-o", out, "a.lps", "b.lps"}, `--snapshot "2020-13-01": want a date`},
	} {
		code, stdout, stderr := leakprov(t, c.args...)
		assert.Equalf(t, 2, code, "%v: exit", c.args)
		assert.Emptyf(t, stdout, "%v: stdout", c.args)
		assert.Containsf(t, stderr, c.want, "%v", c.args)
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "no signature written by a refused index")
	code, _, stderr := leakprov(t, "score", "--catalog", catalog, "--region", "ua", "--format", "json", leakCSV)
	assert.Equal(t, 0, code, "--region in lower case: %s", stderr)
	code, _, stderr = leakprov(t, "index", "--name", "x", "--fpr", "0.01", "--map", "Телефон=phone", "-q", "-o", out, leakCSV)
	assert.Equal(t, 0, code, "a good --fpr and --map: %s", stderr)
}

// index refuses a capacity the data would saturate or that is far larger
// than the data, and an input none of whose columns identifies anyone.
func TestIndexWarnsInsteadOfSurprising(t *testing.T) {
	dir := t.TempDir()
	dump := writeFile(t, "people.csv", people(3, 1000))
	for _, c := range []struct {
		capacity string
		want     string
	}{
		{"100", "holds about"},
		{"100001", "over 100 times the 1000 records"},
		{"1000000000000", "nearly all of it empty"},
	} {
		code, _, stderr := leakprov(t, "index", "--name", "p", "--capacity", c.capacity, "-o", filepath.Join(dir, "p.lps"), dump)
		assert.Equalf(t, 2, code, "--capacity %s for 1000 records", c.capacity)
		assert.Containsf(t, stderr, c.want, "--capacity %s", c.capacity)
		assert.Containsf(t, stderr, "hint: --capacity is for shards", "--capacity %s", c.capacity)
	}
	code, _, stderr := leakprov(t, "index", "--name", "p", "--capacity", "5000", "-q", "-o", filepath.Join(dir, "p.lps"), dump)
	assert.Equal(t, 0, code, "a capacity that fits: %s", stderr)

	var combo bytes.Buffer
	combo.WriteString("login;secret;city\n")
	for i := range 300 {
		fmt.Fprintf(&combo, "user%d;hunter%d;Kyiv\n", i, i)
	}
	noIDs := writeFile(t, "combo.csv", combo.Bytes())
	code, out, stderr := leakprov(t, "index", "--name", "c", "-o", filepath.Join(dir, "c.lps"), noIDs)
	assert.Equal(t, 2, code, "an input with no identifier")
	assert.Empty(t, out, "stdout")
	for _, want := range []string{"combo.csv", "no identifier column", `"login" username`, `"secret"`, `"city" other`, "hint: name a column's kind with --map COLUMN=KIND", "driver_licence"} {
		assert.Contains(t, stderr, want, "the error names the input, its columns and --map")
	}
	_, err := os.Stat(filepath.Join(dir, "c.lps"))
	assert.True(t, os.IsNotExist(err), "nothing written")
}

// merge refuses shards of different names, snapshots or regions, unless
// --name and --snapshot say what the merged source is.
func TestMergeRefusesShardsOfDifferentSources(t *testing.T) {
	dir := t.TempDir()
	shard := func(name, snapshot, region string, seed uint64) string {
		t.Helper()
		p := filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%d.lps", name, snapshot, region, seed))
		args := []string{"index", "--name", name, "--capacity", "5000", "-q", "-o", p}
		if snapshot != "" {
			args = append(args, "--snapshot", snapshot)
		}
		if region != "" {
			args = append(args, "--region", region)
		}
		code, _, stderr := leakprov(t, append(args, writeFile(t, "shard.csv", people(seed, 500)))...)
		require.Equalf(t, 0, code, "index %s: %s", p, stderr)
		return p
	}
	a := shard("bank", "2016-10-01", "UA", 1)
	for _, c := range []struct {
		what string
		b    string
		want string
	}{
		{"names", shard("bank-copy", "2016-10-01", "UA", 2), "--name NAME"},
		{"snapshots", shard("bank", "2016-11-01", "UA", 3), "--snapshot YYYY-MM-DD"},
		{"regions", shard("bank", "2016-10-01", "KZ", 4), "one --region"},
	} {
		out := filepath.Join(dir, "m-"+c.what+".lps")
		code, _, stderr := leakprov(t, "merge", "-o", out, a, c.b)
		assert.Equalf(t, 2, code, "shards of different %s", c.what)
		assert.Containsf(t, stderr, c.want, "shards of different %s: the error says what to do", c.what)
		assert.Containsf(t, stderr, filepath.Base(c.b), "shards of different %s: the error names the shard", c.what)
		_, err := os.Stat(out)
		assert.Truef(t, os.IsNotExist(err), "shards of different %s: nothing written", c.what)
	}

	out := filepath.Join(dir, "renamed.lps")
	b := shard("bank-copy", "2016-11-01", "UA", 5)
	code, _, stderr := leakprov(t, "merge", "--name", "bank-all", "--snapshot", "2016-12-01", "-o", out, a, b)
	require.Equal(t, 0, code, "--name and --snapshot: %s", stderr)
	s, err := fingerprint.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "bank-all", s.Meta.Name, "the merged source's name")
	assert.Equal(t, "2016-12-01", s.Meta.Snapshot, "the merged source's snapshot")
	assert.EqualValues(t, 1000, s.Meta.Records, "records of both shards")

	code, _, stderr = leakprov(t, "merge", "--name", "bank-all", "--snapshot", "2999-01-01", "-o", filepath.Join(dir, "future.lps"), a, b)
	assert.Equal(t, 2, code, "a snapshot after the shards were made")
	assert.Contains(t, stderr, "after the shards were made", "the error says why")

	out = filepath.Join(dir, "same.lps")
	code, _, stderr = leakprov(t, "merge", "-o", out, a, shard("bank", "2016-10-01", "UA", 6))
	require.Equal(t, 0, code, "shards of one source: %s", stderr)
	s, err = fingerprint.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "bank", s.Meta.Name, "the shards' name")
	assert.Equal(t, "2016-10-01", s.Meta.Snapshot, "the shards' snapshot")
}

// compare states the sketch values behind each figure, and says "too few
// to compare" below 50.
func TestCompareSaysTooFew(t *testing.T) {
	code, out, stderr := leakprov(t, "compare", filepath.Join(catalog, "bank-2016.lps"), filepath.Join(catalog, "social-2013.lps"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "too few to compare (n=", "3,000 and 2,000 records give sketches of a few dozen values")
	code, out, stderr = leakprov(t, "compare", "--format", "json", filepath.Join(catalog, "bank-2016.lps"), filepath.Join(catalog, "social-2013.lps"))
	require.Equal(t, 0, code, stderr)
	var c struct {
		Kinds []struct {
			Kind    string
			SketchA int  `json:"sketch_a"`
			TooFew  bool `json:"too_few"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &c))
	require.NotEmpty(t, c.Kinds, "kinds compared")
	for _, k := range c.Kinds {
		assert.Truef(t, k.TooFew, "%s: too_few with a sketch of %d values", k.Kind, k.SketchA)
	}

	dir := t.TempDir()
	for i, seed := range []uint64{21, 21} {
		p := filepath.Join(dir, fmt.Sprintf("%d.lps", i))
		code, _, stderr := leakprov(t, "index", "--name", fmt.Sprint(i), "--region", "UA", "-q", "-o", p, writeFile(t, "big.csv", people(seed, 20000)))
		require.Equal(t, 0, code, stderr)
	}
	code, out, stderr = leakprov(t, "compare", filepath.Join(dir, "0.lps"), filepath.Join(dir, "1.lps"))
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, out, "too few to compare (n=", "20,000 records give sketches of about 150 values")
	assert.Regexp(t, `phone .* 100% \[\d+%–100%\] n=\d{3}`, out, "the figure and the count behind it")
}

// Progress goes to stderr only when it is a terminal, and not with -q;
// index ends with a summary line unless -q.
func TestProgressAndSummary(t *testing.T) {
	dir := t.TempDir()
	dump := writeFile(t, "people.csv", people(9, 10000))
	sig := filepath.Join(dir, "p.lps")
	code, out, stderr := leakprov(t, "index", "--name", "people", "--region", "UA", "-o", sig, dump)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, out, "index writes nothing on stdout")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 1, "not a terminal: only the summary line: %q", stderr)
	assert.Regexp(t, `^leakprov index: people: 10000 records; name 100\.0% valid, phone 100\.0% valid, email 100\.0% valid, name\+birth_date|^leakprov index: people: 10000 records; `, lines[0], "summary: records")
	for _, want := range []string{"phone 100.0% valid", "email 100.0% valid", "signature ", "KiB", "false-positive rate", "(target 0.001)"} {
		assert.Contains(t, lines[0], want, "summary")
	}
	fi, err := os.Stat(sig)
	require.NoError(t, err)
	assert.Contains(t, lines[0], "signature "+byteSize(fi.Size()), "summary: the signature's size")

	code, _, stderr = leakprov(t, "index", "--name", "people", "--region", "UA", "--force", "-q", "-o", sig, dump)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "index -q")
	for _, args := range [][]string{
		{"score", "--catalog", sig, "--format", "json", dump},
		{"profile", "--format", "json", dump},
	} {
		code, _, stderr := leakprov(t, args...)
		require.Equalf(t, 0, code, "%v: %s", args, stderr)
		assert.Emptyf(t, stderr, "%v: not a terminal, nothing on stderr", args)
	}

	// On a terminal: a bar, cleared once the records are read, and the
	// same results as without it.
	defer func(f func(io.Writer) bool) { isTerminal = f }(isTerminal)
	isTerminal = func(io.Writer) bool { return true }
	// Two files, so that the rows name the member each record comes from.
	dump2 := writeFile(t, "more.csv", people(10, 5000))
	rows := func(extra ...string) (string, string, string) {
		rowsOut := filepath.Join(t.TempDir(), "rows.csv")
		args := append([]string{"score", "--catalog", sig, "--format", "json", "--rows", rowsOut}, extra...)
		code, out, stderr := leakprov(t, append(args, dump, dump2)...)
		require.Equalf(t, 0, code, "score %v: %s", extra, stderr)
		b, err := os.ReadFile(rowsOut)
		require.NoError(t, err)
		return dropVolatile(t, out), string(b), stderr
	}
	quietRep, quietRows, stderr := rows("-q")
	assert.Empty(t, stderr, "score -q on a terminal")
	rep, rowsCSV, stderr := rows()
	assert.Contains(t, stderr, "records", "score on a terminal: the bar counts records")
	assert.Contains(t, stderr, "KiB read", "score on a terminal: the bar counts bytes")
	assert.Contains(t, stderr, "records/s", "score on a terminal: the bar shows the rate")
	assert.Equal(t, quietRep, rep, "the report with a progress bar and without")
	assert.Equal(t, quietRows, rowsCSV, "the rows with a progress bar and without")
	assert.Contains(t, rowsCSV, "\n5000,"+dump2+",", "the rows name the second file's records")
	sampled, _, stderr := rows("--sample", "500")
	assert.Contains(t, stderr, "records", "score --sample on a terminal")
	assert.Contains(t, sampled, `"sampling"`, "a sample drawn through the bar is reported as one")

	for _, args := range [][]string{
		{"index", "--name", "people", "--region", "UA", "--force", "-o", sig, dump},
		{"profile", dump},
	} {
		code, _, stderr := leakprov(t, args...)
		require.Equalf(t, 0, code, "%v: %s", args, stderr)
		assert.Containsf(t, stderr, "records", "%v on a terminal: the bar", args)
		code, _, stderr = leakprov(t, append(args, "-q")...)
		require.Equalf(t, 0, code, "%v -q: %s", args, stderr)
		assert.Emptyf(t, stderr, "%v -q on a terminal", args)
	}
}

// dropVolatile returns a JSON report without the time it was made.
func dropVolatile(t *testing.T, report string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(report), &m), "a JSON report")
	delete(m, "created")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}
