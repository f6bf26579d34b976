package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bundled bank dump indexed again under another name ties with
// itself: both names carry the tie group and the group's exclusive share,
// in every format, and the report (with ties, tie_group and nested_in)
// validates against docs/report.schema.json, which describes each field.
func TestSameDumpUnderTwoNamesIsATie(t *testing.T) {
	var bank [4]string
	for _, s := range sources(t) {
		if s[0] == "bank-2016" {
			bank = s
		}
	}
	require.NotEmpty(t, bank[0], "testdata/sources.tsv lists bank-2016")
	again := filepath.Join(t.TempDir(), "bank-again.lps")
	code, _, stderr := leakprov(t, "index", "-q", "--name", "bank-2016-resold", "--snapshot", "2019-01-01", "--region", bank[2], "-o", again, bank[3])
	require.Equal(t, 0, code, "index the bank dump again: %s", stderr)
	cat := filepath.Join(repo, "testdata", "catalog")
	leak := filepath.Join(repo, "testdata", "ua", "sample.csv")
	code, out, stderr := leakprov(t, "score", "--catalog", cat, "--catalog", again, "--schema", "diia-driver-licence", "--format", "json", leak)
	require.Equal(t, 0, code, "score: %s", stderr)

	var rep struct {
		Ties    [][]string `json:"ties"`
		Sources []struct {
			Name      string          `json:"name"`
			TieGroup  int             `json:"tie_group"`
			NestedIn  []string        `json:"nested_in"`
			Exclusive json.RawMessage `json:"exclusive"`
		} `json:"sources"`
		Evidence []string `json:"evidence"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), "the report")
	require.Len(t, rep.Ties, 1, "one tie group: %v", rep.Ties)
	assert.ElementsMatch(t, []string{"bank-2016", "bank-2016-resold"}, rep.Ties[0], "the tie group")
	excl := map[string]string{}
	for _, s := range rep.Sources {
		if s.Name == "bank-2016" || s.Name == "bank-2016-resold" {
			assert.Equal(t, 1, s.TieGroup, "%s: tie_group", s.Name)
			excl[s.Name] = string(s.Exclusive)
		}
		if s.Name == "combo-2017" {
			assert.Equal(t, []string{"social-2013"}, s.NestedIn, "combo-2017 (half of social-2013's e-mails) is nested in it")
		}
	}
	assert.Equal(t, excl["bank-2016"], excl["bank-2016-resold"], "both show the group's exclusive share")

	sch, raw := reportSchema(t)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
	require.NoError(t, err, "report JSON")
	assert.NoError(t, sch.Validate(inst), "the report with a tie validates")
	var doc any
	require.NoError(t, json.Unmarshal([]byte(out), &doc), "report JSON")
	missing := map[string]bool{}
	undescribed(raw, raw, doc, "", missing)
	assert.Empty(t, missing, "every field of the report with a tie is described")

	for _, format := range []string{"text", "markdown", "html", "csv", "stix", "misp"} {
		code, out, stderr := leakprov(t, "score", "--catalog", cat, "--catalog", again, "--format", format, leak)
		require.Equal(t, 0, code, "score --format %s: %s", format, stderr)
		assert.Contains(t, out, "bank-2016-resold", "--format %s names the tied source", format)
		switch format {
		case "text", "markdown":
			assert.Contains(t, out, "[tie 1]", "--format %s marks the tie", format)
		case "html":
			assert.Contains(t, out, "bank-2016 = bank-2016-resold", "the chart has one segment for the tie group")
		case "csv":
			assert.Contains(t, out, ",tie_group,tied_with,nested_in", "the CSV's tie columns")
		case "stix":
			assert.Contains(t, out, `"x_leakprov_tied_with"`, "STIX: the relationship names the other member")
		case "misp":
			assert.Contains(t, out, `"object_relation": "tied-with"`, "MISP: the source object names the other member")
		}
	}
}
