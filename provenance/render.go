package provenance

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/leakprov/leakprov/internal/untrusted"
)

// Formats are the formats a report renders to.
var Formats = []string{"json", "text", "markdown", "html"}

// Render writes the report in format: "json" (the stable contract), "text"
// (for a terminal), "markdown" (for a ticket) or "html".
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
		return htmlReport.Execute(w, r)
	}
	return fmt.Errorf("provenance: unknown report format %q (want %s)", format, strings.Join(Formats, ", "))
}

func (r *Report) renderText(w io.Writer) error {
	var b strings.Builder
	text := untrusted.Text
	fmt.Fprintf(&b, "%s: %s\n", text(r.Sample.Path), strings.ToUpper(string(r.Verdict)))
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
	fmt.Fprintf(&b, "  explained %s [%s]   residual %s\n\n", pct(r.Explained.Estimate), ci(r.Explained), pct(r.Residual.Estimate))
	fmt.Fprintf(&b, "  %-24s %-11s %9s %9s %9s\n", "source", "snapshot", "records", "joint", "exclusive")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "  %-24s %-11s %9s %9s %9s\n", text(s.Name), text(s.Snapshot), pct(s.Records.Estimate), pct(s.Joint.Estimate), pct(s.Exclusive.Estimate))
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
	}
	fmt.Fprintf(&b, "\n  fabrication suspected: %v\n\nEvidence:\n", r.Fabrication.Suspected)
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "  - %s\n", text(e))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) renderMarkdown(w io.Writer) error {
	var b strings.Builder
	md := untrusted.Markdown
	fmt.Fprintf(&b, "## Leak provenance: %s\n\n", md(r.Sample.Path))
	fmt.Fprintf(&b, "**Verdict: %s.** Explained %s (95%% CI %s), residual %s; %d records, %d identified.\n\n",
		r.Verdict, pct(r.Explained.Estimate), ci(r.Explained), pct(r.Residual.Estimate), r.Sample.Records, r.Sample.Identified)
	b.WriteString("| source | snapshot | records | joint | exclusive |\n|---|---|---|---|---|\n")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "| %s | %s | %s (%s) | %s | %s |\n", md(s.Name), md(s.Snapshot), pct(s.Records.Estimate), ci(s.Records), pct(s.Joint.Estimate), pct(s.Exclusive.Estimate))
	}
	if len(r.NovelFields) > 0 {
		fmt.Fprintf(&b, "\nNovel fields: %s\n", md(kindList(r.NovelFields)))
	}
	if r.Claim != nil {
		fmt.Fprintf(&b, "\n### Claim: %s (consistent: %v)\n\n| check | passed | detail |\n|---|---|---|\n", md(r.Claim.Schema), r.Claim.Consistent)
		for _, f := range r.Claim.Findings {
			fmt.Fprintf(&b, "| %s | %v | %s |\n", f.Check, f.Passed, md(f.Detail))
		}
	}
	b.WriteString("\n### Evidence\n\n")
	for _, e := range r.Evidence {
		fmt.Fprintf(&b, "- %s\n", md(e))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{"pct": pct, "ci": ci, "text": untrusted.Text}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>leakprov: {{text .Sample.Path}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}.fail{color:#b00}</style></head>
<body><h1>Leak provenance: {{text .Sample.Path}}</h1>
<p><strong>Verdict: {{.Verdict}}</strong>. Explained {{pct .Explained.Estimate}} (95% CI {{ci .Explained}}), residual {{pct .Residual.Estimate}}; {{.Sample.Records}} records, {{.Sample.Identified}} identified.</p>
<table><tr><th>source</th><th>snapshot</th><th>records</th><th>joint</th><th>exclusive</th></tr>
{{range .Sources}}<tr><td>{{text .Name}}</td><td>{{text .Snapshot}}</td><td>{{pct .Records.Estimate}} ({{ci .Records}})</td><td>{{pct .Joint.Estimate}}</td><td>{{pct .Exclusive.Estimate}}</td></tr>
{{end}}</table>
{{if .NovelFields}}<p>Novel fields: {{range .NovelFields}}{{.}} {{end}}</p>{{end}}
{{if .Claim}}<h2>Claim: {{text .Claim.Schema}} (consistent: {{.Claim.Consistent}})</h2><ul>
{{range .Claim.Findings}}<li{{if not .Passed}} class="fail"{{end}}>{{text .Check}}: {{text .Detail}}</li>
{{end}}</ul>{{end}}
<h2>Evidence</h2><ul>{{range .Evidence}}<li>{{text .}}</li>
{{end}}</ul></body></html>
`))
