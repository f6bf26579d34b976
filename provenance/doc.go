// Package provenance answers, for a leaked sample, which known dumps explain
// it and how much, what is left unexplained, and what the accused system's
// schema, population and timeline say about the claim.
//
// [Score] reads a sample (a sampleset.Records: a *sampleset.Reader, or a
// *sampleset.Set drawn from one) against a [Catalog] of source signatures
// and returns a [Report]:
//
//   - per source: the share of identified records matching it on any strong
//     identifier or name+birth date (records), on two identifiers together
//     (joint: the same record, not just a known phone), and what it alone
//     explains in a greedy cover (exclusive); per kind, the containment of
//     the sample's values, corrected for the filter's false-positive rate
//     computed from its actual fill, (h − f)/(1 − f), with Wilson 95%
//     intervals (Brown, Cai and DasGupta's modification for 1 to 3 hits,
//     [ModifiedWilson]);
//   - explained and residual shares, the kinds no source explains (novel
//     fields), and a verdict: recycled, new, mixed or insufficient;
//   - a chance model (distinct values in a source over the plausible value
//     space of the kind in the region) and a Poisson test that keeps false
//     positives and chance collisions from counting as evidence;
//   - claim findings against a [Schema] of the accused system: kinds it does
//     not hold, precision beyond what it holds, format conformance, claimed
//     volume against its population, data older than its launch;
//   - fabrication checks: check-digit validity and the birth date embedded
//     in RNOKPP/IIN against the record's birth date;
//   - a freshness horizon and plain evidence sentences, strongest first.
//
// [Compare] measures dump-to-dump overlap from scaled MinHash sketches.
// Built-in schemas of the seed systems are embedded ([BuiltinSchemas]);
// users add their own in the same YAML format ([LoadSchema]).
//
// # Compatibility
//
// The report's JSON form is a contract (report_version 1, [ReportVersion]):
// fields are only ever added, never renamed or dropped, under one version.
// Exported names of this package are only added within major version 1.
//
// # Concurrency
//
// A loaded [Catalog] is safe for concurrent reads, so several Score calls
// may share one. A [Report] is a plain value.
package provenance
