package provenance

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stixSchemaBase is the $id prefix of the official STIX 2.1 schemas, which
// provenance/testdata/stix-schemas holds (see its SOURCE.md).
const stixSchemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// offline refuses every URL the compiler did not get as a resource: the
// test never reaches the network.
type offline struct{}

func (offline) Load(url string) (any, error) {
	return nil, fs.ErrNotExist
}

// stixSchemas compiles the bundle schema and the schema of each object
// type leakprov writes, from the committed files.
func stixSchemas(t *testing.T) (bundle *jsonschema.Schema, byType map[string]*jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseLoader(offline{})
	c.AssertFormat()
	root := filepath.Join("testdata", "stix-schemas", "schemas")
	n := 0
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		n++
		return c.AddResource(stixSchemaBase+filepath.ToSlash(rel), doc)
	}), "loading the STIX schemas")
	require.Greater(t, n, 50, "the STIX schemas are committed")
	var err error
	bundle, err = c.Compile(stixSchemaBase + "common/bundle.json")
	require.NoError(t, err, "compiling bundle.json")
	byType = map[string]*jsonschema.Schema{}
	for typ, file := range map[string]string{"identity": "sdos/identity.json", "incident": "sdos/incident.json",
		"report": "sdos/report.json", "relationship": "sros/relationship.json", "note": "sdos/note.json",
		"extension-definition": "common/extension-definition.json"} {
		byType[typ], err = c.Compile(stixSchemaBase + file)
		require.NoError(t, err, "compiling %s", file)
	}
	return bundle, byType
}

// bundleListed are the types leakprov writes that bundle.json's list of
// object schemas names. The others (incident, extension-definition) it can
// only take as custom objects, through a oneOf of core.json and
// cyber-observable-core.json that every STIX 2.1 domain object matches
// twice, so that bundle.json refuses every incident, note, grouping,
// location, opinion and extension-definition (see
// TestSTIXBundleSchemaRefusesNewTypes). Objects of those types are checked
// against their own schemas, as the TC's stix2-validator does.
var bundleListed = map[string]bool{"identity": true, "relationship": true, "report": true}

// stixValidate checks a rendered bundle against bundle.json (with the
// objects of the types it lists) and every object against the schema of
// its type, and returns it decoded.
func stixValidate(t *testing.T, what string, out []byte, bundle *jsonschema.Schema, byType map[string]*jsonschema.Schema) map[string]any {
	t.Helper()
	var b map[string]any
	require.NoError(t, json.Unmarshal(out, &b), "%s: the bundle is JSON", what)
	objs, _ := b["objects"].([]any)
	require.NotEmpty(t, objs, "%s: objects", what)
	envelope := map[string]any{}
	for k, v := range b {
		envelope[k] = v
	}
	var listed []any
	for _, o := range objs {
		if bundleListed[o.(map[string]any)["type"].(string)] {
			listed = append(listed, o)
		}
	}
	envelope["objects"] = listed
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, envelope)))
	require.NoError(t, err, what)
	assert.NoError(t, bundle.Validate(doc), "%s: the bundle validates against bundle.json", what)
	for i, o := range objs {
		obj := o.(map[string]any)
		typ, _ := obj["type"].(string)
		sch := byType[typ]
		if !assert.NotNil(t, sch, "%s: object %d has a type leakprov means to write: %q", what, i, typ) {
			continue
		}
		odoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, obj)))
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(odoc), "%s: object %d (%s %v) validates against its schema", what, i, typ, obj["id"])
	}
	return b
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func renderOut(t *testing.T, rep *Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, rep.Render(&b, format), format)
	return b.Bytes()
}

// The STIX bundles of the bundled scenario, with and without a claim,
// and of a hostile source validate against the official STIX 2.1 schemas;
// objects, relationships and custom properties are as documented.
func TestSTIXValidates(t *testing.T) {
	bundle, byType := stixSchemas(t)
	cases := map[string]*Report{
		"bundled leak":              bundledReport(t, ""),
		"bundled leak, diia claim":  bundledReport(t, "diia-driver-licence"),
		"hostile source":            strangerReport(t),
		"insufficient, no evidence": insufficientReport(t),
	}
	for what, rep := range cases {
		b := stixValidate(t, what, renderOut(t, rep, "stix"), bundle, byType)
		byID := map[string]map[string]any{}
		var leak, report map[string]any
		var rels []map[string]any
		ext := ""
		for _, o := range b["objects"].([]any) {
			obj := o.(map[string]any)
			byID[obj["id"].(string)] = obj
			switch obj["type"] {
			case "incident":
				if _, ok := obj["x_leakprov_verdict"]; ok {
					leak = obj
				}
			case "report":
				report = obj
			case "relationship":
				rels = append(rels, obj)
			case "extension-definition":
				ext = obj["id"].(string)
			}
		}
		require.NotNil(t, leak, "%s: the leak's incident", what)
		require.NotNil(t, report, "%s: the report", what)
		assert.Equal(t, string(rep.Verdict), leak["x_leakprov_verdict"], "%s: the incident states the verdict", what)
		assert.Equal(t, "2025-03-01T12:30:00.000Z", leak["created"], "%s: created is the report's time, to the millisecond", what)
		assert.Equal(t, leak["created"], report["published"], "%s: the report is published when made", what)

		// One relationship per significant source, from the leak to the
		// source's incident.
		var significant int
		for _, s := range rep.Sources {
			if s.Significant {
				significant++
			}
		}
		assert.Len(t, rels, significant, "%s: one relationship per significant source", what)
		refs := report["object_refs"].([]any)
		for _, rel := range rels {
			assert.Contains(t, []string{"duplicate-of", "derived-from"}, rel["relationship_type"], "%s: relationship type", what)
			assert.Equal(t, leak["id"], rel["source_ref"], "%s: from the leak", what)
			target := byID[rel["target_ref"].(string)]
			require.NotNil(t, target, "%s: the relationship's target is in the bundle", what)
			assert.Equal(t, "incident", target["type"], "%s: duplicate-of and derived-from join objects of one type", what)
			src := findSource(t, rep, sourceNameOf(t, rep, target["name"].(string)))
			records := rel["x_leakprov_records"].(map[string]any)
			assert.Equal(t, src.Records.Estimate, records["estimate"], "%s: %s records share", what, src.Name)
			assert.Equal(t, src.Records.Low, records["low"], "%s: %s records low", what, src.Name)
			assert.Equal(t, src.Records.High, records["high"], "%s: %s records high", what, src.Name)
			assert.Contains(t, rel, "x_leakprov_exclusive", "%s: exclusive share", what)
			assert.Contains(t, refs, rel["id"], "%s: the report refers to the relationship", what)
			assert.Contains(t, refs, target["id"], "%s: the report refers to the source", what)
			wantType := "derived-from"
			if src.Records.Estimate >= rep.Thresholds.RecycledAt {
				wantType = "duplicate-of"
			}
			assert.Equal(t, wantType, rel["relationship_type"], "%s: %s", what, src.Name)
		}

		// Links are http(s) only: a hostile URL stays a custom string.
		for id, obj := range byID {
			refs, _ := obj["external_references"].([]any)
			for _, er := range refs {
				if u, ok := er.(map[string]any)["url"].(string); ok {
					assert.Regexp(t, `^https?://`, u, "%s: %s: external reference url", what, id)
				}
			}
		}

		// Custom properties: x_leakprov_ names, declared by the extension
		// definition the objects name.
		require.NotEmpty(t, ext, "%s: an extension-definition", what)
		custom := regexp.MustCompile(`^x_leakprov_[a-z0-9_]+$`)
		for id, obj := range byID {
			uses := false
			for k := range obj {
				if strings.HasPrefix(k, "x_") {
					assert.Regexp(t, custom, k, "%s: %s: custom property name", what, id)
					assert.Contains(t, stixProperties, k, "%s: %s: %s is declared by the extension definition", what, id, k)
					uses = true
				}
			}
			if uses {
				exts, _ := obj["extensions"].(map[string]any)
				assert.Contains(t, exts, ext, "%s: %s names the extension definition", what, id)
			}
		}
	}
}

// bundle.json refuses a minimal incident and a minimal note of the STIX
// 2.1 specification while their own schemas accept them: the reason
// stixValidate checks those types apart. Should a later bundle.json accept
// them, this test fails and stixValidate can check whole bundles.
func TestSTIXBundleSchemaRefusesNewTypes(t *testing.T) {
	bundle, byType := stixSchemas(t)
	for _, obj := range []map[string]any{
		{"type": "incident", "spec_version": "2.1", "id": "incident--0b2e7b1c-4b4e-4e9c-9d0a-5f1c2f6c1a11",
			"created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "name": "an incident"},
		{"type": "note", "spec_version": "2.1", "id": "note--0b2e7b1c-4b4e-4e9c-9d0a-5f1c2f6c1a12",
			"created": "2025-01-01T00:00:00.000Z", "modified": "2025-01-01T00:00:00.000Z", "content": "a note",
			"object_refs": []any{"incident--0b2e7b1c-4b4e-4e9c-9d0a-5f1c2f6c1a11"}},
	} {
		typ := obj["type"].(string)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, obj)))
		require.NoError(t, err)
		assert.NoError(t, byType[typ].Validate(doc), "%s.json accepts a minimal %s", typ, typ)
		b := map[string]any{"type": "bundle", "id": "bundle--0b2e7b1c-4b4e-4e9c-9d0a-5f1c2f6c1a13", "objects": []any{obj}}
		doc, err = jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, b)))
		require.NoError(t, err)
		assert.Error(t, bundle.Validate(doc), "bundle.json refuses a bundle of a minimal %s", typ)
	}
}

// sourceNameOf maps a source incident's name (untrusted.Text of the
// source's) back to the source.
func sourceNameOf(t *testing.T, rep *Report, shown string) string {
	t.Helper()
	for _, s := range rep.Sources {
		if strings.Contains(shown, strings.SplitN(s.Name, "\n", 2)[0]) {
			return s.Name
		}
	}
	require.Failf(t, "no source", "no source shown as %q", shown)
	return ""
}

// The same report renders the same bundle; another time, another bundle,
// but the same incident for a source read from the same signature file.
func TestSTIXDeterministic(t *testing.T) {
	a, b := bundledReport(t, ""), bundledReport(t, "")
	assert.Equal(t, string(renderOut(t, a, "stix")), string(renderOut(t, b, "stix")), "the same report, the same bundle")
	later := bundledReport(t, "")
	later.Created = later.Created.Add(3600e9)
	ids := func(rep *Report) map[string]string {
		var bundle map[string]any
		require.NoError(t, json.Unmarshal(renderOut(t, rep, "stix"), &bundle))
		out := map[string]string{"bundle": bundle["id"].(string)}
		for _, o := range bundle["objects"].([]any) {
			obj := o.(map[string]any)
			name, _ := obj["name"].(string)
			out[obj["type"].(string)+":"+name] = obj["id"].(string)
		}
		return out
	}
	x, y := ids(a), ids(later)
	assert.NotEqual(t, x["bundle"], y["bundle"], "a report made later is another bundle")
	assert.NotEqual(t, x["incident:Leak provenance: leak.csv"], y["incident:Leak provenance: leak.csv"], "and another incident")
	assert.Equal(t, x["incident:bank-2016"], y["incident:bank-2016"], "the same signature file, the same source incident")
	assert.Equal(t, x["identity:leakprov"], y["identity:leakprov"], "leakprov's identity is fixed")
	for k, id := range x {
		assert.Regexp(t, `--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id, "%s: a UUIDv5", k)
	}
}

// UUIDv5 follows RFC 4122 (its DNS name space example, from the Python
// and Go uuid packages: uuid5(NAMESPACE_DNS, "python.org")), and leakprov's
// name space is not the one STIX reserves for observables.
func TestUUIDv5(t *testing.T) {
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	assert.Equal(t, "886313e1-3b8a-5372-9b90-0c9aee199e5d", formatUUID(uuidV5(dns, "python.org")), "uuid5(DNS, python.org)")
	assert.NotEqual(t, "00abedb4-aa42-466c-9c01-fed23315a9b7", formatUUID(stixNamespace), "not STIX's observable name space")
	assert.NotEqual(t, stableUUID("a", "b"), stableUUID("b", "a"), "parts in order")
	assert.True(t, slices.IsSorted(stixProperties), "the declared properties are sorted")
}

// insufficientReport scores a sample too small for a verdict: no source is
// significant, so the bundle has no relationship.
func insufficientReport(t *testing.T) *Report {
	rep := bundledReport(t, "")
	rep.Verdict = Insufficient
	for i := range rep.Sources {
		rep.Sources[i].Significant = false
	}
	rep.Evidence = nil
	rep.Sample.Files[0].SHA256 = ""
	return rep
}

// The schemas catch the mistakes a STIX writer makes: the check is not
// vacuous.
func TestSTIXSchemaCatchesMistakes(t *testing.T) {
	bundle, byType := stixSchemas(t)
	var b map[string]any
	require.NoError(t, json.Unmarshal(renderOut(t, bundledReport(t, ""), "stix"), &b))
	find := func(typ string) map[string]any {
		for _, o := range b["objects"].([]any) {
			if obj := o.(map[string]any); obj["type"] == typ {
				return obj
			}
		}
		require.Failf(t, "missing", "no %s", typ)
		return nil
	}
	for _, m := range []struct {
		what, typ string
		mutate    func(map[string]any)
	}{
		{"timestamp without milliseconds", "incident", func(o map[string]any) { o["created"] = "2025-03-01T12:30:00Z" }},
		{"custom property with capitals", "incident", func(o map[string]any) { o["X_Leakprov"] = "x" }},
		{"custom property of an empty list", "incident", func(o map[string]any) { o["x_leakprov_novel_fields"] = []any{} }},
		{"custom property of null", "incident", func(o map[string]any) { o["x_leakprov_verdict"] = nil }},
		{"identifier not a UUID", "relationship", func(o map[string]any) { o["id"] = "relationship--1" }},
		{"report without published", "report", func(o map[string]any) { delete(o, "published") }},
		{"extension without its type", "incident", func(o map[string]any) {
			for k := range o["extensions"].(map[string]any) {
				o["extensions"] = map[string]any{k: map[string]any{}}
			}
		}},
	} {
		obj := map[string]any{}
		for k, v := range find(m.typ) {
			obj[k] = v
		}
		m.mutate(obj)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, obj)))
		require.NoError(t, err)
		assert.Error(t, byType[m.typ].Validate(doc), "%s is refused", m.what)
	}
	bad := map[string]any{"type": "bundle", "id": "bundle--not-a-uuid", "objects": []any{find("identity")}}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSON(t, bad)))
	require.NoError(t, err)
	assert.Error(t, bundle.Validate(doc), "a bundle id that is no UUID is refused")
}
