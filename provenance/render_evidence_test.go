package provenance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportTime is the time the test reports say they were made.
var reportTime = time.Date(2025, 3, 1, 12, 30, 0, 0, time.UTC)

// bundledReport scores the bundled leak against the bundled catalog, as
// `leakprov score --catalog testdata/catalog testdata/leak.csv` does, with
// the schema named (none for ""), and records the sample's SHA-256 as the
// CLI does.
func bundledReport(t testing.TB, schema string) *Report {
	t.Helper()
	cat, err := LoadCatalog(filepath.Join("..", "testdata", "catalog"))
	require.NoError(t, err, "the bundled catalog")
	path := filepath.Join("..", "testdata", "leak.csv")
	data, err := os.ReadFile(path)
	require.NoError(t, err, "the bundled leak")
	o := Options{SamplePath: "leak.csv", Created: reportTime}
	if schema != "" {
		o.Schema, err = LoadSchema(schema)
		require.NoError(t, err, "schema %s", schema)
	}
	r := sampleset.NewReader(bytes.NewReader(data))
	r.Name = "leak.csv"
	rep, err := Score(context.Background(), cat, r, o)
	require.NoError(t, err, "scoring the bundled leak")
	require.Len(t, rep.Sample.Files, 1, "the bundled leak is one file")
	sum := sha256.Sum256(data)
	rep.Sample.Files[0].SHA256 = hex.EncodeToString(sum[:])
	return rep
}

// hostile is a source name, description and URL meant to break out of
// every format: a spreadsheet formula, a forged line, a terminal escape,
// a bidirectional override, HTML and Markdown.
const (
	hostileName        = "=HYPERLINK(\"http://evil\")\n\x1b[31mforged\u202e|*x*"
	hostileDescription = "@SUM(1)<script>alert(1)</script>\r\n- [click](http://evil)"
	hostileURL         = "javascript:alert(1)//\u202e"
)

// strangerReport scores a sample of which three quarters come from one
// source whose signature carries a hostile name, description and URL (as a
// signature from a stranger may), and a quarter is new.
func strangerReport(t testing.TB) *Report {
	t.Helper()
	h := unkeyed(t)
	world := synth.People(canon.UA, 7, 400)
	src := index(t, h, "evil", "2019-01-01", canon.UA, table(t, world[:300], bankCols))
	src.Meta.Name, src.Meta.Description, src.Meta.URL = hostileName, hostileDescription, hostileURL
	cat := &Catalog{}
	require.NoError(t, cat.Add(src, "evil.lps"))
	sample := append(append([]synth.Person{}, world[:150]...), world[300:350]...)
	rep := score(t, cat, table(t, sample, bankCols), Options{Hasher: h, Created: reportTime, SamplePath: "=leak\x07.csv"})
	require.Len(t, rep.Sources, 1, "one source")
	require.True(t, rep.Sources[0].Significant, "the hostile source explains the sample")
	return rep
}

// Every report states when it was made and by what; each source its
// signature file's SHA-256, hashing and key, what it says of itself and
// the kinds it holds.
func TestReportEvidenceFields(t *testing.T) {
	rep := bundledReport(t, "")
	assert.Equal(t, reportTime, rep.Created, "created is Options.Created")
	assert.Equal(t, fingerprint.Tool, rep.Tool, "tool")
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == modulePath {
		assert.Equal(t, bi.Main.Version, rep.ToolVersion, "tool_version is the module version of the build")
	}
	for _, s := range rep.Sources {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "catalog", s.Name+".lps"))
		require.NoError(t, err, "signature of %s", s.Name)
		sum := sha256.Sum256(b)
		assert.Equal(t, hex.EncodeToString(sum[:]), s.SignatureSHA256, "%s: signature_sha256 is sha256sum of the file", s.Name)
		assert.Equal(t, "xxhash64-unkeyed", s.HashMode, "%s: hash_mode", s.Name)
		assert.Empty(t, s.KeyID, "%s: unkeyed, no key_id", s.Name)
		assert.False(t, s.SignatureCreated.IsZero(), "%s: signature_created", s.Name)
		assert.NotEmpty(t, s.DataClasses, "%s: data_classes", s.Name)
	}
	bank := findSource(t, rep, "bank-2016")
	assert.Equal(t, []canon.Kind{canon.Name, canon.Phone, canon.BirthDate, canon.NationalID}, bank.DataClasses, "bank-2016 holds what it was indexed from")

	// Zero Options.Created means now.
	before := time.Now().UTC().Truncate(time.Second)
	cat := &Catalog{}
	require.NoError(t, cat.Add(index(t, unkeyed(t), "s", "", canon.UA, table(t, synth.People(canon.UA, 1, 40), bankCols)), ""))
	now := score(t, cat, table(t, synth.People(canon.UA, 1, 40), bankCols), Options{})
	assert.False(t, now.Created.Before(before), "zero Options.Created: the report is made now")
	assert.Empty(t, now.Sources[0].SignatureSHA256, "a signature added in memory has no file SHA-256")

	// Keyed signatures name their key.
	key := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 2)
	kh, err := fingerprint.NewHasher(key)
	require.NoError(t, err)
	kcat := &Catalog{}
	require.NoError(t, kcat.Add(index(t, kh, "k", "", canon.UA, table(t, synth.People(canon.UA, 1, 40), bankCols)), ""))
	keyed := score(t, kcat, table(t, synth.People(canon.UA, 1, 40), bankCols), Options{Hasher: kh})
	assert.Equal(t, kh.KeyID(), keyed.Sources[0].KeyID, "a keyed source names its key ID")
	assert.Equal(t, "siphash24-keyed", keyed.Sources[0].HashMode, "a keyed source's hash mode")

	// The JSON contract only gains fields.
	var j bytes.Buffer
	require.NoError(t, rep.Render(&j, "json"))
	var m map[string]any
	require.NoError(t, json.Unmarshal(j.Bytes(), &m))
	assert.EqualValues(t, 1, m["report_version"], "report_version stays 1")
	assert.Equal(t, "2025-03-01T12:30:00Z", m["created"], "created in the JSON")
	src := m["sources"].([]any)[0].(map[string]any)
	for _, k := range []string{"signature_sha256", "signature_created", "hash_mode", "data_classes"} {
		assert.Contains(t, src, k, "sources[0] has %s", k)
	}
	file := m["sample"].(map[string]any)["files"].([]any)[0].(map[string]any)
	assert.Len(t, file["sha256"], 64, "sample.files[0].sha256")
}

func findSource(t testing.TB, rep *Report, name string) SourceResult {
	t.Helper()
	for _, s := range rep.Sources {
		if s.Name == name {
			return s
		}
	}
	require.Failf(t, "no source", "%s is not in the report", name)
	return SourceResult{}
}

// Sources describe themselves: a signature's description and URL reach
// the report's source, and every human format shows them.
func TestReportSourcesDescribeThemselves(t *testing.T) {
	h := unkeyed(t)
	world := synth.People(canon.UA, 5, 300)
	src := index(t, h, "shop-2020", "2020-05-01", canon.UA, table(t, world[:200], bankCols))
	src.Meta.Description = "Customers of a web shop, posted on a forum in 2020"
	src.Meta.URL = "https://example.org/notices/shop-2020"
	cat := &Catalog{}
	require.NoError(t, cat.Add(src, ""))
	rep := score(t, cat, table(t, world[:100], bankCols), Options{Hasher: h, Created: reportTime})
	s := rep.Sources[0]
	assert.Equal(t, src.Meta.Description, s.Description, "description from the signature")
	assert.Equal(t, src.Meta.URL, s.URL, "url from the signature")
	// (The HTML report renders them once its template does: its own test.)
	for _, format := range []string{"text", "markdown", "csv", "stix", "misp"} {
		var b bytes.Buffer
		require.NoError(t, rep.Render(&b, format), format)
		out := b.String()
		assert.Contains(t, out, "web shop, posted on a forum", "%s shows the description", format)
		assert.Contains(t, out, "example.org/notices/shop", "%s shows the url", format)
	}
	for _, format := range []string{"text", "markdown", "csv"} {
		var b bytes.Buffer
		require.NoError(t, rep.Render(&b, format), format)
		assert.Regexp(t, `name.{1,3}phone.{1,3}birth.{1,2}date.{1,3}national.{1,2}id`, b.String(), "%s lists the data classes", format)
	}
}

// Text and Markdown give the interval beside every share, a fabrication
// section and the evidence of the report's making.
func TestReportTextAndMarkdownEvidence(t *testing.T) {
	rep := bundledReport(t, "diia-driver-licence")
	bank := findSource(t, rep, "bank-2016")
	for _, format := range []string{"text", "markdown"} {
		var b bytes.Buffer
		require.NoError(t, rep.Render(&b, format), format)
		out := b.String()
		for what, iv := range map[string]Interval{"explained": rep.Explained, "residual": rep.Residual,
			"bank records": bank.Records, "bank joint": bank.Joint, "bank exclusive": bank.Exclusive,
			"bank phone": bank.Fields[canon.Phone].Interval} {
			assert.Contains(t, out, withCI(iv), "%s: %s with its interval", format, what)
		}
		assert.Contains(t, out, "2025-03-01T12:30:00Z", "%s: the time the report was made", format)
		assert.Contains(t, out, rep.Tool, "%s: the tool", format)
		assert.Contains(t, out, rep.Sample.Files[0].SHA256, "%s: the sample's SHA-256", format)
		for _, s := range rep.Sources {
			assert.Contains(t, out, s.SignatureSHA256, "%s: the SHA-256 of %s's signature", format, s.Name)
		}
		assert.Contains(t, strings.ToLower(out), "fabrication", "%s: a fabrication section", format)
		for _, c := range rep.Fabrication.Checks {
			assert.Contains(t, out, thousands(int64(c.Values)), "%s: fabrication check of %s", format, c.Kind)
		}
	}
}

// What a stranger's signature says of itself cannot forge a line, drive
// a terminal, start a formula or inject markup in any format. (JSON keeps
// the strings as they are, escaped by its encoder: it is data.)
func TestReportHostileSource(t *testing.T) {
	rep := strangerReport(t)
	out := map[string]string{}
	for _, format := range Formats {
		var b bytes.Buffer
		require.NoError(t, rep.Render(&b, format), format)
		out[format] = b.String()
		if format == "json" {
			continue
		}
		if i := rawControl(b.String()); i >= 0 {
			assert.Failf(t, "raw control", "%s: raw control at byte %d: %q", format, i, b.String()[max(0, i-20):min(b.Len(), i+20)])
		}
		assert.NotContains(t, b.String(), "\u202e", "%s: no bidirectional override", format)
	}
	assert.NotContains(t, out["html"], "<script>", "html: no markup from the description")
	assert.NotContains(t, out["markdown"], "<script>", "markdown: no markup from the description")
	assert.NotContains(t, out["markdown"], "[click](http://evil)", "markdown: no link from the description")
	assert.NotContains(t, out["text"], "\n- [click]", "text: the description forges no line")
	rows, err := csv.NewReader(strings.NewReader(out["csv"])).ReadAll()
	require.NoError(t, err, "the CSV report parses")
	for i, row := range rows {
		for j, c := range row {
			if c != "" {
				assert.NotContainsf(t, "=+-@", c[:1], "csv row %d column %s: %q starts a formula", i, rows[0][j], c)
			}
		}
	}
	for _, format := range []string{"stix", "misp"} {
		assert.True(t, json.Valid([]byte(out[format])), "%s: valid JSON", format)
	}
}
