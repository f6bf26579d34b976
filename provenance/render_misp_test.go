package provenance

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mispCategoryTypes holds, for the categories leakprov uses, the attribute
// types the MISP core format allows in them (draft-dulaunoy-misp-core-
// format, "type": the valid category-type combinations), those leakprov
// writes among them.
var mispCategoryTypes = map[string][]string{
	"Other":              {"comment", "text", "other", "counter", "integer", "datetime", "float", "boolean"},
	"External analysis":  {"sha256", "link", "comment", "text", "other"},
	"Internal reference": {"text", "link", "comment", "other"},
}

var (
	uuidRE      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	unixTimeRE  = regexp.MustCompile(`^[0-9]+$`)
	mispDateRE  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	mispDistRE  = regexp.MustCompile(`^[0-5]$`)
	mispLevelRE = regexp.MustCompile(`^[1-4]$`)
)

// requireFields asserts that m has each field with a JSON value of the
// kind given: "string", "bool", "array" or "object".
func requireFields(t *testing.T, what string, m map[string]any, fields map[string]string) {
	t.Helper()
	for f, kind := range fields {
		v, ok := m[f]
		if !assert.True(t, ok, "%s: %s must be present", what, f) {
			continue
		}
		switch kind {
		case "string":
			_, ok = v.(string)
		case "bool":
			_, ok = v.(bool)
		case "array":
			_, ok = v.([]any)
		case "object":
			_, ok = v.(map[string]any)
		}
		assert.True(t, ok, "%s: %s is a JSON %s, not %T", what, f, kind, v)
	}
}

// checkMISPAttribute asserts the attribute fields the MISP core format
// requires (MUST) and a valid category-type combination.
func checkMISPAttribute(t *testing.T, what string, a map[string]any, seen map[string]bool) {
	t.Helper()
	requireFields(t, what, a, map[string]string{"uuid": "string", "type": "string", "category": "string", "value": "string",
		"to_ids": "bool", "distribution": "string", "timestamp": "string", "deleted": "bool"})
	uuid, _ := a["uuid"].(string)
	assert.Regexp(t, uuidRE, uuid, "%s: uuid", what)
	assert.False(t, seen[uuid], "%s: uuid %s is unique", what, uuid)
	seen[uuid] = true
	typ, _ := a["type"].(string)
	cat, _ := a["category"].(string)
	assert.Contains(t, mispCategoryTypes[cat], typ, "%s: type %s is valid in category %q", what, typ, cat)
	assert.Equal(t, false, a["to_ids"], "%s: to_ids false, nothing here is an indicator", what)
	assert.Regexp(t, mispDistRE, a["distribution"], "%s: distribution", what)
	assert.Regexp(t, unixTimeRE, a["timestamp"], "%s: timestamp in seconds", what)
	assert.NotEmpty(t, a["value"], "%s: value", what)
	if sg, ok := a["sharing_group_id"]; ok && a["distribution"] != "4" {
		assert.Equal(t, "0", sg, "%s: sharing_group_id 0 without a sharing group", what)
	}
	if typ == "float" {
		_, err := strconv.ParseFloat(a["value"].(string), 64)
		assert.NoError(t, err, "%s: a float value", what)
	}
	if typ == "sha256" {
		assert.Regexp(t, `^[0-9a-f]{64}$`, a["value"], "%s: a SHA-256", what)
	}
}

// The MISP event carries the MISP core format's required event, object,
// attribute, tag and event report fields, a verdict tag, the sample's
// SHA-256 and one object per source.
func TestMISPCoreFormat(t *testing.T) {
	for what, rep := range map[string]*Report{
		"bundled leak":             bundledReport(t, ""),
		"bundled leak, diia claim": bundledReport(t, "diia-driver-licence"),
		"hostile source":           strangerReport(t),
	} {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(renderOut(t, rep, "misp"), &doc), "%s: MISP JSON", what)
		require.Len(t, doc, 1, "%s: one key, Event", what)
		ev, ok := doc["Event"].(map[string]any)
		require.True(t, ok, "%s: {\"Event\": {...}}", what)
		requireFields(t, what+": event", ev, map[string]string{"uuid": "string", "published": "bool", "info": "string",
			"date": "string", "timestamp": "string", "publish_timestamp": "string", "distribution": "string",
			"threat_level_id": "string", "analysis": "string", "attribute_count": "string", "first_publication": "string",
			"Tag": "array", "Attribute": "array", "Object": "array"})
		assert.Regexp(t, uuidRE, ev["uuid"], "%s: event uuid", what)
		assert.Equal(t, false, ev["published"], "%s: not published", what)
		info, _ := ev["info"].(string)
		assert.LessOrEqual(t, utf8.RuneCountInString(info), 256, "%s: info at most 256 characters", what)
		assert.NotContains(t, info, "\n", "%s: info holds no new line", what)
		assert.Regexp(t, mispDateRE, ev["date"], "%s: date YYYY-MM-DD", what)
		assert.Equal(t, rep.Created.Format(time.DateOnly), ev["date"], "%s: date is the report's", what)
		assert.Equal(t, strconv.FormatInt(rep.Created.Unix(), 10), ev["timestamp"], "%s: timestamp is the report's", what)
		assert.Equal(t, "0", ev["publish_timestamp"], "%s: never published", what)
		assert.Regexp(t, mispDistRE, ev["distribution"], "%s: distribution", what)
		assert.Regexp(t, mispLevelRE, ev["threat_level_id"], "%s: threat_level_id", what)
		assert.Contains(t, []any{"0", "1", "2"}, ev["analysis"], "%s: analysis", what)

		tags := ev["Tag"].([]any)
		var tagNames []string
		for i, tg := range tags {
			tag := tg.(map[string]any)
			requireFields(t, what+": tag "+strconv.Itoa(i), tag, map[string]string{"name": "string", "colour": "string", "exportable": "bool"})
			assert.Regexp(t, `^#[0-9a-f]{6}$`, tag["colour"], "%s: tag colour", what)
			tagNames = append(tagNames, tag["name"].(string))
		}
		assert.Contains(t, tagNames, `leakprov:verdict="`+string(rep.Verdict)+`"`, "%s: the verdict tag", what)

		seen := map[string]bool{}
		n := 0
		var values []string
		for i, at := range ev["Attribute"].([]any) {
			a := at.(map[string]any)
			checkMISPAttribute(t, what+": event attribute "+strconv.Itoa(i), a, seen)
			values = append(values, a["value"].(string))
			n++
		}
		for _, f := range rep.Sample.Files {
			if f.SHA256 != "" {
				assert.Contains(t, values, f.SHA256, "%s: the sample's SHA-256 is an attribute", what)
			}
		}
		objs := ev["Object"].([]any)
		assert.Len(t, objs, len(rep.Sources), "%s: one object per source", what)
		for i, ob := range objs {
			o := ob.(map[string]any)
			ow := what + ": object " + strconv.Itoa(i)
			requireFields(t, ow, o, map[string]string{"uuid": "string", "name": "string", "meta-category": "string",
				"description": "string", "template_uuid": "string", "template_version": "string", "timestamp": "string",
				"distribution": "string", "deleted": "bool", "Attribute": "array"})
			assert.Regexp(t, uuidRE, o["uuid"], "%s: uuid", ow)
			assert.Regexp(t, uuidRE, o["template_uuid"], "%s: template_uuid", ow)
			assert.Regexp(t, `^[0-9]+$`, o["template_version"], "%s: template_version", ow)
			assert.False(t, seen[o["uuid"].(string)], "%s: uuid unique", ow)
			seen[o["uuid"].(string)] = true
			byRelation := map[string]string{}
			for j, at := range o["Attribute"].([]any) {
				a := at.(map[string]any)
				checkMISPAttribute(t, ow+" attribute "+strconv.Itoa(j), a, seen)
				rel, _ := a["object_relation"].(string)
				assert.NotEmpty(t, rel, "%s attribute %d: object_relation", ow, j)
				byRelation[rel] = a["value"].(string)
				n++
			}
			s := rep.Sources[i]
			assert.Contains(t, byRelation, "name", "%s: the source's name", ow)
			assert.Equal(t, strconv.FormatFloat(s.Records.Estimate, 'f', -1, 64), byRelation["records"], "%s: records share", ow)
			assert.Equal(t, strconv.FormatFloat(s.Records.Low, 'f', -1, 64), byRelation["records-low"], "%s: records low", ow)
			assert.Equal(t, strconv.FormatFloat(s.Exclusive.High, 'f', -1, 64), byRelation["exclusive-high"], "%s: exclusive high", ow)
			if s.SignatureSHA256 != "" {
				assert.Equal(t, s.SignatureSHA256, byRelation["signature-sha256"], "%s: the signature's SHA-256", ow)
			}
		}
		assert.Equal(t, strconv.Itoa(n), ev["attribute_count"], "%s: attribute_count counts every attribute", what)

		reports, _ := ev["EventReport"].([]any)
		require.Len(t, reports, 1, "%s: one event report", what)
		er := reports[0].(map[string]any)
		requireFields(t, what+": event report", er, map[string]string{"uuid": "string", "name": "string", "content": "string",
			"distribution": "string", "sharing_group_id": "string", "timestamp": "string", "deleted": "bool"})
		assert.Contains(t, er["content"], "### Evidence", "%s: the event report holds the evidence", what)
	}
}

// The same report renders the same event; the threat level follows the
// verdict; a hostile URL is no link.
func TestMISPDeterministicAndMapped(t *testing.T) {
	a, b := bundledReport(t, ""), bundledReport(t, "")
	assert.Equal(t, string(renderOut(t, a, "misp")), string(renderOut(t, b, "misp")), "the same report, the same event")
	for v, want := range map[Verdict]string{New: "2", Mixed: "2", Recycled: "3", Insufficient: "4"} {
		assert.Equal(t, want, mispThreatLevel(v), "threat level of %s", v)
	}
	var doc struct {
		Event struct {
			Object []struct {
				Attribute []struct {
					Type           string `json:"type"`
					Value          string `json:"value"`
					ObjectRelation string `json:"object_relation"`
				} `json:"Attribute"`
			}
		}
	}
	require.NoError(t, json.Unmarshal(renderOut(t, strangerReport(t), "misp"), &doc))
	urls := 0
	for _, o := range doc.Event.Object {
		for _, a := range o.Attribute {
			if a.ObjectRelation == "url" {
				urls++
				assert.Equal(t, "text", a.Type, "a URL that is not http(s) is text, not a link: %q", a.Value)
			}
		}
	}
	assert.Equal(t, 1, urls, "the hostile source's URL is shown")
	long := mispInfo(string(make([]rune, 300)) + "x\ny")
	assert.LessOrEqual(t, utf8.RuneCountInString(long), 256, "info is cut to 256 characters")
}
