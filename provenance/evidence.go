package provenance

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// duplicatesWorthSaying is the share of repeated records above which the
// evidence says that shares are of distinct records.
const duplicatesWorthSaying = 0.05

// evidence writes plain sentences, strongest first, that a duty officer can
// paste into a statement.
func evidence(r *Report) []string {
	var out []string
	n := r.Sample.Distinct
	switch r.Verdict {
	case Insufficient:
		out = append(out, fmt.Sprintf("Insufficient data: only %d of %d records carry a strong identifier (phone, e-mail, national ID, passport, licence, or name with birth date); at least %d are needed for a verdict.",
			n, r.Sample.Records, r.Thresholds.MinIdentified))
	default:
		out = append(out, fmt.Sprintf("Verdict %s: %s of the %s identified records (95%% CI %s) match known dumps; %s are unexplained.",
			r.Verdict, pct(r.Explained.Estimate), thousands(int64(n)), ci(r.Explained), pct(r.Residual.Estimate)))
		if u := uncertainty(r); u != "" {
			out = append(out, u)
		}
	}
	if d := r.Sample; d.DuplicateShare > duplicatesWorthSaying {
		out = append(out, fmt.Sprintf("%s of the %s identified records (%s) repeat the identifiers of an earlier record; each record is counted once, so every share is of the %s distinct records.",
			thousands(int64(d.Duplicates)), thousands(int64(d.Identified)), pct(d.DuplicateShare), thousands(int64(d.Distinct))))
	}
	if fv := r.Sample.FrequentValues; len(fv) > 0 {
		var held []string
		for _, v := range fv[:min(len(fv), 3)] {
			held = append(held, fmt.Sprintf("a %s held by %s records (%s)", v.Kind, thousands(int64(v.Records)), pct(v.Share)))
		}
		line := fmt.Sprintf("Values held by unusually many records (placeholders or shared values) identify nobody and are not used to match: %s", strings.Join(held, ", "))
		if len(fv) > 3 {
			line += fmt.Sprintf(", and %d more", len(fv)-3)
		}
		if n := r.Sample.FrequentOnly; n > 0 {
			line += fmt.Sprintf("; %s records carry no other identifier and are not identified", thousands(int64(n)))
		}
		out = append(out, line+".")
	}
	var heldBy []string
	for _, src := range r.Sources {
		if src.FrequentOnly > 0 {
			heldBy = append(heldBy, fmt.Sprintf("%s: %s records", src.Name, thousands(int64(src.FrequentOnly))))
		}
	}
	if len(heldBy) > 0 {
		out = append(out, fmt.Sprintf("Found in a source only on values many of its records hold (placeholders or shared values), and not counted as matching it: %s.", strings.Join(heldBy, "; ")))
	}
	if r.Sample.Skipped > 0 {
		out = append(out, fmt.Sprintf("%s malformed records of the sample were skipped and not scored.", thousands(r.Sample.Skipped)))
	}
	if s := r.Sample.Sampling; s != nil {
		out = append(out, fmt.Sprintf("Scored a uniform sample of %s of %s records (seed %d); intervals reflect the sample size.",
			thousands(int64(s.Size)), thousands(s.Total), s.Seed))
	}
	out = append(out, olderNormaliserEvidence(r.Sources)...)
	if reg := r.Sample.Region; reg != "" && !slices.ContainsFunc(r.Sources, func(s SourceResult) bool { return s.Region == reg }) {
		out = append(out, fmt.Sprintf("The sample was read as region %s, but no source was indexed under %s: phone numbers and IDs written in national form may have been read differently on each side (check --region).", reg, reg))
	} else if reg != "" {
		var other []string
		for _, s := range r.Sources {
			if s.Region != "" && s.Region != reg {
				other = append(other, fmt.Sprintf("%s (%s)", s.Name, s.Region))
			}
		}
		if len(other) > 0 {
			were := "were"
			if len(other) == 1 {
				were = "was"
			}
			out = append(out, fmt.Sprintf("The sample was read as region %s, and %s %s indexed under another region: for those, phone numbers and IDs written in national form may have been read differently on each side.", reg, strings.Join(other, ", "), were))
		}
	}
	var noise, namesakes []string
	for _, s := range r.Sources {
		if f, ok := s.Fields[canon.NameBirthDate]; ok && f.Held && f.Hits > 0 && f.Chance >= 0.01 {
			namesakes = append(namesakes, fmt.Sprintf("%s (%s)", s.Name, pct(f.Chance)))
		}
		if !s.Significant {
			if s.Records.Estimate > 0 {
				noise = append(noise, fmt.Sprintf("%s (%s)", s.Name, pct(s.Records.Estimate)))
			}
			continue
		}
		var on, chance []string
		for _, k := range sortedKinds(s.Fields) {
			f := s.Fields[k]
			switch {
			case f.Held && f.AtChance && f.Hits > 0:
				chance = append(chance, fmt.Sprintf("%s (%s, chance %s)", k, pct(f.Estimate), pct(f.Chance)))
			case f.Held && f.Estimate >= 0.01:
				on = append(on, k.String())
			}
		}
		line := fmt.Sprintf("%s of records (95%% CI %s) match %s", pct(s.Records.Estimate), ci(s.Records), sourceName(s))
		if len(on) > 0 {
			line += " on " + strings.Join(on, ", ")
		}
		switch {
		case s.Joint.Estimate > 0:
			line += fmt.Sprintf("; %s match it record for record (two identifiers together)", pct(s.Joint.Estimate))
		case s.JointTestable > 0:
			line += "; none match it on two identifiers together, so the overlap is of single values, not of records"
		}
		switch {
		case s.TieGroup > 0 && s.TieGroup <= len(r.Ties):
			line += fmt.Sprintf("; %s is explained by its tie group (%s) alone after larger sources", pct(s.Exclusive.Estimate), strings.Join(r.Ties[s.TieGroup-1], ", "))
		case len(r.Sources) > 1:
			line += fmt.Sprintf("; %s is explained by it alone after larger sources", pct(s.Exclusive.Estimate))
		}
		out = append(out, line+".")
		if len(chance) > 0 {
			out = append(out, fmt.Sprintf("Overlap with %s on %s is no higher than chance for a dump of that size: no evidence.",
				s.Name, strings.Join(chance, ", ")))
		}
	}
	out = append(out, tieSentences(r)...)
	if len(noise) > 0 {
		out = append(out, fmt.Sprintf("Matches with %s are no more than filter false positives and chance collisions would give: no evidence.",
			strings.Join(noise, ", ")))
	}
	if len(namesakes) > 0 {
		out = append(out, fmt.Sprintf("Many people share a name and a birth date in %s: that share of the sample's names paired with other records' birth dates is found there too, so a match on name and birth date alone counts as a namesake's (chance).",
			strings.Join(namesakes, ", ")))
	}
	if len(r.NovelFields) > 0 {
		out = append(out, fmt.Sprintf("No known dump explains the sample's %s (below %s in every source): that part is new, or from a dump not in the catalog.",
			kindList(r.NovelFields), pct(r.Thresholds.NovelBelow)))
	}
	if r.Claim != nil {
		for _, f := range r.Claim.Findings {
			if f.Passed {
				continue
			}
			switch f.Check {
			case "fields-not-held":
				out = append(out, fmt.Sprintf("The leak holds %s, which %s does not hold: that data did not come from it.", f.Detail, r.Claim.System))
			default:
				out = append(out, fmt.Sprintf("Claim check %s failed: %s.", f.Check, f.Detail))
			}
		}
		if b := r.Claim.BeforeLaunch; b != nil && b.Estimate > 0.5 && !hasFinding(*r.Claim, "predates-launch") {
			out = append(out, fmt.Sprintf("%s (95%% CI %s) of the part of the leak that known dumps explain is in dumps taken before %s opened (%s): that part existed before the system did.",
				capitalise(pct(b.Estimate)), ci(*b), r.Claim.System, r.Claim.Launched))
		}
		if r.Claim.Consistent {
			out = append(out, fmt.Sprintf("The leak is consistent with what %s holds (%d checks passed); this does not show it came from there.",
				r.Claim.System, len(r.Claim.Findings)))
		}
	}
	out = append(out, fabricationEvidence(r.Fabrication)...)
	if r.Time.Horizon != "" {
		line := fmt.Sprintf("Freshness horizon: the newest known dump that explains the leak is from %s; the recycled part is no fresher than that", r.Time.Horizon)
		// The horizon is one source's date, however little it explains:
		// say when most of the explained records are in much older dumps.
		for _, st := range r.Time.BySnapshot {
			if st.Snapshot < r.Time.Horizon && st.Share.Estimate > 0.5 {
				line += fmt.Sprintf(", and %s of it (95%% CI %s) is already in dumps from %s or earlier", pct(st.Share.Estimate), ci(st.Share), st.Snapshot)
				break
			}
		}
		out = append(out, line+".")
	}
	for _, s := range r.Time.Sources {
		if s.AfterSnapshot > 0 {
			out = append(out, fmt.Sprintf("%s birth dates in the sample are later than %s's snapshot (%s): those records cannot have come from it.", thousands(int64(s.AfterSnapshot)), s.Name, s.Snapshot))
		}
	}
	return out
}

func sourceName(s SourceResult) string {
	if s.Snapshot != "" {
		return fmt.Sprintf("%s (snapshot %s)", s.Name, s.Snapshot)
	}
	return s.Name
}

func ci(iv Interval) string { return pct(iv.Low) + "–" + pct(iv.High) }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sortedKinds returns the kinds of m in the order of their names.
func sortedKinds[V any](m map[canon.Kind]V) []canon.Kind {
	keys := make([]canon.Kind, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	return keys
}

// kindList joins the names of ks with commas.
func kindList(ks []canon.Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.String()
	}
	return strings.Join(names, ", ")
}

func hasFinding(c Claim, check string) bool {
	for _, f := range c.Findings {
		if f.Check == check {
			return true
		}
	}
	return false
}

// modulePath is this module's path, looked up in the build information.
const modulePath = "github.com/leakprov/leakprov"

// buildVersion returns the version of this module in the running program
// and the VCS revision it was built from, once.
var buildVersion = sync.OnceValues(func() (version, commit string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	return moduleVersion(bi)
})

// moduleVersion finds this module in bi: the main module (a leakprov
// binary, a test) with its VCS revision, or a dependency of another
// program, as required or replaced.
func moduleVersion(bi *debug.BuildInfo) (version, commit string) {
	if bi.Main.Path == modulePath {
		var dirty bool
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if commit != "" && dirty {
			commit += "+dirty"
		}
		return bi.Main.Version, commit
	}
	for _, d := range bi.Deps {
		if d.Path != modulePath {
			continue
		}
		if d.Replace != nil {
			if d.Replace.Version != "" {
				return d.Replace.Version, ""
			}
			return d.Version + " (replaced by " + d.Replace.Path + ")", ""
		}
		return d.Version, ""
	}
	return "", ""
}

// stamp records what makes the report evidence of its own making: the
// tool's build, and when the report was made (zero: now).
func (r *Report) stamp(created time.Time) {
	r.ToolVersion, r.ToolCommit = buildVersion()
	if created.IsZero() {
		created = time.Now()
	}
	r.Created = created.UTC().Truncate(time.Second)
}

// describeSource copies into sr what src's signature says of itself: its
// description and URL, the kinds it holds, and what identifies the file.
func describeSource(sr *SourceResult, src *fingerprint.Signature) {
	m := &src.Meta
	sr.Description, sr.URL = m.Description, m.URL
	sr.SignatureSHA256 = src.FileSHA256()
	sr.SignatureCreated = m.Created.UTC()
	sr.HashMode, sr.KeyID = m.HashMode.String(), m.KeyID
	sr.DataClasses = dataClasses(src)
	sr.CanonVersion = m.CanonVersion
}

// olderNormaliserEvidence says, of each source built with an older
// normaliser version than this leakprov's, which of the sample's values
// cannot match it (canon.Differences).
func olderNormaliserEvidence(sources []SourceResult) []string {
	var out []string
	for _, s := range sources {
		if s.CanonVersion == 0 || s.CanonVersion >= canon.Version {
			continue
		}
		if diff, ok := canon.Differences(s.CanonVersion); ok && diff != "" {
			out = append(out, fmt.Sprintf("%s was built with normaliser version %d: %s cannot match it; re-index it for exact figures.",
				s.Name, s.CanonVersion, diff))
		}
	}
	return out
}

// dataClasses lists the kinds of which src indexed values, in kind order:
// the pseudo-kind name+birth_date and "other" are no data class.
func dataClasses(src *fingerprint.Signature) []canon.Kind {
	out := []canon.Kind{}
	for _, f := range src.Fields {
		if f.Values > 0 && f.Kind != canon.Other && f.Kind != canon.NameBirthDate && f.Kind.Valid() {
			out = append(out, f.Kind)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// withCI writes a share with its 95% interval: "81% (80%–83%)".
func withCI(iv Interval) string { return pct(iv.Estimate) + " (" + ci(iv) + ")" }

// chanceText writes a chance hit rate, which is often far below 1%.
func chanceText(x float64) string {
	if x > 0 && x < 0.0001 {
		return "<0.01%"
	}
	if x > 0 && x < 0.01 {
		return fmt.Sprintf("%.2f%%", 100*x)
	}
	return pct(x)
}

// fieldText writes the containment of one kind in a source, with its
// interval and chance rate, or says the source does not hold it.
func fieldText(f FieldResult) string {
	if !f.Held {
		return "not held"
	}
	s := withCI(f.Interval) + ", chance " + chanceText(f.Chance)
	if f.AtChance {
		s += " (no more than chance)"
	}
	return s
}

// writeSourceText writes, under a source's line of the text report, what it
// holds, what it says of itself and its containment per strong kind.
func writeSourceText(b *strings.Builder, s SourceResult) {
	text := untrusted.Text
	if len(s.DataClasses) > 0 {
		fmt.Fprintf(b, "    holds %s\n", kindList(s.DataClasses))
	}
	if s.Description != "" {
		fmt.Fprintf(b, "    about: %s\n", text(s.Description))
	}
	if s.URL != "" {
		fmt.Fprintf(b, "    url: %s\n", text(s.URL))
	}
	for _, k := range canon.StrongKinds {
		if f, ok := s.Fields[k]; ok && f.Held {
			fmt.Fprintf(b, "    %-16s %s\n", k, fieldText(f))
		}
	}
}

// writeSourcesMarkdown writes the Markdown report's per-field table and
// what each source says of itself.
func writeSourcesMarkdown(b *strings.Builder, sources []SourceResult) {
	md := untrusted.Markdown
	var about []string
	for _, s := range sources {
		var parts []string
		if s.Description != "" {
			parts = append(parts, md(s.Description))
		}
		if s.URL != "" {
			parts = append(parts, md(s.URL))
		}
		if len(parts) > 0 {
			about = append(about, fmt.Sprintf("- **%s**: %s\n", md(s.Name), strings.Join(parts, " — ")))
		}
	}
	if len(about) > 0 {
		b.WriteString("\n### About the sources\n\n")
		for _, a := range about {
			b.WriteString(a)
		}
	}
	header := false
	for _, s := range sources {
		for _, k := range canon.StrongKinds {
			f, ok := s.Fields[k]
			if !ok || !f.Held {
				continue
			}
			if !header {
				b.WriteString("\n### Per field\n\n| source | kind | containment | chance |\n|---|---|---|---|\n")
				header = true
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s |\n", md(s.Name), md(k.String()), withCI(f.Interval), chanceText(f.Chance))
		}
	}
}

// fabricationLine writes one fabrication check for the text report.
func fabricationLine(c FabricationCheck) string {
	line := fmt.Sprintf("%-16s %-24s %s passed of %s values", c.Kind, c.Check, validCI(c), thousands(int64(c.Values)))
	if notes := fabricationNotes(c); notes != "" {
		line += "; " + notes
	}
	if c.Flagged {
		line += "  FLAGGED (" + c.Weight + ")"
	}
	return line
}

// fabricationNotes writes what qualifies a fabrication check's figure: the
// rules it applied, the share real data would pass, the values with no
// form, another region's rules, the hash sample.
func fabricationNotes(c FabricationCheck) string {
	var notes []string
	if c.Kind == canon.NationalID && c.Scheme != "" {
		notes = append(notes, rulesOf(c.Region, c.Scheme))
	}
	switch c.Check {
	case checkDaySpread:
		notes = append(notes, "share on a 29th-31st (the 1st and 15th aside), real data "+pct(c.Expected))
	case checkJanuary1:
		notes = append(notes, "share not on 1 January, real data "+pct(c.Expected)+"; informs only")
	}
	if c.Malformed > 0 {
		notes = append(notes, thousands(int64(c.Malformed))+" without the form")
	}
	if a := c.Alternative; a != nil {
		notes = append(notes, fmt.Sprintf("of those failing, %s valid under the %s rules (%s)", pct(a.Valid), a.Region, schemeName(a.Scheme)))
	}
	if c.Sampling > 0 {
		notes = append(notes, "hash sample of "+pct(c.Sampling))
	}
	return strings.Join(notes, ", ")
}

// validCI writes the share of a fabrication check's values that pass it,
// with its 95% interval.
func validCI(c FabricationCheck) string {
	iv := ModifiedWilson(c.Passed, c.Values).rounded()
	return pct(c.Valid) + " (" + ci(iv) + ")"
}

// aboutLines states what makes the report evidence: who made it and when,
// the SHA-256 of each member of the sample, and of each source's
// signature with its hashing and key; esc makes strings from files safe
// for the format.
func (r *Report) aboutLines(esc func(string) string) []string {
	made := fmt.Sprintf("made %s by %s", r.Created.UTC().Format(time.RFC3339), esc(r.Tool))
	if r.ToolVersion != "" {
		made += ", module version " + esc(r.ToolVersion)
	}
	if r.ToolCommit != "" {
		made += ", commit " + esc(r.ToolCommit)
	}
	out := []string{made}
	for _, f := range r.Sample.Files {
		sum := "sha256 not recorded"
		if f.SHA256 != "" {
			sum = "sha256 " + esc(f.SHA256)
		}
		out = append(out, fmt.Sprintf("sample %s: %s", esc(f.Path), sum))
	}
	for _, s := range r.Sources {
		line := fmt.Sprintf("source %s: ", esc(s.Name))
		if s.SignatureSHA256 != "" {
			line += "signature sha256 " + esc(s.SignatureSHA256)
		} else {
			line += "signature not read from a file"
		}
		if s.HashMode != "" {
			line += ", hashed " + esc(s.HashMode)
		}
		if s.KeyID != "" {
			line += ", key " + esc(s.KeyID)
		}
		if !s.SignatureCreated.IsZero() {
			line += ", made " + s.SignatureCreated.UTC().Format(time.RFC3339)
		}
		out = append(out, line)
	}
	return out
}
