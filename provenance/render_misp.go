package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// The MISP report is one event in the MISP core format
// (draft-dulaunoy-misp-core-format), {"Event": {...}}, for MISP's import:
//
//   - the event: info (a one-line summary), date and timestamp (when the
//     report was made), unpublished, threat level from the verdict (new and
//     mixed medium, recycled low, insufficient undefined), analysis initial,
//     distribution "your organisation only" (a leak's provenance names
//     people's data: widen it on purpose), tags leakprov:verdict="…" and,
//     when they apply, leakprov:fabrication="suspected",
//     leakprov:claim="inconsistent" and leakprov:novel-field="…";
//   - event attributes: each sample member's SHA-256 (type sha256, with
//     the member as comment), the verdict, and the explained and residual
//     shares with their interval bounds (type float);
//   - one object per source, "leakprov-source": its name, snapshot,
//     description, URL, data classes, shares and interval bounds, per-kind
//     containment, whether it is significant, its signature file's SHA-256
//     and key ID;
//   - an event report holding the Markdown report, evidence included.
//
// Every attribute has a type valid for its category, to_ids false (nothing
// here is an indicator to detect), a deterministic UUID (UUIDv5, as for
// STIX: the same report renders the same event) and distribution "inherit".
// The identifiers a MISP instance assigns itself on import (id, event_id,
// object_id, org_id, orgc_id) are left out, as MISP's feed format does;
// every other field the format requires is present. Strings from a sample
// or a signature go through untrusted.Text.

// mispObjectName names the object template of a source.
const mispObjectName = "leakprov-source"

// mispDistribution values.
const (
	mispYourOrganisation = "0"
	mispInherit          = "5"
)

// mispThreatLevel maps a verdict to a threat level: 2 medium, 3 low, 4
// undefined.
func mispThreatLevel(v Verdict) string {
	switch v {
	case New, Mixed:
		return "2"
	case Recycled:
		return "3"
	}
	return "4"
}

// mispAttribute is one MISP attribute.
type mispAttribute struct {
	UUID               string `json:"uuid"`
	Type               string `json:"type"`
	Category           string `json:"category"`
	Value              string `json:"value"`
	ToIDs              bool   `json:"to_ids"`
	Distribution       string `json:"distribution"`
	SharingGroupID     string `json:"sharing_group_id"`
	Timestamp          string `json:"timestamp"`
	Deleted            bool   `json:"deleted"`
	DisableCorrelation bool   `json:"disable_correlation"`
	ObjectRelation     string `json:"object_relation,omitempty"`
	Comment            string `json:"comment"`
}

type mispObject struct {
	UUID            string          `json:"uuid"`
	Name            string          `json:"name"`
	MetaCategory    string          `json:"meta-category"`
	Description     string          `json:"description"`
	TemplateUUID    string          `json:"template_uuid"`
	TemplateVersion string          `json:"template_version"`
	Timestamp       string          `json:"timestamp"`
	Distribution    string          `json:"distribution"`
	SharingGroupID  string          `json:"sharing_group_id"`
	Comment         string          `json:"comment"`
	Deleted         bool            `json:"deleted"`
	Attribute       []mispAttribute `json:"Attribute"`
}

type mispTag struct {
	Name       string `json:"name"`
	Colour     string `json:"colour"`
	Exportable bool   `json:"exportable"`
}

type mispEventReport struct {
	UUID           string `json:"uuid"`
	Name           string `json:"name"`
	Content        string `json:"content"`
	Distribution   string `json:"distribution"`
	SharingGroupID string `json:"sharing_group_id"`
	Timestamp      string `json:"timestamp"`
	Deleted        bool   `json:"deleted"`
}

type mispEvent struct {
	UUID             string            `json:"uuid"`
	Info             string            `json:"info"`
	Date             string            `json:"date"`
	Timestamp        string            `json:"timestamp"`
	Published        bool              `json:"published"`
	PublishTimestamp string            `json:"publish_timestamp"`
	FirstPublication string            `json:"first_publication"`
	ThreatLevelID    string            `json:"threat_level_id"`
	Analysis         string            `json:"analysis"`
	Distribution     string            `json:"distribution"`
	SharingGroupID   string            `json:"sharing_group_id"`
	AttributeCount   string            `json:"attribute_count"`
	Tag              []mispTag         `json:"Tag"`
	Attribute        []mispAttribute   `json:"Attribute"`
	Object           []mispObject      `json:"Object"`
	EventReport      []mispEventReport `json:"EventReport"`
}

// mispInfoMax bounds the event's info, which the format wants at most 256
// characters long.
const mispInfoMax = 256

func (r *Report) renderMISP(w io.Writer) error {
	ev, err := r.mispEvent()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"Event": ev})
}

// mispEvent builds the event (see the comment at the top of the file).
func (r *Report) mispEvent() (*mispEvent, error) {
	text := untrusted.Text
	key := r.reportKey()
	ts := strconv.FormatInt(r.Created.Unix(), 10)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	attr := func(scope, relation, typ, category, value, comment string) mispAttribute {
		return mispAttribute{UUID: stableUUID("misp-attribute", key, scope, relation, typ, value, comment),
			Type: typ, Category: category, Value: value, Distribution: mispInherit, SharingGroupID: "0", Timestamp: ts,
			DisableCorrelation: typ != "sha256" && typ != "link", ObjectRelation: relation, Comment: comment}
	}
	ev := &mispEvent{UUID: stableUUID("misp-event", key),
		Info: mispInfo(fmt.Sprintf("leakprov: %s is %s, %s explained by known dumps", text(r.Sample.Path), r.Verdict, withCI(r.Explained))),
		Date: r.Created.UTC().Format("2006-01-02"), Timestamp: ts, PublishTimestamp: "0", FirstPublication: "0",
		ThreatLevelID: mispThreatLevel(r.Verdict), Analysis: "0", Distribution: mispYourOrganisation, SharingGroupID: "0",
		Tag:       []mispTag{{Name: fmt.Sprintf("leakprov:verdict=%q", string(r.Verdict)), Colour: mispVerdictColour(r.Verdict), Exportable: true}},
		Attribute: []mispAttribute{}, Object: []mispObject{}}
	if r.Fabrication.Suspected {
		ev.Tag = append(ev.Tag, mispTag{Name: `leakprov:fabrication="suspected"`, Colour: "#a11d2b", Exportable: true})
	}
	if !r.VerdictCertain {
		ev.Tag = append(ev.Tag, mispTag{Name: `leakprov:verdict-certain="false"`, Colour: "#7a4a08", Exportable: true})
	}
	if r.Claim != nil && !r.Claim.Consistent {
		ev.Tag = append(ev.Tag, mispTag{Name: `leakprov:claim="inconsistent"`, Colour: "#7a4a08", Exportable: true})
	}
	for _, k := range r.NovelFields {
		ev.Tag = append(ev.Tag, mispTag{Name: fmt.Sprintf("leakprov:novel-field=%q", k.String()), Colour: "#444444", Exportable: true})
	}

	for _, f := range r.Sample.Files {
		if isSHA256(f.SHA256) {
			ev.Attribute = append(ev.Attribute, attr("event", "", "sha256", "External analysis", f.SHA256, "SHA-256 of sample member "+text(f.Path)))
		}
	}
	ev.Attribute = append(ev.Attribute, attr("event", "", "text", "Other", string(r.Verdict), "leakprov verdict"))
	certain := "1"
	if !r.VerdictCertain {
		certain = "0"
	}
	ev.Attribute = append(ev.Attribute, attr("event", "", "boolean", "Other", certain,
		"the verdict is certain: the explained share's 95% interval straddles no threshold"))
	for _, p := range []struct {
		what string
		iv   Interval
	}{{"explained", r.Explained}, {"residual", r.Residual}} {
		ev.Attribute = append(ev.Attribute,
			attr("event", "", "float", "Other", num(p.iv.Estimate), p.what+" share of the identified records (estimate)"),
			attr("event", "", "float", "Other", num(p.iv.Low), p.what+" share, 95% interval low"),
			attr("event", "", "float", "Other", num(p.iv.High), p.what+" share, 95% interval high"))
	}
	if r.Claim != nil && r.Claim.BeforeLaunch != nil {
		bl := *r.Claim.BeforeLaunch
		what := "share of the explained records in dumps taken before " + text(r.Claim.Launched)
		ev.Attribute = append(ev.Attribute,
			attr("event", "", "float", "Other", num(bl.Estimate), what+" (estimate)"),
			attr("event", "", "float", "Other", num(bl.Low), what+", 95% interval low"),
			attr("event", "", "float", "Other", num(bl.High), what+", 95% interval high"))
	}
	for _, c := range r.Fabrication.Checks {
		ev.Attribute = append(ev.Attribute, attr("event", "", "float", "Other", num(c.Valid),
			fmt.Sprintf("fabrication check %s of %s: share passed of %d values%s", c.Check, c.Kind, c.Values, mispFlagged(c))))
	}
	made := text(r.Tool)
	if r.ToolVersion != "" {
		made += " " + text(r.ToolVersion)
	}
	ev.Attribute = append(ev.Attribute, attr("event", "", "text", "Internal reference", made, "report made by"))

	count := len(ev.Attribute)
	for _, s := range r.Sources {
		o := r.mispSource(s, key, ts, attr)
		count += len(o.Attribute)
		ev.Object = append(ev.Object, o)
	}
	ev.AttributeCount = strconv.Itoa(count)

	var md bytes.Buffer
	if err := r.renderMarkdown(&md); err != nil {
		return nil, err
	}
	ev.EventReport = []mispEventReport{{UUID: stableUUID("misp-event-report", key), Name: "leakprov report",
		Content: md.String(), Distribution: mispInherit, SharingGroupID: "0", Timestamp: ts}}
	return ev, nil
}

// mispSource is the object of one source.
func (r *Report) mispSource(s SourceResult, key, ts string, attr func(scope, relation, typ, category, value, comment string) mispAttribute) mispObject {
	text := untrusted.Text
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	scope := sourceKey(s)
	o := mispObject{UUID: stableUUID("misp-object", key, scope), Name: mispObjectName, MetaCategory: "misc",
		Description:  "A known dump that leakprov compared a leak with, and how much of the leak it explains.",
		TemplateUUID: stableUUID("misp-object-template", mispObjectName), TemplateVersion: "1",
		Timestamp: ts, Distribution: mispInherit, SharingGroupID: "0", Comment: text(sourceName(s))}
	add := func(relation, typ, category, value, comment string) {
		if value != "" {
			o.Attribute = append(o.Attribute, attr(scope, relation, typ, category, value, comment))
		}
	}
	add("name", "text", "Other", text(s.Name), "")
	add("snapshot", "text", "Other", text(s.Snapshot), "date the dump was taken")
	add("description", "text", "Other", text(s.Description), "")
	if link, ok := stixURL(s.URL); ok {
		add("url", "link", "External analysis", link, "where the source is documented")
	} else {
		add("url", "text", "Other", text(s.URL), "where the source is documented (not an http(s) URL)")
	}
	for _, k := range s.DataClasses {
		add("data-class", "text", "Other", k.String(), "kind of data the source holds")
	}
	for _, p := range []struct {
		what, comment string
		iv            Interval
	}{
		{"records", "share of identified records matching the source", s.Records},
		{"joint", "share matching it on two identifiers together", s.Joint},
		{"exclusive", "share it alone explains", s.Exclusive},
	} {
		add(p.what, "float", "Other", num(p.iv.Estimate), p.comment)
		add(p.what+"-low", "float", "Other", num(p.iv.Low), p.comment+", 95% interval low")
		add(p.what+"-high", "float", "Other", num(p.iv.High), p.comment+", 95% interval high")
	}
	for _, k := range canon.StrongKinds {
		f, ok := s.Fields[k]
		if !ok || !f.Held {
			continue
		}
		n := strings.ReplaceAll(csvKindName(k), "_", "-")
		add("containment-"+n, "float", "Other", num(f.Estimate), "share of the sample's "+k.String()+" values in the source")
		add("containment-"+n+"-low", "float", "Other", num(f.Low), k.String()+", 95% interval low")
		add("containment-"+n+"-high", "float", "Other", num(f.High), k.String()+", 95% interval high")
		add("chance-"+n, "float", "Other", num(f.Chance), k.String()+": hit rate by chance")
	}
	if g := s.TieGroup; g > 0 && g <= len(r.Ties) {
		add("tie-group", "counter", "Other", strconv.Itoa(g), "its tie group: sources matching the same records; the exclusive share is the group's")
		for _, name := range r.Ties[g-1] {
			if name != s.Name {
				add("tied-with", "text", "Other", text(name), "another source of its tie group")
			}
		}
	}
	for _, name := range s.NestedIn {
		add("nested-in", "text", "Other", text(name), "a larger source matching nearly all the records it matches")
	}
	significant := "0"
	if s.Significant {
		significant = "1"
	}
	add("significant", "boolean", "Other", significant, "the matches are evidence (not false positives or chance)")
	add("source-records", "counter", "Other", strconv.FormatUint(s.SourceRecords, 10), "records of the source dump")
	if isSHA256(s.SignatureSHA256) {
		add("signature-sha256", "sha256", "External analysis", s.SignatureSHA256, "SHA-256 of the source's leakprov signature file")
	}
	add("hash-mode", "text", "Other", text(s.HashMode), "how the signature hashes values")
	add("key-id", "text", "Other", text(s.KeyID), "ID of the signature's key")
	return o
}

// mispInfo makes s fit the event's info: one line of at most 256
// characters.
func mispInfo(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= mispInfoMax {
		return s
	}
	r := []rune(s)
	return string(r[:mispInfoMax-1]) + "…"
}

// mispVerdictColour is the verdict tag's colour.
func mispVerdictColour(v Verdict) string {
	switch v {
	case New:
		return "#a11d2b"
	case Mixed:
		return "#7a4a08"
	case Recycled:
		return "#1b6f37"
	}
	return "#555555"
}

// mispFlagged says of a flagged fabrication check that it is, and its
// weight.
func mispFlagged(c FabricationCheck) string {
	if !c.Flagged {
		return ""
	}
	return " (flagged, " + c.Weight + ")"
}
