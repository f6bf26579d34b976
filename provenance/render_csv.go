package provenance

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/untrusted"
)

// The CSV report is the per-source table, one row per source in the
// report's order (records matched, largest first), with a header row, for
// spreadsheets and pandas. Its columns, in order:
//
//	source, snapshot, region, path    the source, as its signature names it
//	significant                       true when its matches are evidence
//	records_estimate, _low, _high     share of identified records matching it
//	joint_estimate, _low, _high       share matching it on two identifiers
//	exclusive_estimate, _low, _high   share it alone explains (greedy cover)
//	K_held, K_estimate, K_low, K_high, K_chance
//	                                  per strong kind K (phone, email,
//	                                  national_id, passport, driver_licence,
//	                                  name_birth_date): whether the source
//	                                  holds it, the containment of the
//	                                  sample's values with its interval, and
//	                                  the chance rate; empty when the sample
//	                                  has no value of K
//	source_records                    records of the source dump
//	expected_by_chance                matches chance would give
//	joint_testable                    records a joint match could be found in
//	data_classes                      kinds the source holds, ;-joined
//	description, url                  what the source says of itself
//	signature_sha256, signature_created, hash_mode, key_id
//	                                  the signature compared with
//	sample, sample_sha256             the sample, and its members' SHA-256
//	                                  (;-joined, in member order)
//	verdict                           recycled, new, mixed or insufficient
//	explained_estimate, _low, _high   share explained by the sources
//	residual_estimate, _low, _high    share left unexplained
//	fabrication_suspected             the fabrication verdict
//	fabrication                       its checks, ;-joined KIND:CHECK:VALID:VALUES
//	created, tool, tool_version, tool_commit
//	                                  when and by what the report was made
//	verdict_certain                   false when the explained share's
//	                                  interval straddles a threshold
//	tie_group                         the source's tie group (its number
//	                                  in the JSON report's ties), or empty
//	tied_with                         the group's other members, ;-joined
//	nested_in                         the larger sources it is nested in,
//	                                  ;-joined
//
// The columns from verdict to tool_commit, and verdict_certain, repeat the
// report's own figures on every row, so that each row stands alone. The
// last four came later than the rest, and follow them so that readers by
// position keep working. Shares are decimal fractions (0.81),
// times RFC 3339 in UTC. Every string from a dump, a sample or a
// signature goes through untrusted.CSV, so that no cell starts a formula.

// csvKindName names a strong kind in the CSV's column names: the JSON name
// with "+" (name+birth_date) written "_", so that columns are identifiers.
func csvKindName(k canon.Kind) string { return strings.ReplaceAll(k.String(), "+", "_") }

// csvColumns returns the CSV report's header row.
func csvColumns() []string {
	cols := []string{"source", "snapshot", "region", "path", "significant"}
	for _, p := range []string{"records", "joint", "exclusive"} {
		cols = append(cols, p+"_estimate", p+"_low", p+"_high")
	}
	for _, k := range canon.StrongKinds {
		n := csvKindName(k)
		cols = append(cols, n+"_held", n+"_estimate", n+"_low", n+"_high", n+"_chance")
	}
	cols = append(cols, "source_records", "expected_by_chance", "joint_testable", "data_classes", "description", "url",
		"signature_sha256", "signature_created", "hash_mode", "key_id",
		"sample", "sample_sha256", "verdict")
	for _, p := range []string{"explained", "residual"} {
		cols = append(cols, p+"_estimate", p+"_low", p+"_high")
	}
	cols = append(cols, "fabrication_suspected", "fabrication", "created", "tool", "tool_version", "tool_commit")
	return append(cols, "verdict_certain", "tie_group", "tied_with", "nested_in")
}

func (r *Report) renderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns()); err != nil {
		return err
	}
	cell := untrusted.CSV
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	interval := func(row []string, iv Interval) []string {
		return append(row, num(iv.Estimate), num(iv.Low), num(iv.High))
	}
	// The report's own figures, the same on every row.
	var sums, fab []string
	for _, f := range r.Sample.Files {
		sums = append(sums, f.SHA256)
	}
	for _, c := range r.Fabrication.Checks {
		fab = append(fab, c.Kind.String()+":"+c.Check+":"+num(c.Valid)+":"+strconv.Itoa(c.Values))
	}
	tail := []string{cell(r.Sample.Path), cell(strings.Join(sums, ";")), string(r.Verdict)}
	tail = interval(tail, r.Explained)
	tail = interval(tail, r.Residual)
	tail = append(tail, strconv.FormatBool(r.Fabrication.Suspected), cell(strings.Join(fab, ";")),
		csvTime(r.Created), cell(r.Tool), cell(r.ToolVersion), cell(r.ToolCommit))
	for _, s := range r.Sources {
		row := []string{cell(s.Name), cell(s.Snapshot), cell(s.Region), cell(s.Path), strconv.FormatBool(s.Significant)}
		row = interval(row, s.Records)
		row = interval(row, s.Joint)
		row = interval(row, s.Exclusive)
		for _, k := range canon.StrongKinds {
			f, ok := s.Fields[k]
			if !ok {
				row = append(row, "", "", "", "", "")
				continue
			}
			row = append(row, strconv.FormatBool(f.Held))
			row = interval(row, f.Interval)
			row = append(row, num(f.Chance))
		}
		row = append(row, strconv.FormatUint(s.SourceRecords, 10), num(s.ExpectedByChance), strconv.Itoa(s.JointTestable),
			kindJoin(s.DataClasses), cell(s.Description), cell(s.URL),
			cell(s.SignatureSHA256), csvTime(s.SignatureCreated), cell(s.HashMode), cell(s.KeyID))
		row = append(row, tail...)
		group, tied := "", []string{}
		if g := s.TieGroup; g > 0 && g <= len(r.Ties) {
			group = strconv.Itoa(g)
			for _, name := range r.Ties[g-1] {
				if name != s.Name {
					tied = append(tied, name)
				}
			}
		}
		row = append(row, strconv.FormatBool(r.VerdictCertain), group, cell(strings.Join(tied, ";")), cell(strings.Join(s.NestedIn, ";")))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// kindJoin joins kinds with ";".
func kindJoin(ks []canon.Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.String()
	}
	return strings.Join(names, ";")
}

// csvTime writes t in RFC 3339, UTC; "" for the zero time.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
