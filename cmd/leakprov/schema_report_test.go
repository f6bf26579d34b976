package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportSchemaPath is the committed JSON Schema of report_version 1.
var reportSchemaPath = filepath.Join(repo, "docs", "report.schema.json")

// reportSchema compiles docs/report.schema.json (checking it against the
// draft 2020-12 meta-schema) and returns it with its raw JSON form.
func reportSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	f, err := os.Open(reportSchemaPath)
	require.NoError(t, err, "open docs/report.schema.json")
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err, "docs/report.schema.json is JSON")
	raw, ok := doc.(map[string]any)
	require.True(t, ok, "docs/report.schema.json is an object")
	require.Equal(t, "https://json-schema.org/draft/2020-12/schema", raw["$schema"], "docs/report.schema.json declares draft 2020-12")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	require.NoError(t, c.AddResource("report.schema.json", doc), "add docs/report.schema.json")
	sch, err := c.Compile("report.schema.json")
	require.NoError(t, err, "docs/report.schema.json compiles as a draft 2020-12 schema")
	return sch, raw
}

// scoredReport is one JSON report the CLI produced, named by its command.
type scoredReport struct {
	name string
	json []byte
}

// scoreReports runs score --format json over the bundled scenarios with
// and without --schema, --claimed-records, --sample and --show-values, a
// sample split across archive members, standard input and a keyed catalog,
// and returns every report.
func scoreReports(t *testing.T) []scoredReport {
	t.Helper()
	cat := filepath.Join(repo, "testdata", "catalog")
	td := func(p ...string) string { return filepath.Join(append([]string{repo, "testdata"}, p...)...) }
	scenarios := []struct{ sample, schema string }{
		{td("ua", "sample.csv"), "diia-driver-licence"},
		{td("in", "sample.tsv"), "cowin-beneficiary"},
		{td("kz", "sample.csv"), "e-astana-kindergarten"},
		{td("rp", "sample.csv"), "reserve-plus"},
		{td("leak.csv"), "diia-driver-licence"},
	}
	var runs [][]string
	for _, s := range scenarios {
		for _, extra := range [][]string{
			nil,
			{"--schema", s.schema},
			{"--schema", s.schema, "--claimed-records", "26000000"},
			{"--sample", "200", "--seed", "7"},
			{"--sample", "200", "--schema", s.schema},
			{"--sample", "10"}, // too few identified records: insufficient
			{"--show-values"},
		} {
			runs = append(runs, append(append([]string{"--catalog", cat}, extra...), s.sample))
		}
	}
	runs = append(runs,
		[]string{"--catalog", cat, "--schema", "diia-driver-licence", filepath.Join(archives, "parts.zip")},
		[]string{"--catalog", cat, filepath.Join(archives, "leak.tar.gz")},
		[]string{"--catalog", cat, td("ua", "sample.csv"), td("leak.csv")},
		[]string{"--catalog", filepath.Join(cat, "telecom-2019.lps"), "--region", "KZ", td("kz", "sample.csv")},
	)

	var out []scoredReport
	score := func(args ...string) {
		t.Helper()
		args = append([]string{"score", "--format", "json"}, args...)
		code, stdout, stderr := leakprov(t, args...)
		name := strings.Join(args, " ")
		require.Equalf(t, 0, code, "%s: %s", name, stderr)
		out = append(out, scoredReport{name, []byte(stdout)})
	}
	for _, r := range runs {
		score(r...)
	}

	data, err := os.ReadFile(td("leak.csv"))
	require.NoError(t, err, "read testdata/leak.csv")
	func() {
		defer func(r io.Reader) { stdin = r }(stdin)
		stdin = bytes.NewReader(data)
		score("--catalog", cat, "--schema", "diia-driver-licence", "-")
	}()

	// A keyed catalog: one source indexed with a secret key, describing
	// itself.
	dir := t.TempDir()
	key, keyed := filepath.Join(dir, "key"), filepath.Join(dir, "telecom-keyed.lps")
	code, _, stderr := leakprov(t, "keygen", "-o", key)
	require.Equal(t, 0, code, "keygen: %s", stderr)
	var telecom []string
	for _, s := range sources(t) {
		if s[0] == "telecom-2019" {
			telecom = s[:]
		}
	}
	require.NotNil(t, telecom, "testdata/sources.tsv lists telecom-2019")
	code, _, stderr = leakprov(t, "index", "--name", telecom[0], "--snapshot", telecom[1], "--region", telecom[2],
		"--key-file", key, "--description", "Synthetic telecom customers (fixture)", "--url", "https://example.org/notice",
		"-o", keyed, telecom[3])
	require.Equal(t, 0, code, "index --key-file: %s", stderr)
	score("--catalog", keyed, "--key-file", key, "--schema", "e-astana-kindergarten", td("kz", "sample.csv"))
	return out
}

// Every report the bundled scenarios give, whatever the flags, validates
// against docs/report.schema.json, and between them they reach every
// verdict, the claim and the sampling parts.
func TestReportsValidateAgainstSchema(t *testing.T) {
	sch, _ := reportSchema(t)
	verdicts := map[string]bool{}
	var claims, samplings, multi, described int
	for _, r := range scoreReports(t) {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.json))
		require.NoErrorf(t, err, "%s prints JSON", r.name)
		assert.NoErrorf(t, sch.Validate(inst), "report of %s against docs/report.schema.json", r.name)

		var rep struct {
			Verdict string          `json:"verdict"`
			Claim   json.RawMessage `json:"claim"`
			Sample  struct {
				Sampling json.RawMessage `json:"sampling"`
				Files    []any           `json:"files"`
			} `json:"sample"`
			Sources []map[string]any `json:"sources"`
		}
		require.NoErrorf(t, json.Unmarshal(r.json, &rep), "%s", r.name)
		verdicts[rep.Verdict] = true
		if rep.Claim != nil {
			claims++
		}
		if rep.Sample.Sampling != nil {
			samplings++
		}
		if len(rep.Sample.Files) > 1 {
			multi++
		}
		for _, src := range rep.Sources {
			if src["key_id"] != nil && src["description"] != nil {
				described++
			}
		}
	}
	for _, v := range []string{"recycled", "new", "mixed", "insufficient"} {
		assert.Truef(t, verdicts[v], "some report of the bundled scenarios has verdict %s", v)
	}
	assert.Positive(t, claims, "reports with a claim (--schema)")
	assert.Positive(t, samplings, "reports with sample.sampling (--sample)")
	assert.Positive(t, multi, "reports of a sample with several members")
	assert.Positive(t, described, "reports of a keyed source with a description")
}

// The schema documents every field the reports carry, so that a field
// added to provenance.Report without a line in docs/report.schema.json
// fails here.
func TestReportSchemaDescribesEveryField(t *testing.T) {
	_, raw := reportSchema(t)
	missing := map[string]bool{}
	for _, r := range scoreReports(t) {
		var inst any
		require.NoErrorf(t, json.Unmarshal(r.json, &inst), "%s prints JSON", r.name)
		undescribed(raw, raw, inst, "", missing)
	}
	paths := make([]string, 0, len(missing))
	for p := range missing {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	assert.Emptyf(t, paths, "report fields not described in docs/report.schema.json: add them there")

	// The walk itself finds a field the schema lacks.
	found := map[string]bool{}
	undescribed(raw, raw, map[string]any{"sample": map[string]any{"files": []any{map[string]any{"x_new": 1}}}}, "", found)
	assert.Equal(t, map[string]bool{"sample.files[].x_new": true}, found, "undescribed finds a field missing from the schema")
}

// undescribed walks inst alongside the schema node and records in missing
// the path of every object member no "properties" of the schema names.
// Maps the schema types with "additionalProperties": SCHEMA (fields,
// newest) are walked with that schema.
func undescribed(root, node map[string]any, inst any, path string, missing map[string]bool) {
	nodes := resolve(root, node)
	switch v := inst.(type) {
	case map[string]any:
		for key, val := range v {
			var subs []map[string]any
			for _, n := range nodes {
				if props, ok := n["properties"].(map[string]any); ok {
					if s, ok := props[key].(map[string]any); ok {
						subs = append(subs, s)
					}
				}
			}
			if len(subs) == 0 {
				for _, n := range nodes {
					if s, ok := n["additionalProperties"].(map[string]any); ok {
						subs = append(subs, s)
					}
				}
			}
			sub := path + "." + key
			if path == "" {
				sub = key
			}
			if len(subs) == 0 {
				missing[sub] = true
				continue
			}
			for _, s := range subs {
				undescribed(root, s, val, sub, missing)
			}
		}
	case []any:
		for _, n := range nodes {
			if s, ok := n["items"].(map[string]any); ok {
				for _, e := range v {
					undescribed(root, s, e, path+"[]", missing)
				}
			}
		}
	}
}

// resolve returns node and every schema its local "$ref"s reach.
func resolve(root, node map[string]any) []map[string]any {
	defs, _ := root["$defs"].(map[string]any)
	out := []map[string]any{node}
	seen := map[string]bool{}
	for i := 0; i < len(out); i++ {
		ref, ok := out[i]["$ref"].(string)
		name, local := strings.CutPrefix(ref, "#/$defs/")
		if !ok || !local || seen[name] {
			continue
		}
		seen[name] = true
		if d, ok := defs[name].(map[string]any); ok {
			out = append(out, d)
		}
	}
	return out
}

// The schema has teeth: a report broken in each way the contract forbids
// fails validation, and a report with a field added under report_version 1
// still validates.
func TestReportSchemaRejectsBrokenReports(t *testing.T) {
	sch, _ := reportSchema(t)
	code, out, stderr := leakprov(t, "score", "--catalog", filepath.Join(repo, "testdata", "catalog"), "--schema", "diia-driver-licence",
		"--format", "json", filepath.Join(repo, "testdata", "leak.csv"))
	require.Equal(t, 0, code, "score testdata/leak.csv: %s", stderr)

	obj := func(m any, k string) map[string]any { return m.(map[string]any)[k].(map[string]any) }
	cases := []struct {
		name  string
		edit  func(r map[string]any)
		valid bool
	}{
		{"unchanged", func(r map[string]any) {}, true},
		{"a top-level field added", func(r map[string]any) { r["x_added"] = map[string]any{"any": 1} }, true},
		{"a source field added", func(r map[string]any) { r["sources"].([]any)[0].(map[string]any)["x_added"] = "text" }, true},
		{"no claim", func(r map[string]any) { delete(r, "claim") }, true},
		{"report_version 2", func(r map[string]any) { r["report_version"] = 2 }, false},
		{"unknown verdict", func(r map[string]any) { r["verdict"] = "maybe" }, false},
		{"no sources", func(r map[string]any) { delete(r, "sources") }, false},
		{"no evidence", func(r map[string]any) { r["evidence"] = []any{} }, false},
		{"explained above 1", func(r map[string]any) { obj(r, "explained")["estimate"] = 1.5 }, false},
		{"interval without high", func(r map[string]any) { delete(obj(r, "residual"), "high") }, false},
		{"share as a string", func(r map[string]any) { obj(r, "explained")["low"] = "0.5" }, false},
		{"unknown novel kind", func(r map[string]any) { r["novel_fields"] = []any{"shoe_size"} }, false},
		{"novel name+birth_date", func(r map[string]any) { r["novel_fields"] = []any{"name+birth_date"} }, false},
		{"unknown field kind", func(r map[string]any) {
			obj(r["sources"].([]any)[0], "fields")["address"] = obj(obj(r["sources"].([]any)[0], "fields"), "phone")
		}, false},
		{"column of the pair kind", func(r map[string]any) {
			obj(r, "sample")["columns"].([]any)[0].(map[string]any)["kind"] = "name+birth_date"
		}, false},
		{"negative records", func(r map[string]any) { obj(r, "sample")["records"] = -1 }, false},
		{"fractional records", func(r map[string]any) { obj(r, "sample")["identified"] = 2.5 }, false},
		{"file without path", func(r map[string]any) {
			delete(obj(r, "sample")["files"].([]any)[0].(map[string]any), "path")
		}, false},
		{"lower-case region", func(r map[string]any) { obj(r, "sample")["region"] = "ua" }, false},
		{"significant as a string", func(r map[string]any) { r["sources"].([]any)[0].(map[string]any)["significant"] = "yes" }, false},
		{"claim without findings", func(r map[string]any) { delete(obj(r, "claim"), "findings") }, false},
		{"unknown fabrication check", func(r map[string]any) {
			obj(r, "fabrication")["checks"].([]any)[0].(map[string]any)["check"] = "vibes"
		}, false},
		{"newest a full timestamp", func(r map[string]any) { obj(obj(r, "time"), "newest")["birth_date"] = "2001-02-03T00:00:00Z" }, false},
		{"created not a time", func(r map[string]any) { r["created"] = "yesterday" }, false},
		{"no created", func(r map[string]any) { delete(r, "created") }, false},
		{"signature_sha256 not hex", func(r map[string]any) {
			r["sources"].([]any)[0].(map[string]any)["signature_sha256"] = strings.Repeat("Z", 64)
		}, false},
		{"data class of the pair kind", func(r map[string]any) {
			r["sources"].([]any)[0].(map[string]any)["data_classes"] = []any{"phone", "name+birth_date"}
		}, false},
		{"thresholds min_identified 0", func(r map[string]any) { obj(r, "thresholds")["min_identified"] = 0 }, false},
	}
	for _, c := range cases {
		var rep map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &rep), "score --format json")
		c.edit(rep)
		b, err := json.Marshal(rep)
		require.NoError(t, err, c.name)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		require.NoError(t, err, c.name)
		err = sch.Validate(inst)
		if c.valid {
			assert.NoErrorf(t, err, "report with %s", c.name)
		} else {
			assert.Errorf(t, err, "report with %s", c.name)
		}
	}
}
