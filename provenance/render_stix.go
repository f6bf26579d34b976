package provenance

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/leakprov/leakprov/internal/untrusted"
)

// The STIX report is a STIX 2.1 bundle for the platforms CERTs share
// intelligence on (a TAXII server, OpenCTI, MISP's STIX import):
//
//   - an identity of leakprov (identity_class "system"), the creator of
//     every other object (created_by_ref);
//   - an incident: the leak, with the verdict as its description and a
//     label, and the report's figures as custom properties;
//   - per significant source, an incident: the earlier breach its dump
//     came from, described by its signature (the data classes it holds,
//     the signature file's SHA-256 as an external reference);
//   - per significant source, a relationship from the leak to it:
//     duplicate-of when the source alone matches at least the recycled
//     threshold of the records, derived-from otherwise (the leak took part
//     of its data from there), with the shares and their intervals as
//     custom properties. Both relationship types join objects of one type,
//     as STIX 2.1 asks, hence an incident for each source;
//   - a report (published at the time the report was made) whose
//     description is the evidence, referring to all of the above.
//
// Custom properties are top-level properties prefixed x_leakprov_ (STIX
// 2.1 section 11.1), which every STIX 2.1 consumer accepts or ignores, and
// an extension-definition of type toplevel-property-extension declares
// them (section 7.3, the mechanism STIX 2.1 prefers): the objects carrying
// them name it under "extensions". Values of custom properties are never
// null or empty arrays, which the STIX schemas refuse.
//
// Identifiers are UUIDv5 in a namespace of leakprov's own (not the one
// STIX reserves for observables), from stable inputs: the same report
// renders the same bundle, and the incident of a source is the same in
// every bundle that cites the same signature file. Timestamps are
// millisecond-precise UTC; an object's created and modified are the time
// the report was made (for a source's incident: when its signature was
// made).

// stixSpecVersion is the STIX version every object states.
const stixSpecVersion = "2.1"

// stixEpoch is the creation time of the objects that do not depend on a
// report: leakprov's identity and its extension definition.
var stixEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// uuidURLNamespace is RFC 4122's name space for URLs.
var uuidURLNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// stixNamespace is the UUIDv5 name space of leakprov's STIX identifiers
// and MISP UUIDs, itself named in the URL name space.
var stixNamespace = uuidV5(uuidURLNamespace, "https://github.com/leakprov/leakprov#stix")

// uuidV5 returns the name-based (SHA-1) UUID of name in ns (RFC 4122,
// section 4.3).
func uuidV5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// formatUUID writes u in the canonical 8-4-4-4-12 form.
func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// stableUUID returns the UUIDv5 of parts, joined by NUL, in leakprov's name
// space.
func stableUUID(parts ...string) string {
	return formatUUID(uuidV5(stixNamespace, strings.Join(parts, "\x00")))
}

// stixID returns the identifier of a STIX object of type typ named by parts.
func stixID(typ string, parts ...string) string {
	return typ + "--" + stableUUID(append([]string{typ}, parts...)...)
}

// stixTime writes t as STIX timestamps are: UTC, to the millisecond.
func stixTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// reportKey names one report among others: when it was made, of which
// sample (its path and members' SHA-256) and against which signatures.
// The identifiers of the report's own objects derive from it.
func (r *Report) reportKey() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", r.Created.UTC().Format(time.RFC3339Nano), r.Sample.Path)
	for _, f := range r.Sample.Files {
		fmt.Fprintf(h, "file\x00%s\x00%s\x00", f.Path, f.SHA256)
	}
	for _, s := range r.Sources {
		fmt.Fprintf(h, "source\x00%s\x00%s\x00", s.Name, s.SignatureSHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sourceKey names a source independently of any report: by its signature
// file when it was read from one, else by what its signature says.
func sourceKey(s SourceResult) string {
	if s.SignatureSHA256 != "" {
		return "sha256:" + s.SignatureSHA256
	}
	return "meta:" + s.Name + "\x00" + s.Snapshot + "\x00" + s.SignatureCreated.UTC().Format(time.RFC3339Nano)
}

// stixProperties lists every custom property of the bundle, the
// extension-definition's extension_properties.
var stixProperties = []string{
	"x_leakprov_claim", "x_leakprov_data_classes", "x_leakprov_exclusive", "x_leakprov_expected_by_chance",
	"x_leakprov_explained", "x_leakprov_fabrication", "x_leakprov_fields", "x_leakprov_hash_mode",
	"x_leakprov_identified", "x_leakprov_joint", "x_leakprov_key_id", "x_leakprov_nested_in", "x_leakprov_novel_fields",
	"x_leakprov_records", "x_leakprov_region", "x_leakprov_report_version", "x_leakprov_residual",
	"x_leakprov_sample", "x_leakprov_significant", "x_leakprov_snapshot", "x_leakprov_source_records",
	"x_leakprov_tied_with", "x_leakprov_ties", "x_leakprov_tool", "x_leakprov_tool_commit", "x_leakprov_tool_version", "x_leakprov_url",
	"x_leakprov_verdict", "x_leakprov_verdict_certain",
}

// stixObject is one STIX object; encoding/json writes its keys in order,
// so the bundle is byte-for-byte deterministic.
type stixObject map[string]any

// put sets k to v unless v is empty: STIX has no null, and its schemas
// refuse empty strings' cousins, empty lists and dictionaries.
func (o stixObject) put(k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if x == "" {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case []any:
		if len(x) == 0 {
			return
		}
	case map[string]any:
		if len(x) == 0 {
			return
		}
	}
	o[k] = v
}

// stixInterval is an interval as a custom property's value.
func stixInterval(iv Interval) map[string]any {
	return map[string]any{"estimate": iv.Estimate, "low": iv.Low, "high": iv.High}
}

func (r *Report) renderSTIX(w io.Writer) error {
	b := r.stixBundle()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// stixBundle builds the bundle (see the comment at the top of the file).
func (r *Report) stixBundle() stixObject {
	text := untrusted.Text
	key := r.reportKey()
	created := stixTime(r.Created)
	identity := stixID("identity", "leakprov")
	extension := stixID("extension-definition", "leakprov", "report-properties", "1")
	extensions := map[string]any{extension: map[string]any{"extension_type": "toplevel-property-extension"}}
	epoch := stixTime(stixEpoch)
	sdo := func(typ, id, when string) stixObject {
		return stixObject{"type": typ, "spec_version": stixSpecVersion, "id": id, "created": when, "modified": when, "created_by_ref": identity}
	}

	tool := stixObject{"type": "identity", "spec_version": stixSpecVersion, "id": identity, "created": epoch, "modified": epoch,
		"name": "leakprov", "identity_class": "system",
		"description": "leakprov: tells whether leaked data is a new breach or recycled from known dumps, from signatures of those dumps."}
	ext := sdo("extension-definition", extension, epoch)
	ext["name"] = "leakprov report properties"
	ext["description"] = "The figures of a leakprov report (shares of the sample's records explained by each source, with 95% intervals; the verdict; fabrication and claim checks), as top-level properties prefixed x_leakprov_."
	ext["schema"] = "The properties are those of leakprov's JSON report (report_version 1) of the same names without the x_leakprov_ prefix; shares are objects of estimate, low and high, decimal fractions."
	ext["version"] = "1.0.0"
	ext["extension_types"] = []string{"toplevel-property-extension"}
	ext["extension_properties"] = slices.Clone(stixProperties)

	leak := sdo("incident", stixID("incident", key), created)
	leak["name"] = "Leak provenance: " + text(r.Sample.Path)
	leak.put("description", stixFirst(r.Evidence))
	leak["labels"] = []string{"leakprov-verdict-" + string(r.Verdict)}
	if !r.VerdictCertain {
		leak["labels"] = append(leak["labels"].([]string), "leakprov-verdict-uncertain")
	}
	leak["extensions"] = extensions
	leak["x_leakprov_verdict"] = string(r.Verdict)
	leak["x_leakprov_verdict_certain"] = r.VerdictCertain
	var ties []any
	for _, g := range r.Ties {
		ties = append(ties, stixNames(g))
	}
	leak.put("x_leakprov_ties", ties)
	leak["x_leakprov_explained"] = stixInterval(r.Explained)
	leak["x_leakprov_residual"] = stixInterval(r.Residual)
	leak["x_leakprov_records"] = r.Sample.Records
	leak["x_leakprov_identified"] = r.Sample.Identified
	novel := []string{}
	for _, k := range r.NovelFields {
		novel = append(novel, k.String())
	}
	leak.put("x_leakprov_novel_fields", novel)
	leak["x_leakprov_fabrication"] = stixFabrication(r.Fabrication)
	if r.Claim != nil {
		leak["x_leakprov_claim"] = stixClaim(r.Claim)
	}
	var files, refs []any
	for _, f := range r.Sample.Files {
		files = append(files, map[string]any{"path": text(f.Path), "sha256": f.SHA256, "records": f.Records})
		if isSHA256(f.SHA256) {
			refs = append(refs, map[string]any{"source_name": "leakprov-sample", "description": "sample member " + text(f.Path),
				"hashes": map[string]any{"SHA-256": f.SHA256}})
		}
	}
	leak["x_leakprov_sample"] = map[string]any{"path": text(r.Sample.Path), "records": r.Sample.Records, "files": append([]any{}, files...)}
	leak.put("external_references", refs)

	objects := []any{tool, ext, leak}
	var sources, rels []any
	refIDs := []any{leak["id"]}
	for _, s := range r.Sources {
		if !s.Significant {
			continue
		}
		when := created
		if !s.SignatureCreated.IsZero() {
			when = stixTime(s.SignatureCreated)
		}
		skey := sourceKey(s)
		if s.SignatureSHA256 == "" && s.SignatureCreated.IsZero() {
			skey += "\x00" + key // no stable name: one per report
		}
		src := sdo("incident", stixID("incident", "source", skey), when)
		src["name"] = text(s.Name)
		about := s.Description
		if about == "" {
			about = "Known dump " + sourceName(s) + ", as its leakprov signature describes it."
		}
		src["description"] = text(about)
		src["extensions"] = extensions
		src.put("x_leakprov_snapshot", text(s.Snapshot))
		src.put("x_leakprov_region", text(s.Region))
		classes := []string{}
		for _, k := range s.DataClasses {
			classes = append(classes, k.String())
		}
		src.put("x_leakprov_data_classes", classes)
		src["x_leakprov_source_records"] = s.SourceRecords
		src.put("x_leakprov_hash_mode", s.HashMode)
		src.put("x_leakprov_key_id", text(s.KeyID))
		var srefs []any
		if isSHA256(s.SignatureSHA256) {
			srefs = append(srefs, map[string]any{"source_name": "leakprov-signature", "description": "leakprov signature file of " + text(s.Name),
				"hashes": map[string]any{"SHA-256": s.SignatureSHA256}})
		}
		if link, ok := stixURL(s.URL); ok {
			srefs = append(srefs, map[string]any{"source_name": "leakprov-source", "description": "where " + text(s.Name) + " is documented", "url": link})
		} else {
			src.put("x_leakprov_url", text(s.URL))
		}
		src.put("external_references", srefs)

		kind := "derived-from"
		if s.Records.Estimate >= r.Thresholds.RecycledAt {
			kind = "duplicate-of"
		}
		rel := sdo("relationship", stixID("relationship", key, skey), created)
		rel["relationship_type"] = kind
		rel["source_ref"] = leak["id"]
		rel["target_ref"] = src["id"]
		alone := "it alone"
		var tied []string
		if g := s.TieGroup; g > 0 && g <= len(r.Ties) {
			alone = "its tie group (" + strings.Join(r.Ties[g-1], ", ") + ") alone"
			for _, name := range r.Ties[g-1] {
				if name != s.Name {
					tied = append(tied, name)
				}
			}
		}
		rel["description"] = fmt.Sprintf("%s of the sample's identified records (95%% CI %s) match %s; %s match it on two identifiers together; %s is explained by %s.",
			pct(s.Records.Estimate), ci(s.Records), text(sourceName(s)), pct(s.Joint.Estimate), pct(s.Exclusive.Estimate), text(alone))
		rel["extensions"] = extensions
		rel["x_leakprov_records"] = stixInterval(s.Records)
		rel["x_leakprov_joint"] = stixInterval(s.Joint)
		rel["x_leakprov_exclusive"] = stixInterval(s.Exclusive)
		rel.put("x_leakprov_tied_with", stixNames(tied))
		rel.put("x_leakprov_nested_in", stixNames(s.NestedIn))
		rel["x_leakprov_significant"] = s.Significant
		rel["x_leakprov_expected_by_chance"] = s.ExpectedByChance
		fields := map[string]any{}
		for k, f := range s.Fields {
			fields[csvKindName(k)] = map[string]any{"estimate": f.Estimate, "low": f.Low, "high": f.High,
				"chance": f.Chance, "held": f.Held, "values": f.Values, "hits": f.Hits}
		}
		rel.put("x_leakprov_fields", fields)
		sources = append(sources, src)
		rels = append(rels, rel)
		refIDs = append(refIDs, src["id"], rel["id"])
	}
	objects = append(objects, sources...)
	objects = append(objects, rels...)

	rep := sdo("report", stixID("report", key), created)
	rep["name"] = "leakprov report: " + text(r.Sample.Path)
	rep["published"] = created
	rep["report_types"] = []string{"threat-report"}
	var ev []string
	for _, e := range r.Evidence {
		ev = append(ev, text(e))
	}
	rep.put("description", strings.Join(ev, "\n"))
	rep["object_refs"] = refIDs
	rep["extensions"] = extensions
	rep["x_leakprov_report_version"] = r.ReportVersion
	rep.put("x_leakprov_tool", text(r.Tool))
	rep.put("x_leakprov_tool_version", text(r.ToolVersion))
	rep.put("x_leakprov_tool_commit", text(r.ToolCommit))
	objects = append(objects, rep)

	return stixObject{"type": "bundle", "id": stixID("bundle", key), "objects": objects}
}

// stixFirst returns the first evidence sentence, the verdict's.
func stixFirst(evidence []string) string {
	if len(evidence) == 0 {
		return ""
	}
	return untrusted.Text(evidence[0])
}

func stixFabrication(f Fabrication) map[string]any {
	checks := []any{}
	for _, c := range f.Checks {
		m := map[string]any{"kind": c.Kind.String(), "check": c.Check, "valid": c.Valid, "values": c.Values, "passed": c.Passed, "flagged": c.Flagged}
		if c.Weight != "" {
			m["weight"] = c.Weight
		}
		if c.Region != "" {
			m["region"] = string(c.Region)
		}
		if c.Scheme != "" {
			m["scheme"] = c.Scheme
		}
		checks = append(checks, m)
	}
	return map[string]any{"suspected": f.Suspected, "checks": checks}
}

func stixClaim(c *Claim) map[string]any {
	findings := []any{}
	for _, f := range c.Findings {
		findings = append(findings, map[string]any{"check": f.Check, "passed": f.Passed, "detail": untrusted.Text(f.Detail)})
	}
	m := map[string]any{"schema": untrusted.Text(c.Schema), "consistent": c.Consistent, "findings": findings}
	if c.BeforeLaunch != nil {
		m["before_launch"] = stixInterval(*c.BeforeLaunch)
	}
	if c.System != "" {
		m["system"] = untrusted.Text(c.System)
	}
	return m
}

// stixNames returns source names made safe, as a custom property's list;
// nil for none, which put leaves out.
func stixNames(names []string) []any {
	var out []any
	for _, n := range names {
		out = append(out, untrusted.Text(n))
	}
	return out
}

// isSHA256 reports whether s is a SHA-256 in hex, as STIX hashes want it.
func isSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// stixURL returns link when it is an absolute http or https URL that
// needs no escaping, fit for an external reference.
func stixURL(link string) (string, bool) {
	if link == "" || untrusted.Text(link) != link || strings.ContainsAny(link, " ") {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return link, true
}
