package provenance

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// Formats are the formats a report renders to.
var Formats = []string{"json", "text", "markdown", "html", "csv", "stix", "misp"}

// Render writes the report in format: "json" (the stable contract), "text"
// (for a terminal), "markdown" (for a ticket), "html" (to look at), "csv"
// (the per-source table, one row per source, for spreadsheets and pandas),
// "stix" (a STIX 2.1 bundle) or "misp" (a MISP event), the last two for the
// platforms CERTs share intelligence on.
func (r *Report) Render(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "text":
		return r.renderText(w)
	case "markdown", "md":
		return r.renderMarkdown(w)
	case "html":
		return r.renderHTML(w)
	case "csv":
		return r.renderCSV(w)
	case "stix":
		return r.renderSTIX(w)
	case "misp":
		return r.renderMISP(w)
	}
	return fmt.Errorf("provenance: unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
}

func (r *Report) renderText(w io.Writer) error {
	var b strings.Builder
	text := untrusted.Text
	fmt.Fprintf(&b, "%s: %s%s\n", text(r.Sample.Path), strings.ToUpper(string(r.Verdict)), uncertainMark(r))
	fmt.Fprintf(&b, "  records %d, identified %d", r.Sample.Records, r.Sample.Identified)
	if r.Sample.Region != "" {
		fmt.Fprintf(&b, ", region %s", r.Sample.Region)
	}
	fmt.Fprintf(&b, "\n")
	if len(r.Sample.Files) > 1 {
		for _, f := range r.Sample.Files {
			fmt.Fprintf(&b, "    %s: %d records\n", text(f.Path), f.Records)
		}
	}
	fmt.Fprintf(&b, "  explained %s   residual %s   (shares with 95%% intervals)\n\n", withCI(r.Explained), withCI(r.Residual))
	fmt.Fprintf(&b, "  %-24s %-11s %-20s %-20s %s\n", "source", "snapshot", "records", "joint", "exclusive")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "  %-24s %-11s %-20s %-20s %s%s\n", text(s.Name), text(s.Snapshot), withCI(s.Records), withCI(s.Joint), withCI(s.Exclusive), tieMark(s))
		writeSourceText(&b, s)
		if note := tieNote(r, s); note != "" {
			fmt.Fprintf(&b, "    %s\n", text(note))
		}
	}
	if len(r.NovelFields) > 0 {
		fmt.Fprintf(&b, "\n  novel fields: %s\n", kindList(r.NovelFields))
	}
	if r.Claim != nil {
		fmt.Fprintf(&b, "\n  claim (%s): consistent=%v\n", text(r.Claim.Schema), r.Claim.Consistent)
		for _, f := range r.Claim.Findings {
			mark := "ok  "
			if !f.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "    %s %-18s %s\n", mark, f.Check, text(f.Detail))
		}
		if bl := r.Claim.BeforeLaunch; bl != nil {
			fmt.Fprintf(&b, "    explained records in dumps from before %s: %s\n", text(r.Claim.Launched), withCI(*bl))
		}
	}
	fmt.Fprintf(&b, "\n  fabrication suspected: %v\n", r.Fabrication.Suspected)
	for _, c := range r.Fabrication.Checks {
		fmt.Fprintf(&b, "    %s\n", fabricationLine(c))
	}
	b.WriteString("\nEvidence:\n")
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "  - %s\n", text(e))
	}
	b.WriteString("\nThis report:\n")
	for _, l := range r.aboutLines(text) {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) renderMarkdown(w io.Writer) error {
	var b strings.Builder
	md := untrusted.Markdown
	fmt.Fprintf(&b, "## Leak provenance: %s\n\n", md(r.Sample.Path))
	fmt.Fprintf(&b, "**Verdict: %s%s.** Explained %s, residual %s; %d records, %d identified. Shares are of the identified records, with 95%% intervals.\n\n",
		r.Verdict, uncertainMark(r), withCI(r.Explained), withCI(r.Residual), r.Sample.Records, r.Sample.Identified)
	b.WriteString("| source | snapshot | records | joint | exclusive | holds |\n|---|---|---|---|---|---|\n")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s%s | %s |\n", md(s.Name), md(s.Snapshot), withCI(s.Records), withCI(s.Joint), withCI(s.Exclusive), tieMark(s), md(kindList(s.DataClasses)))
	}
	var notes []string
	for _, s := range r.Sources {
		if note := tieNote(r, s); note != "" {
			notes = append(notes, "- "+md(note)+"\n")
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		b.WriteString(strings.Join(notes, ""))
	}
	writeSourcesMarkdown(&b, r.Sources)
	if len(r.NovelFields) > 0 {
		fmt.Fprintf(&b, "\nNovel fields: %s\n", md(kindList(r.NovelFields)))
	}
	if r.Claim != nil {
		fmt.Fprintf(&b, "\n### Claim: %s (consistent: %v)\n\n| check | passed | detail |\n|---|---|---|\n", md(r.Claim.Schema), r.Claim.Consistent)
		for _, f := range r.Claim.Findings {
			fmt.Fprintf(&b, "| %s | %v | %s |\n", f.Check, f.Passed, md(f.Detail))
		}
		if bl := r.Claim.BeforeLaunch; bl != nil {
			fmt.Fprintf(&b, "\nExplained records in dumps from before %s: %s.\n", md(r.Claim.Launched), withCI(*bl))
		}
	}
	fmt.Fprintf(&b, "\n### Fabrication (suspected: %v)\n\n", r.Fabrication.Suspected)
	if len(r.Fabrication.Checks) == 0 {
		b.WriteString("No value of a kind with a check digit or a format to check.\n")
	} else {
		b.WriteString("| kind | check | passed | values | flagged | notes |\n|---|---|---|---|---|---|\n")
		for _, c := range r.Fabrication.Checks {
			flag := "no"
			if c.Flagged {
				flag = "**yes** (" + c.Weight + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", md(c.Kind.String()), md(c.Check), validCI(c), thousands(int64(c.Values)), flag, md(fabricationNotes(c)))
		}
	}
	b.WriteString("\n### Evidence\n\n")
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "- %s\n", md(e))
	}
	b.WriteString("\n### This report\n\n")
	for _, l := range r.aboutLines(md) {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The HTML report: one self-contained file to look at, print or send. It
// loads nothing (no script, no external style, font or image): the style
// sheet is inline and allowed by its hash in a Content-Security-Policy that
// forbids everything else, and the composition chart is inline SVG drawn
// with presentation attributes. Every string from a dump, a sample or a
// signature goes through untrusted.Text and then html/template's escaping.

// htmlPalette holds the fill colours of the chart's source segments, in
// segment order, repeating past the last (seven of Okabe and Ito's
// colour-blind-safe colours, then a purple); htmlResidualColour, a grey,
// fills the residual. Tests find the chart's
// pixels by these colours, so no other part of the page uses them.
var htmlPalette = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#7f5a9a"}

const htmlResidualColour = "#bdbdbd"

// Chart geometry in SVG user units (the chart scales to the page width).
const (
	chartWidth  = 800.0
	chartHeight = 104.0
	chartBarX   = 32.0
	chartBarY   = 26.0
	chartBarW   = chartWidth - 2*chartBarX
	chartBarH   = 48.0
	// chartLabelMin is the least segment width that gets its share written
	// above it.
	chartLabelMin = 72.0
	// legendRunes caps a name in the chart's labels and legend; the tables
	// show it whole.
	legendRunes = 48
)

// htmlView is what the HTML template renders: the report and what is
// computed from it for display.
type htmlView struct {
	*Report
	Chart htmlChart
	// Colours holds, per entry of Sources, the colour of its chart
	// segment, or "" for a source that is not in the chart.
	Colours []string
	// Kinds are the strong kinds of the per-field table, with the number
	// of the sample's values of each.
	Kinds  []canon.Kind
	Values map[canon.Kind]int
	// HasFields is true when some source has a per-field result.
	HasFields bool
}

// htmlChart is the stacked composition bar: one segment per significant
// source (its exclusive share) and one for the residual.
type htmlChart struct {
	Width, Height          float64
	BarX, BarY, BarW, BarH float64
	Segments               []htmlSegment
	Ticks                  []htmlTick
	// Total is the sum of the segments' estimates; the bar's scale is
	// max(1, Total) so the segments always fit.
	Total float64
}

// htmlSegment is one segment of the bar with its interval whisker.
type htmlSegment struct {
	Label    string
	Residual bool
	Colour   string
	Share    Interval
	X, W     float64
	// Whisker runs from WLow to WHigh at height WY, with a tick at WEst.
	WLow, WHigh, WEst, WY float64
	// LabelX is the centre of the share written above the segment, when
	// ShowLabel.
	LabelX    float64
	ShowLabel bool
}

// htmlTick is one mark of the chart's axis.
type htmlTick struct {
	X     float64
	Label string
}

func (r *Report) renderHTML(w io.Writer) error {
	return htmlReport.Execute(w, newHTMLView(r))
}

func newHTMLView(r *Report) *htmlView {
	v := &htmlView{Report: r, Colours: make([]string, len(r.Sources)), Values: map[canon.Kind]int{}}
	// Segments: the significant sources, largest exclusive share first
	// (the greedy cover's order), then the residual.
	order := make([]int, 0, len(r.Sources))
	for i, s := range r.Sources {
		if s.Significant {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		return r.Sources[order[a]].Exclusive.Estimate > r.Sources[order[b]].Exclusive.Estimate
	})
	c := htmlChart{Width: chartWidth, Height: chartHeight, BarX: chartBarX, BarY: chartBarY, BarW: chartBarW, BarH: chartBarH}
	// A tie group is one segment, "a = b", in its members' one colour: its
	// exclusive share is the group's, shown on each member.
	placed := map[int]int{} // tie group: its segment
	for _, i := range order {
		s := r.Sources[i]
		label := untrusted.Text(s.Name)
		if g := s.TieGroup; g > 0 && g <= len(r.Ties) {
			if at, ok := placed[g]; ok {
				v.Colours[i] = c.Segments[at].Colour
				continue
			}
			placed[g] = len(c.Segments)
			label = untrusted.Text(strings.Join(r.Ties[g-1], " = "))
		}
		v.Colours[i] = htmlPalette[len(c.Segments)%len(htmlPalette)]
		c.Segments = append(c.Segments, htmlSegment{Label: label, Colour: v.Colours[i], Share: share01(s.Exclusive)})
	}
	c.Segments = append(c.Segments, htmlSegment{Label: "unexplained (residual)", Residual: true, Colour: htmlResidualColour, Share: share01(r.Residual)})
	for _, s := range c.Segments {
		c.Total += s.Share.Estimate
	}
	scale := chartBarW / max(1, c.Total)
	x := chartBarX
	for j := range c.Segments {
		s := &c.Segments[j]
		s.X, s.W = x, s.Share.Estimate*scale
		// A source's interval is where the segment's right end could lie;
		// the residual's, where its left end (the explained share) could.
		lo, hi := x+s.Share.Low*scale, x+s.Share.High*scale
		if s.Residual {
			lo, hi = x+(s.Share.Estimate-s.Share.High)*scale, x+(s.Share.Estimate-s.Share.Low)*scale
		}
		clamp := func(p float64) float64 { return min(max(p, chartBarX), chartBarX+chartBarW) }
		s.WLow, s.WHigh = clamp(lo), clamp(hi)
		s.WEst = clamp(x + s.W)
		if s.Residual {
			s.WEst = clamp(x)
		}
		s.WY = chartBarY + chartBarH*float64(j+1)/float64(len(c.Segments)+1)
		s.LabelX, s.ShowLabel = x+s.W/2, s.W >= chartLabelMin
		x += s.W
	}
	for p := 0; p <= 100; p += 25 {
		c.Ticks = append(c.Ticks, htmlTick{X: chartBarX + float64(p)/100*scale, Label: fmt.Sprintf("%d%%", p)})
	}
	v.Chart = c
	// The per-field table's columns: every strong kind some source was
	// tested on, in the stable order of canon.StrongKinds.
	seen := map[canon.Kind]bool{}
	for _, s := range r.Sources {
		for k, f := range s.Fields {
			seen[k] = true
			v.Values[k] = max(v.Values[k], f.Values)
			v.HasFields = true
		}
	}
	for _, k := range canon.StrongKinds {
		if seen[k] {
			v.Kinds = append(v.Kinds, k)
			delete(seen, k)
		}
	}
	v.Kinds = append(v.Kinds, sortedKinds(seen)...)
	return v
}

// share01 returns iv with every bound a finite share in [0, 1], for
// drawing.
func share01(iv Interval) Interval {
	f := func(x float64) float64 {
		if math.IsNaN(x) {
			return 0
		}
		return min(max(x, 0), 1)
	}
	out := Interval{f(iv.Estimate), f(iv.Low), f(iv.High)}
	out.Low, out.High = min(out.Low, out.Estimate), max(out.High, out.Estimate)
	return out
}

// pct1 writes a share as a percentage with one decimal.
func pct1(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

// ci1 writes an interval's bounds as percentages with one decimal.
func ci1(iv Interval) string { return fmt.Sprintf("%.1f–%.1f%%", iv.Low*100, iv.High*100) }

// prob writes a small probability readably: a percentage from 0.1%, below
// that in powers of ten (3.0×10⁻⁹).
func prob(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Sprint(x)
	case x <= 0:
		return "0"
	case x >= 0.001:
		return pct1(x)
	}
	e := math.Floor(math.Log10(x))
	m := x / math.Pow(10, e)
	if math.Round(m*10) >= 100 {
		m, e = m/10, e+1
	}
	sup := strings.NewReplacer("-", "⁻", "0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴", "5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹")
	return fmt.Sprintf("%.1f×10%s", m, sup.Replace(strconv.Itoa(int(e))))
}

// num writes an SVG coordinate.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// short is untrusted.Text of s, cut to legendRunes runes.
func short(s string) string {
	s = untrusted.Text(s)
	if utf8.RuneCountInString(s) <= legendRunes {
		return s
	}
	r := []rune(s)
	return string(r[:legendRunes-1]) + "…"
}

// lowCheck reports whether a fabrication check is flagged: failed beyond
// what real data shows, a sign a fabrication suspicion rests on.
func lowCheck(c FabricationCheck) bool { return c.Flagged }

// htmlCSS is the report's whole style sheet; the page's
// Content-Security-Policy allows it by its SHA-256 and no other style.
const htmlCSS = `:root{color-scheme:light}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;background:#fff;max-width:64em;margin:0 auto;padding:1em 1.25em}
h1{font-size:1.45em;margin:.2em 0 .4em;overflow-wrap:anywhere}
h2{font-size:1.12em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:1px solid #ddd}
p,li,dd{overflow-wrap:anywhere}
td{overflow-wrap:break-word}
.badge{display:inline-block;padding:.05em .55em;border-radius:.3em;color:#fff;background:#555;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.badge.recycled{background:#1b6f37}.badge.new{background:#a11d2b}.badge.mixed{background:#7a4a08}
.badge.uncertain{background:#fff;color:#7a4a08;border:1px solid #7a4a08;text-transform:none}
.lead{font-size:1.05em}
figure{margin:.5em 0}
svg.chart{display:block;width:100%;height:auto}
svg.chart text{font:13px system-ui,"DejaVu Sans",Arial,sans-serif;fill:#222}
ul.legend{list-style:none;margin:.4em 0;padding:0;display:flex;flex-wrap:wrap;gap:.25em 1.6em}
ul.legend svg,td svg{vertical-align:-2px;margin-right:.35em}
figcaption{color:#555;font-size:.9em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.3em 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#f2f2f2;font-weight:600}
td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}
small{color:#555;font-size:.85em}
tr.ns,td.ns{color:#777}
.pass{color:#1b6f37}.fail{color:#a11d2b;font-weight:600}
ul.findings{list-style:none;padding-left:0}ul.findings li{margin:.2em 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.5em 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
code{font-size:.9em}code.h{overflow-wrap:anywhere;word-break:break-all}
h3{font-size:1em;margin:1.2em 0 .3em}
footer{margin-top:2em;color:#666;font-size:.85em}
@media (max-width:40em){body{font-size:14px;padding:.6em}svg.chart text{font-size:24px}th,td{padding:.2em .35em}dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.3em}}
@media print{body{max-width:none;padding:0;font-size:10pt}h2{break-after:avoid}figure,tr,li{break-inside:avoid}.scroll{overflow:visible}}
`

// htmlCSP is the page's Content-Security-Policy: nothing may be loaded,
// run or sent, and only the report's own style sheet applies.
func htmlCSP() string {
	sum := sha256.Sum256([]byte(htmlCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@CSP@">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>leakprov: {{text .Sample.Path}}</title>
<style>@CSS@</style></head>
<body>
<header><h1>Leak provenance: {{text .Sample.Path}}</h1>
<p class="lead"><span class="badge {{.Verdict}}">{{.Verdict}}</span>{{if not .VerdictCertain}} <span class="badge uncertain" title="the 95% interval of the explained share straddles a verdict threshold">uncertain</span>{{end}} Explained <strong>{{pct1 .Explained.Estimate}}</strong> <small>(95% CI {{ci1 .Explained}})</small>, residual <strong>{{pct1 .Residual.Estimate}}</strong> <small>(95% CI {{ci1 .Residual}})</small>; {{thousands .Sample.Records}} records, {{thousands .Sample.Identified}} identified.</p></header>

<section id="composition"><h2>Composition</h2>
<figure>
{{with .Chart}}<svg class="chart" viewBox="0 0 {{num .Width}} {{num .Height}}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Share of the identified records each source alone explains, and the residual, with 95% intervals</title>
<rect x="{{num .BarX}}" y="{{num .BarY}}" width="{{num .BarW}}" height="{{num .BarH}}" fill="#ffffff" stroke="#999999" stroke-width="1"/>
{{range .Segments}}<rect class="seg" x="{{num .X}}" y="{{num $.Chart.BarY}}" width="{{num .W}}" height="{{num $.Chart.BarH}}" fill="{{.Colour}}" data-label="{{.Label}}" data-share="{{.Share.Estimate}}" data-low="{{.Share.Low}}" data-high="{{.Share.High}}"{{if .Residual}} data-residual="true"{{end}}><title>{{short .Label}}: {{pct1 .Share.Estimate}} (95% CI {{ci1 .Share}})</title></rect>
{{end}}{{range .Segments}}<g class="whisker">
<path d="M{{num .WLow}} {{num .WY}}H{{num .WHigh}}M{{num .WLow}} {{num .WY}}m0 -6v12M{{num .WHigh}} {{num .WY}}m0 -6v12" stroke="#ffffff" stroke-width="4" fill="none" stroke-linecap="round"/>
<path d="M{{num .WLow}} {{num .WY}}H{{num .WHigh}}M{{num .WLow}} {{num .WY}}m0 -6v12M{{num .WHigh}} {{num .WY}}m0 -6v12" stroke="#111111" stroke-width="1.6" fill="none"/>
<circle cx="{{num .WEst}}" cy="{{num .WY}}" r="2.6" fill="#111111"/></g>
{{end}}{{range .Segments}}{{if .ShowLabel}}<text x="{{num .LabelX}}" y="{{num (sub $.Chart.BarY 7)}}" text-anchor="middle">{{pct1 .Share.Estimate}}</text>
{{end}}{{end}}<path d="M{{num .BarX}} {{num (add .BarY .BarH 6)}}H{{num (add .BarX .BarW)}}" stroke="#666666" stroke-width="1"/>
{{range .Ticks}}<path d="M{{num .X}} {{num (add $.Chart.BarY $.Chart.BarH 6)}}v5" stroke="#666666" stroke-width="1"/><text x="{{num .X}}" y="{{num (add $.Chart.BarY $.Chart.BarH 25)}}" text-anchor="middle">{{.Label}}</text>
{{end}}</svg>
<ul class="legend">
{{range .Segments}}<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{{.Colour}}"/></svg>{{short .Label}}: <strong>{{pct1 .Share.Estimate}}</strong> <small>({{ci1 .Share}})</small></li>
{{end}}</ul>{{end}}
<figcaption>Each bar segment is the share of the {{thousands .Sample.Identified}} identified records that a significant source explains and no larger one does (greedy cover){{if .Ties}}, or a tie group of sources that match the same records (a = b){{end}}; grey is the residual, which no known dump explains. Whiskers show the 95% intervals: where a source's segment could end, and where the explained part could end.</figcaption>
</figure></section>

<section id="sources"><h2>Sources</h2>
<div class="scroll"><table>
<tr><th>source</th><th>snapshot</th><th>records</th><th>joint</th><th>exclusive</th><th>by chance</th><th>evidence</th></tr>
{{range $i, $s := .Sources}}<tr{{if not .Significant}} class="ns"{{end}}><td>{{with index $.Colours $i}}<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{{.}}"/></svg>{{end}}{{text .Name}}{{if .Region}} <small>{{text .Region}}</small>{{end}}{{with .DataClasses}}<br><small>holds {{range $j, $k := .}}{{if $j}}, {{end}}{{$k}}{{end}}</small>{{end}}{{with .Description}}<br><small>{{text .}}</small>{{end}}{{with .URL}}<br><small><code>{{text .}}</code></small>{{end}}{{if .Path}}<br><small>{{text .Path}}</small>{{end}}{{with tienote $.Report .}}<br><small>{{text .}}</small>{{end}}</td><td class="d">{{text .Snapshot}}</td><td class="n">{{pct1 .Records.Estimate}}<br><small>{{ci1 .Records}}</small></td><td class="n">{{pct1 .Joint.Estimate}}<br><small>{{ci1 .Joint}}</small></td><td class="n">{{pct1 .Exclusive.Estimate}}<br><small>{{ci1 .Exclusive}}</small>{{if .TieGroup}}<br><small>tie {{.TieGroup}}: the group's</small>{{end}}</td><td class="n">{{printf "%.1f" .ExpectedByChance}} records</td><td>{{if .Significant}}<span class="pass">significant</span>{{else}}no more than chance{{end}}</td></tr>
{{end}}</table></div>
<p><small>records: share of identified records matching the source on any strong identifier or name+birth date; joint: on two identifiers together (the same record); exclusive: what it alone explains after larger sources (for a tie group, what the group explains, on each member). Intervals are 95%.</small></p>
{{if .NovelFields}}<p>Novel fields (below {{pct .Thresholds.NovelBelow}} in every source): <strong>{{range $i, $k := .NovelFields}}{{if $i}}, {{end}}{{$k}}{{end}}</strong></p>{{end}}
</section>

{{if .HasFields}}<section id="fields"><h2>Per-field containment</h2>
<div class="scroll"><table>
<tr><th>source</th>{{range .Kinds}}<th>{{.}}<br><small>{{thousands (index $.Values .)}} values</small></th>{{end}}</tr>
{{range .Sources}}{{$s := .}}<tr{{if not .Significant}} class="ns"{{end}}><td>{{text .Name}}</td>{{range $.Kinds}}{{with index $s.Fields .}}{{if .Held}}<td class="n" title="{{.Hits}} of {{.Values}} values">{{pct1 .Estimate}}<br><small>{{ci1 .Interval}}</small><br><small>chance {{prob .Chance}}</small>{{if and .AtChance .Hits}}<br><small>≈ chance</small>{{end}}</td>{{else}}<td class="ns">not held</td>{{end}}{{else}}<td class="ns">–</td>{{end}}{{end}}</tr>
{{end}}</table></div>
<p><small>Containment of the sample's values of each kind in each source, corrected for the filter's false-positive rate, with its 95% interval and the hit rate chance alone would give.</small></p>
</section>{{end}}

{{with .Claim}}<section id="claim"><h2>Claim: {{text .Schema}}</h2>
<p>{{if .System}}{{text .System}}{{if .Launched}}, opened {{text .Launched}}{{end}}. {{end}}The leak is <strong class="{{if .Consistent}}pass{{else}}fail{{end}}">{{if .Consistent}}consistent{{else}}not consistent{{end}}</strong> with the claim.</p>
<ul class="findings">
{{range .Findings}}<li class="{{if .Passed}}pass{{else}}fail{{end}}">{{if .Passed}}✔ pass{{else}}✘ fail{{end}} <code>{{text .Check}}</code>: <span>{{text .Detail}}</span></li>
{{end}}</ul>
{{with .BeforeLaunch}}<p>Explained records in dumps taken before {{text $.Claim.Launched}}: <strong>{{pct1 .Estimate}}</strong> <small>(95% CI {{ci1 (iv .)}})</small>; the predates-launch check fails when this is over half.</p>{{end}}</section>{{end}}

<section id="fabrication"><h2>Fabrication checks</h2>
<p>Fabrication suspected: <strong class="{{if .Fabrication.Suspected}}fail{{else}}pass{{end}}">{{if .Fabrication.Suspected}}✘ yes{{else}}✔ no{{end}}</strong></p>
{{if .Fabrication.Checks}}<div class="scroll"><table>
<tr><th>kind</th><th>check</th><th>passed</th><th>values</th><th>flagged</th><th>notes</th></tr>
{{range .Fabrication.Checks}}<tr{{if low .}} class="fail"{{end}}><td>{{.Kind}}</td><td>{{text .Check}}</td><td class="n">{{pct1 .Valid}}</td><td class="n">{{thousands .Passed}} of {{thousands .Values}}</td><td>{{if .Flagged}}✘ yes ({{.Weight}}){{else}}no{{end}}</td><td>{{text (fabnotes .)}}</td></tr>
{{end}}</table></div>{{else}}<p>No values to check.</p>{{end}}
</section>

<section id="time"><h2>Time</h2>
{{with .Time}}{{if .Horizon}}<p>Freshness horizon: <strong>{{text .Horizon}}</strong> (the newest snapshot among the sources that explain the sample).</p>{{end}}
{{if .BySnapshot}}<div class="scroll"><table>
<tr><th>snapshot</th><th>explained records in dumps of this date or earlier</th></tr>
{{range .BySnapshot}}<tr><td class="d">{{text .Snapshot}}</td><td class="n">{{pct1 .Share.Estimate}} <small>({{ci1 .Share}})</small>, {{thousands .Records}} of {{thousands $.Time.DatedRecords}}</td></tr>
{{end}}</table></div>{{end}}
{{if .Newest}}<p>{{range $k, $d := .Newest}}{{$k}}: {{text (index $.Time.Oldest $k)}} to {{text $d}}. {{end}}</p>{{end}}
{{if .Sources}}<div class="scroll"><table>
<tr><th>source</th><th>snapshot</th><th>records dated after it</th></tr>
{{range .Sources}}<tr><td>{{text .Name}}</td><td>{{text .Snapshot}}</td><td class="n{{if .AfterSnapshot}} fail{{end}}">{{thousands .AfterSnapshot}}</td></tr>
{{end}}</table></div>{{end}}{{end}}
</section>

<section id="sample"><h2>Sample</h2>
<dl class="meta">
<dt>path</dt><dd>{{text .Sample.Path}}</dd>
<dt>records</dt><dd>{{thousands .Sample.Records}} ({{thousands .Sample.Identified}} identified{{if .Sample.Skipped}}, {{thousands .Sample.Skipped}} skipped{{end}})</dd>
{{if .Sample.Region}}<dt>region</dt><dd>{{text .Sample.Region}}</dd>{{end}}
{{if .Sample.Format}}<dt>format</dt><dd>{{text .Sample.Format}}{{if .Sample.Encoding}}, {{text .Sample.Encoding}}{{end}}</dd>{{end}}
{{with .Sample.Sampling}}<dt>sampling</dt><dd>a uniform sample of {{thousands .Size}} of {{thousands .Total}} records, seed {{.Seed}}</dd>{{end}}
</dl>
{{if .Sample.Columns}}<div class="scroll"><table>
<tr><th>column</th><th>kind</th><th>valid</th></tr>
{{range .Sample.Columns}}<tr><td>{{text .Name}}</td><td>{{.Kind}}</td><td class="n">{{pct1 .Valid}}</td></tr>
{{end}}</table></div>{{end}}
{{if .Sample.Files}}<div class="scroll"><table>
<tr><th>member</th><th>format</th><th>records</th><th>skipped</th></tr>
{{range .Sample.Files}}<tr><td>{{text .Path}}</td><td>{{text .Format}}{{if .Encoding}}, {{text .Encoding}}{{end}}{{if .Compression}}, {{text .Compression}}{{end}}</td><td class="n">{{thousands .Records}}</td><td class="n">{{thousands .Skipped}}</td></tr>
{{end}}</table></div>{{end}}
</section>

<section id="evidence"><h2>Evidence</h2>
<ul>{{range .Evidence}}<li>{{text .}}</li>
{{end}}</ul>
<h3>This report</h3>
<dl class="meta">
<dt>made by</dt><dd>{{text .Tool}}{{with .ToolVersion}}, module version <code>{{text .}}</code>{{end}}{{with .ToolCommit}}, commit <code class="h">{{text .}}</code>{{end}}</dd>
{{if not .Created.IsZero}}<dt>made at</dt><dd>{{.Created.UTC.Format "2006-01-02T15:04:05Z07:00"}}</dd>{{end}}
<dt>report version</dt><dd>{{.ReportVersion}}</dd>
<dt>thresholds</dt><dd>recycled at ≥ {{pct .Thresholds.RecycledAt}}, new at ≤ {{pct .Thresholds.NewAt}}, at least {{.Thresholds.MinIdentified}} identified records</dd>
</dl>
<p>What was compared: the sample as read and each source's signature file as loaded.</p>
<div class="scroll"><table>
<tr><th>input</th><th>SHA-256</th><th>details</th></tr>
{{range .Sample.Files}}<tr><td>sample <strong>{{text .Path}}</strong></td><td>{{with .SHA256}}<code class="h">{{text .}}</code>{{else}}–{{end}}</td><td>{{thousands .Records}} records</td></tr>
{{end}}{{range .Sources}}<tr><td>signature <strong>{{text .Name}}</strong>{{if .Path}}<br><small>{{text .Path}}</small>{{end}}</td><td>{{with .SignatureSHA256}}<code class="h">{{text .}}</code>{{else}}–{{end}}</td><td>{{with .HashMode}}{{text .}}{{end}}{{with .KeyID}}, key ID <code>{{text .}}</code>{{end}}{{if not .SignatureCreated.IsZero}}{{if .HashMode}}; {{end}}made {{.SignatureCreated.UTC.Format "2006-01-02"}}{{end}}</td></tr>
{{end}}</table></div></section>
<footer>Made by {{text .Tool}}. This file is self-contained: it loads nothing and runs no script.</footer>
</body></html>
`

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct": pct, "ci": ci, "pct1": pct1, "ci1": ci1, "prob": prob, "num": num, "short": short,
	"text": untrusted.Text, "low": lowCheck, "fabnotes": fabricationNotes, "tienote": tieNote,
	"iv": func(p *Interval) Interval { return *p },
	"thousands": func(n any) string {
		switch n := n.(type) {
		case int:
			return thousands(int64(n))
		case int64:
			return thousands(n)
		case uint64:
			if n > math.MaxInt64 {
				return strconv.FormatUint(n, 10)
			}
			return thousands(int64(n))
		}
		return fmt.Sprint(n)
	},
	"add": func(xs ...float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s
	},
	"sub": func(a, b float64) float64 { return a - b },
}).Parse(strings.NewReplacer("@CSP@", htmlCSP(), "@CSS@", htmlCSS).Replace(htmlTemplate)))
