package provenance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/sampleset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fixtureReport scores the bundled leak against the bundled catalog with
// the Diia schema, as the README's first command does.
func fixtureReport(t *testing.T) *Report {
	t.Helper()
	cat, err := LoadCatalog("../testdata/catalog")
	require.NoError(t, err, "the bundled catalog")
	schema, err := LoadSchema("diia-driver-licence")
	require.NoError(t, err, "the built-in Diia schema")
	f, err := os.Open("../testdata/leak.csv")
	require.NoError(t, err, "the bundled leak")
	defer f.Close()
	r := sampleset.NewReader(f)
	r.Name = "testdata/leak.csv"
	rep, err := Score(context.Background(), cat, r, Options{SamplePath: r.Name, Schema: schema, Workers: 1})
	require.NoError(t, err, "scoring the bundled leak")
	return rep
}

// syntheticReport is a report made by hand, with shares chosen to be easy
// to measure: two significant sources explaining 50% and 20% alone, one
// that is no evidence, and a residual of 30%.
func syntheticReport(names ...string) *Report {
	if len(names) == 0 {
		names = []string{"bank-2016", "social-2013", "noise-2020"}
	}
	iv := func(e, lo, hi float64) Interval { return Interval{e, lo, hi} }
	fields := func(e float64) map[canon.Kind]FieldResult {
		return map[canon.Kind]FieldResult{
			canon.Phone: {Interval: iv(e, e-0.02, e+0.02), Chance: 2e-6, Values: 1000, Hits: int(e * 1000), Held: true},
			canon.Email: {Interval: iv(0, 0, 0.004), Values: 800},
		}
	}
	return &Report{
		ReportVersion: ReportVersion, Tool: "leakprov test", ToolVersion: "v1.2.3", ToolCommit: "0123abcd",
		Created: time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC),
		Sample: SampleInfo{Path: "sample.csv", Records: 1000, Identified: 1000, Region: "UA",
			Columns: []ColumnInfo{{Column: canon.Column{Name: "phone", Kind: canon.Phone}, Valid: 1}},
			Files: []FileInfo{{Path: "sample.csv", Format: "delimited", Encoding: "utf-8", Records: 1000,
				SHA256: strings.Repeat("5a", 32)}}},
		Verdict:   Mixed,
		Explained: iv(0.7, 0.67, 0.73),
		Residual:  iv(0.3, 0.27, 0.33),
		Sources: []SourceResult{
			{Name: names[0], Snapshot: "2016-10-01", Records: iv(0.55, 0.52, 0.58), Joint: iv(0.5, 0.47, 0.53),
				Exclusive: iv(0.5, 0.47, 0.53), Fields: fields(0.55), Significant: true,
				Description: "customers of a bank", URL: "https://example.org/bank", DataClasses: []canon.Kind{canon.Name, canon.Phone},
				SignatureSHA256: strings.Repeat("b1", 32), HashMode: "siphash24-keyed", KeyID: "k-7f3a",
				SignatureCreated: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)},
			{Name: names[1], Snapshot: "2013-04-01", Records: iv(0.3, 0.27, 0.33), Joint: iv(0.1, 0.08, 0.12),
				Exclusive: iv(0.2, 0.18, 0.22), Fields: fields(0.3), Significant: true},
			{Name: names[2], Snapshot: "2020-01-01", Records: iv(0.001, 0, 0.004), Fields: fields(0.001)},
		},
		NovelFields: []canon.Kind{canon.Email},
		Claim: &Claim{Schema: "test-schema", System: "Test system", Findings: []Finding{
			{Check: "fields-not-held", Passed: false, Detail: "email"},
			{Check: "format", Passed: true, Detail: "phone: 100%"}}},
		Fabrication: Fabrication{Checks: []FabricationCheck{
			{Kind: canon.NationalID, Check: "check-digit", Valid: 0.2, Values: 100, Passed: 20},
			{Kind: canon.Phone, Check: "format", Valid: 1, Values: 1000, Passed: 1000}}, Suspected: true},
		Time: TimeEvidence{Newest: map[canon.Kind]string{canon.BirthDate: "2005-12"}, Oldest: map[canon.Kind]string{canon.BirthDate: "1931-02"},
			Horizon: "2016-10-01", Sources: []SourceFreshness{{Name: names[0], Snapshot: "2016-10-01", AfterSnapshot: 3}}},
		Thresholds: DefaultThresholds(),
		Evidence:   []string{"Verdict mixed: 70% of records match known dumps.", "No known dump explains email."},
	}
}

func renderHTML(t *testing.T, r *Report) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.Render(&b, "html"), "rendering %s as html", r.Sample.Path)
	return b.String()
}

// voidElements have no end tag in HTML.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// wellFormed checks that every element of page is closed in order, as
// written: html.Parse alone would repair what a browser repairs.
func wellFormed(t *testing.T, what, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			require.ErrorIsf(t, z.Err(), io.EOF, "%s: tokenizing", what)
			assert.Emptyf(t, open, "%s: elements left open at the end", what)
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if !assert.NotEmptyf(t, open, "%s: </%s> closes nothing", what, name) {
				return
			}
			if !assert.Equalf(t, open[len(open)-1], string(name), "%s: </%s> closes <%s>", what, name, open[len(open)-1]) {
				return
			}
			open = open[:len(open)-1]
		}
	}
}

// walk calls f on every element under n.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return strings.Contains(" "+v+" ", " "+class+" ")
}

// textOf is the text under n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && found == nil {
			found = n
		}
	})
	return found
}

// selfContained checks that the page loads nothing: no script, no
// element that fetches, no attribute naming a resource, no CSS url() or
// @import, and a Content-Security-Policy that allows only its own style
// sheet, by a hash that matches it.
func selfContained(t *testing.T, what string, doc *html.Node) {
	t.Helper()
	var csp, style string
	walk(doc, func(n *html.Node) {
		switch n.DataAtom {
		case atom.Script, atom.Link, atom.Img, atom.Iframe, atom.Object, atom.Embed, atom.Audio, atom.Video, atom.Source, atom.Base, atom.Form:
			assert.Failf(t, "an element that loads or sends", "%s: <%s>", what, n.Data)
		case atom.Style:
			style += textOf(n)
		case atom.Meta:
			if v, _ := attr(n, "http-equiv"); strings.EqualFold(v, "content-security-policy") {
				csp, _ = attr(n, "content")
			}
		}
		for _, a := range n.Attr {
			switch strings.ToLower(a.Key) {
			case "src", "href", "srcset", "action", "formaction", "poster", "background", "ping":
				assert.Failf(t, "an attribute naming a resource", "%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(a.Key, "on") {
				assert.Failf(t, "an event handler", "%s: <%s %s>", what, n.Data, a.Key)
			}
			// A data- attribute or a title holds text, not an address.
			if a.Key != "xmlns" && a.Key != "title" && !strings.HasPrefix(a.Key, "data-") {
				for _, scheme := range []string{"http://", "https://", "javascript:"} {
					assert.NotContainsf(t, strings.ToLower(a.Val), scheme, "%s: <%s %s>", what, n.Data, a.Key)
				}
			}
		}
	})
	require.NotEmptyf(t, style, "%s: an inline style sheet", what)
	assert.NotContainsf(t, style, "url(", "%s: the style sheet fetches", what)
	assert.NotContainsf(t, style, "@import", "%s: the style sheet imports", what)
	require.NotEmptyf(t, csp, "%s: a Content-Security-Policy meta tag", what)
	assert.Containsf(t, csp, "default-src 'none'", "%s: the policy forbids loading by default", what)
	sum := sha256.Sum256([]byte(style))
	assert.Containsf(t, csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", "%s: the policy allows the page's own style sheet by its hash", what)
	assert.NotContainsf(t, csp, "unsafe", "%s: no unsafe-inline or unsafe-eval", what)
}

// segment is one bar segment of the chart as rendered.
type segment struct {
	label, fill string
	x, w        float64
	residual    bool
}

// chartSegments returns the bar segments of the page's composition chart
// and its bar's width.
func chartSegments(t *testing.T, what string, doc *html.Node) ([]segment, float64) {
	t.Helper()
	var svg *html.Node
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Svg && hasClass(n, "chart") && svg == nil {
			svg = n
		}
	})
	require.NotNilf(t, svg, "%s: an <svg class=chart>", what)
	num := func(n *html.Node, key string) float64 {
		v, ok := attr(n, key)
		require.Truef(t, ok, "%s: <%s> has %s", what, n.Data, key)
		f, err := strconv.ParseFloat(v, 64)
		require.NoErrorf(t, err, "%s: <%s %s=%q>", what, n.Data, key, v)
		return f
	}
	var segs []segment
	barW := 0.0
	walk(svg, func(n *html.Node) {
		if n.Data != "rect" {
			return
		}
		if hasClass(n, "seg") {
			s := segment{x: num(n, "x"), w: num(n, "width")}
			s.label, _ = attr(n, "data-label")
			s.fill, _ = attr(n, "fill")
			_, s.residual = attr(n, "data-residual")
			segs = append(segs, s)
		} else if barW == 0 {
			barW = num(n, "width") // the bar's frame comes first
		}
	})
	require.Positivef(t, barW, "%s: the bar's frame", what)
	return segs, barW
}

// checkChart checks that the chart has one segment per significant source,
// in order of exclusive share, then the residual, each as wide as its
// share, side by side.
func checkChart(t *testing.T, what string, r *Report, doc *html.Node) {
	t.Helper()
	segs, barW := chartSegments(t, what, doc)
	var want []SourceResult
	for _, s := range r.Sources {
		if s.Significant {
			want = append(want, s)
		}
	}
	require.Lenf(t, segs, len(want)+1, "%s: one segment per significant source, and the residual", what)
	total := r.Residual.Estimate
	for _, s := range want {
		total += s.Exclusive.Estimate
	}
	scale := barW / math.Max(1, total)
	fills := map[string]bool{}
	for i, s := range segs {
		share, name := r.Residual.Estimate, "residual"
		if i < len(want) {
			share, name = want[i].Exclusive.Estimate, want[i].Name
			assert.Equalf(t, name, s.label, "%s: segment %d", what, i)
			assert.Falsef(t, s.residual, "%s: segment %d (%s) is no residual", what, i, name)
			if i > 0 {
				assert.GreaterOrEqualf(t, want[i-1].Exclusive.Estimate, want[i].Exclusive.Estimate, "%s: segments by exclusive share", what)
			}
		} else {
			assert.Truef(t, s.residual, "%s: the last segment is the residual", what)
		}
		assert.InDeltaf(t, share*scale, s.w, 0.01, "%s: segment %d (%s) is as wide as its share %.4f", what, i, name, share)
		if i > 0 {
			assert.InDeltaf(t, segs[i-1].x+segs[i-1].w, s.x, 0.02, "%s: segment %d (%s) starts where the one before ends", what, i, name)
		}
		assert.Falsef(t, fills[s.fill], "%s: segment %d (%s) has a colour of its own, %s", what, i, name, s.fill)
		fills[s.fill] = true
	}
	assert.InDeltaf(t, chartBarX, segs[0].x, 0.01, "%s: the first segment starts the bar", what)
	last := segs[len(segs)-1]
	assert.LessOrEqualf(t, last.x+last.w, chartBarX+barW+0.02, "%s: the segments fit the bar", what)
}

func TestHTMLReportFixture(t *testing.T) {
	r := fixtureReport(t)
	page := renderHTML(t, r)
	wellFormed(t, "fixture", page)
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err, "parsing the fixture's report")
	selfContained(t, "fixture", doc)
	checkChart(t, "fixture", r, doc)
	sig := 0
	for _, s := range r.Sources {
		if s.Significant {
			sig++
		}
	}
	require.GreaterOrEqual(t, sig, 2, "the bundled leak has at least two significant sources")

	// The per-field table: one row per source, one column per strong kind
	// of the sample.
	fields := byID(doc, "fields")
	require.NotNil(t, fields, "a per-field section")
	var rows []*html.Node
	walk(fields, func(n *html.Node) {
		if n.DataAtom == atom.Tr {
			rows = append(rows, n)
		}
	})
	require.Len(t, rows, len(r.Sources)+1, "per-field table: a header and a row per source")
	head := textOf(rows[0])
	for _, k := range []canon.Kind{canon.Phone, canon.Email, canon.DriverLicence, canon.NameBirthDate} {
		assert.Containsf(t, head, k.String(), "per-field table header names %s", k)
	}
	bank := r.Sources[0]
	assert.Equal(t, "bank-2016", bank.Name, "the fixture's largest source")
	row := textOf(rows[1])
	phone := bank.Fields[canon.Phone]
	assert.Contains(t, row, pct1(phone.Estimate), "bank-2016's phone containment")
	assert.Contains(t, row, ci1(phone.Interval), "bank-2016's phone interval")
	assert.Contains(t, row, "chance "+prob(phone.Chance), "bank-2016's phone chance")
	assert.Contains(t, row, "not held", "bank-2016 holds no e-mail")

	// Claim findings with their marks.
	claim := byID(doc, "claim")
	require.NotNil(t, claim, "a claim section for --schema")
	var marks []string
	walk(claim, func(n *html.Node) {
		if n.DataAtom == atom.Li {
			marks = append(marks, textOf(n))
			c, _ := attr(n, "class")
			assert.Containsf(t, []string{"pass", "fail"}, c, "finding %q is marked", textOf(n))
		}
	})
	require.Len(t, marks, len(r.Claim.Findings), "one item per finding")
	for i, f := range r.Claim.Findings {
		mark := "✔ pass"
		if !f.Passed {
			mark = "✘ fail"
		}
		assert.Truef(t, strings.HasPrefix(marks[i], mark), "finding %s: %q starts with %q", f.Check, marks[i], mark)
		assert.Containsf(t, marks[i], f.Detail, "finding %s shows its detail", f.Check)
	}

	// Fabrication checks and evidence.
	fab := byID(doc, "fabrication")
	require.NotNil(t, fab, "a fabrication section")
	n := 0
	walk(fab, func(e *html.Node) {
		if e.DataAtom == atom.Tr {
			n++
		}
	})
	assert.Equal(t, len(r.Fabrication.Checks)+1, n, "fabrication table: a header and a row per check")
	ev := textOf(byID(doc, "evidence"))
	for _, e := range r.Evidence {
		assert.Containsf(t, ev, e, "evidence sentence")
	}
	assert.Contains(t, ev, r.Tool, "the tool that made the report")
	assert.Contains(t, textOf(byID(doc, "sources")), ci1(bank.Records), "an interval beside bank-2016's records share")
}

func TestHTMLChartShares(t *testing.T) {
	for _, c := range []struct {
		what string
		edit func(*Report)
	}{
		{"synthetic", func(*Report) {}},
		// Exclusive shares are corrected for chance one by one, so their
		// sum with the residual can pass 1: the bar then scales to fit.
		{"over one", func(r *Report) { r.Sources[0].Exclusive.Estimate, r.Residual.Estimate = 0.7, 0.25 }},
		{"no source", func(r *Report) {
			r.Sources = r.Sources[2:]
			r.Explained, r.Residual = Interval{}, Interval{1, 1, 1}
		}},
		{"nothing significant", func(r *Report) {
			for i := range r.Sources {
				r.Sources[i].Significant = false
			}
		}},
		{"many sources", func(r *Report) {
			for i := 0; i < 2*len(htmlPalette); i++ {
				r.Sources = append(r.Sources, SourceResult{Name: "src-" + strconv.Itoa(i), Exclusive: Interval{0.01, 0, 0.02}, Significant: i < len(htmlPalette)-3})
			}
		}},
	} {
		r := syntheticReport()
		c.edit(r)
		page := renderHTML(t, r)
		wellFormed(t, c.what, page)
		doc, err := html.Parse(strings.NewReader(page))
		require.NoErrorf(t, err, "%s: parsing", c.what)
		selfContained(t, c.what, doc)
		checkChart(t, c.what, r, doc)
	}
}

// Bad numbers (NaN, out of range) draw nothing out of the bar and break
// nothing.
func TestHTMLChartBadShares(t *testing.T) {
	r := syntheticReport()
	r.Sources[0].Exclusive = Interval{math.NaN(), -1, 2}
	r.Residual = Interval{1.5, math.Inf(-1), math.Inf(1)}
	page := renderHTML(t, r)
	i, j := strings.Index(page, `<svg class="chart"`), strings.Index(page, "</svg>")
	require.Truef(t, 0 <= i && i < j, "a chart in %q", page)
	for _, bad := range []string{"NaN", "Inf"} {
		assert.NotContainsf(t, page[i:j], bad, "no %s coordinate in the chart", bad)
	}
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err, "parsing")
	segs, barW := chartSegments(t, "bad shares", doc)
	for _, s := range segs {
		assert.GreaterOrEqualf(t, s.w, 0.0, "segment %s has a width", s.label)
		assert.LessOrEqualf(t, s.x+s.w, chartBarX+barW+0.02, "segment %s fits the bar", s.label)
	}
}

// Names, paths, columns and details from strangers are shown, never run,
// and carry no raw control character.
func TestHTMLEscapesUntrustedText(t *testing.T) {
	hostile := "<script>alert(1)</script>\x1b[31m\u202e\"><svg onload=alert(2)>"
	r := syntheticReport(hostile, "javascript:alert(3)", "x\ny")
	r.Sample.Path = hostile
	r.Sample.Columns[0].Name = hostile
	r.Sample.Files[0].Path = hostile
	r.Claim.Findings[0].Detail = hostile
	r.Sources[0].Description, r.Sources[0].URL, r.Sources[0].KeyID = hostile, "javascript:alert(4)", hostile
	r.Sample.Files[0].SHA256, r.ToolVersion = hostile, hostile
	r.Evidence = append(r.Evidence, hostile)
	page := renderHTML(t, r)
	assert.Equal(t, -1, rawControl(page), "no raw control character in the page")
	wellFormed(t, "hostile", page)
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err, "parsing")
	selfContained(t, "hostile", doc)
	svgs := 0
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Svg && !hasClass(n, "chart") {
			if _, ok := attr(n, "aria-hidden"); !ok {
				svgs++
			}
		}
	})
	assert.Zero(t, svgs, "no <svg> but the chart and its swatches")
	assert.Contains(t, textOf(byID(doc, "sources")), `<script>alert(1)</script>\x1b[31m\u202e`, "a hostile name is shown as text, escaped")
	segs, _ := chartSegments(t, "hostile", doc)
	assert.Equal(t, `<script>alert(1)</script>\x1b[31m\u202e"><svg onload=alert(2)>`, segs[0].label, "a hostile name in the chart")
}

// The evidence section says what made the report, when, and exactly what
// was compared: the sample's SHA-256 and each signature's, with its key.
func TestHTMLEvidenceMetadata(t *testing.T) {
	r := syntheticReport()
	doc, err := html.Parse(strings.NewReader(renderHTML(t, r)))
	require.NoError(t, err, "parsing")
	ev := textOf(byID(doc, "evidence"))
	for what, want := range map[string]string{
		"tool": "leakprov test", "module version": "v1.2.3", "commit": "0123abcd", "time": "2025-02-03T04:05:06Z",
		"sample SHA-256": strings.Repeat("5a", 32), "signature SHA-256": strings.Repeat("b1", 32),
		"hash mode": "siphash24-keyed", "key ID": "key ID k-7f3a", "signature made": "made 2024-05-06",
	} {
		assert.Containsf(t, ev, want, "the evidence section states the %s", what)
	}
	src := textOf(byID(doc, "sources"))
	for what, want := range map[string]string{"description": "customers of a bank", "URL": "https://example.org/bank", "data classes": "holds name, phone"} {
		assert.Containsf(t, src, want, "the sources table shows the source's %s", what)
	}
	walk(doc, func(n *html.Node) {
		assert.NotEqualf(t, atom.A, n.DataAtom, "a source's URL is shown, not linked: <a> in the page")
	})

	r.Created, r.ToolVersion, r.ToolCommit = time.Time{}, "", ""
	r.Sample.Files[0].SHA256, r.Sources[0].SignatureSHA256, r.Sources[0].KeyID = "", "", ""
	doc, err = html.Parse(strings.NewReader(renderHTML(t, r)))
	require.NoError(t, err, "parsing without metadata")
	ev = textOf(byID(doc, "evidence"))
	assert.NotContains(t, ev, "made at", "no time when the report has none")
	assert.NotContains(t, ev, "key ID", "no key ID when the signature has none")
	assert.NotContains(t, ev, "0001-01-01", "no zero time")
}

// A long name is cut in the chart's legend, not in the tables.
func TestHTMLLegendCutsLongNames(t *testing.T) {
	long := strings.Repeat("д", 3*legendRunes)
	page := renderHTML(t, syntheticReport(long, "b", "c"))
	doc, err := html.Parse(strings.NewReader(page))
	require.NoError(t, err, "parsing")
	var legend string
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Ul && hasClass(n, "legend") {
			legend = textOf(n)
		}
	})
	assert.Contains(t, legend, strings.Repeat("д", legendRunes-1)+"…", "the legend cuts a long name")
	assert.NotContains(t, legend, strings.Repeat("д", legendRunes), "the legend cuts a long name")
	assert.Contains(t, textOf(byID(doc, "sources")), long, "the sources table keeps it whole")
}

func TestProb(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 0.5: "50.0%", 0.001: "0.1%", 2.988e-9: "3.0×10⁻⁹",
		0.000024816: "2.5×10⁻⁵", 9.96e-7: "1.0×10⁻⁶", 1e-12: "1.0×10⁻¹²"} {
		assert.Equalf(t, want, prob(x), "prob(%g)", x)
	}
}

// chromium returns the path of a Chromium to run headless, or skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not found in PATH: install Debian's chromium (apt-get install chromium) to check the HTML report's chart in a browser; .ci/run installs it")
	return ""
}

// screenshot renders page in headless Chromium at w×h CSS pixels (one
// device pixel each) and decodes the PNG.
func screenshot(t *testing.T, page string, w, h int) image.Image {
	t.Helper()
	bin := chromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(file, []byte(page), 0o600), "writing the report")
	shot := filepath.Join(dir, "report.png")
	// The deadline only stops a browser that hangs; nothing is timed.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
		"--no-first-run", "--force-device-scale-factor=1", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+shot, "--window-size="+strconv.Itoa(w)+","+strconv.Itoa(h), "file://"+file)
	out, err := cmd.CombinedOutput()
	require.NoErrorf(t, err, "chromium --screenshot: %s", out)
	f, err := os.Open(shot)
	require.NoErrorf(t, err, "chromium wrote no screenshot: %s", out)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err, "decoding chromium's screenshot")
	return img
}

// hexColour parses #rrggbb.
func hexColour(t *testing.T, s string) color.RGBA {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	require.NoErrorf(t, err, "colour %q", s)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// The chart is drawn in a real browser: Chromium's screenshot of the
// report has each source's colour and the residual's, over areas in
// proportion to their shares, side by side in one bar, and the page's
// style sheet applied (the Content-Security-Policy's hash is right).
func TestHTMLChartInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	r := syntheticReport()
	img := screenshot(t, renderHTML(t, r), 1000, 700)
	cs := []color.RGBA{hexColour(t, htmlPalette[0]), hexColour(t, htmlPalette[1]), hexColour(t, htmlResidualColour), hexColour(t, "#7a4a08")}
	n := countColours(img, cs)
	shares := []float64{r.Sources[0].Exclusive.Estimate, r.Sources[1].Exclusive.Estimate, r.Residual.Estimate}
	names := []string{r.Sources[0].Name, r.Sources[1].Name, "residual"}
	t.Logf("pixels per colour %v", n)
	for i, name := range names {
		assert.Greaterf(t, n[i], 4000, "%s (%.0f%%, %v): the chart's segment is drawn", name, 100*shares[i], cs[i])
		if i > 0 {
			want := shares[i] / shares[0]
			assert.InDeltaf(t, want, float64(n[i])/float64(n[0]), 0.15*want, "%s's pixels over %s's: as their shares", name, names[0])
		}
	}
	assert.Greaterf(t, n[3], 100, "the verdict badge's background (%v): the style sheet applies under the page's CSP", cs[3])

	// Along one row of the bar, the segments follow each other, as wide as
	// their shares.
	y := barRow(img, cs[0])
	runs := make([][2]int, len(names))
	b := img.Bounds()
	for i := range names {
		runs[i] = [2]int{-1, -1}
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), cs[i]) {
				if runs[i][0] < 0 {
					runs[i][0] = x
				}
				runs[i][1] = x + 1
			}
		}
		require.GreaterOrEqualf(t, runs[i][0], 0, "%s on the bar's row %d", names[i], y)
	}
	bar := float64(runs[2][1] - runs[0][0])
	for i, name := range names {
		assert.InDeltaf(t, shares[i]*bar, float64(runs[i][1]-runs[i][0]), 3, "%s: its segment's width on row %d", name, y)
		if i > 0 {
			assert.InDeltaf(t, runs[i-1][1], runs[i][0], 2, "%s's segment starts where %s's ends, on row %d", name, names[i-1], y)
		}
	}
}

// near reports whether p is within 3 of c on every channel.
func near(p color.Color, c color.RGBA) bool {
	r, g, b, _ := p.RGBA()
	d := func(a uint32, b uint8) bool { return math.Abs(float64(a>>8)-float64(b)) <= 3 }
	return d(r, c.R) && d(g, c.G) && d(b, c.B)
}

// countColours counts, per colour, the pixels of img near it.
func countColours(img image.Image, cs []color.RGBA) []int {
	n := make([]int, len(cs))
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			for i, c := range cs {
				if near(img.At(x, y), c) {
					n[i]++
				}
			}
		}
	}
	return n
}

// barRow returns the first row of img with the most pixels of colour c: a
// row of the chart's bar that no whisker crosses.
func barRow(img image.Image, c color.RGBA) int {
	b := img.Bounds()
	best, bestN := b.Min.Y, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		k := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), c) {
				k++
			}
		}
		if k > bestN {
			best, bestN = y, k
		}
	}
	return best
}
