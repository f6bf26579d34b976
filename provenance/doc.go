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
//   - the records counted are the sample's distinct records: a record
//     carrying exactly the strong identifiers of an earlier one is a
//     duplicate and counts once (sample.distinct is the denominator of
//     every record share; sample.duplicates, duplicate_share), and a value
//     held by unusually many records (at least 1 in 1,000 distinct records
//     and 10, or 1 in 100 rows and 100: placeholders such as 0000000000,
//     shared values) is no identifier: it is left out of every figure and
//     counted in sample.frequent_values; a record with nothing else is not
//     identified. All records are held until the sample is read, about 10
//     bytes an identifier. A value the source's own counts
//     (fingerprint.Frequent) say many of its records hold (the same rule on
//     its records) is no match of that source: sources[].frequent_only
//     counts the records found in it on such values only;
//   - tie groups: sources whose matched record sets have a Jaccard
//     similarity of at least 0.95, once the false and chance matches
//     expected of each are allowed for (the same dump under two names).
//     The cover takes a group as one source and every member shows the
//     group's exclusive share, rather than the first in the catalog taking
//     all; a source 95% of whose matched records a larger one also matches
//     is reported nested in it, since the cover leaves it little of its
//     own;
//   - explained and residual shares, the kinds no source explains (novel
//     fields), and a verdict: recycled, new, mixed or insufficient, from
//     the point estimate; it is certain only when every share within the
//     95% interval gives the same verdict ([Thresholds.VerdictsWithin]),
//     else the report says so (verdict_certain false, and a sentence);
//   - a chance model, measured on the sample with decoys (values shaped
//     like the sample's that belong to no record of it: names paired with
//     other records' birth dates, phones and IDs with their last digits
//     drawn at random; see decoys.go), or else distinct values in a source
//     over the plausible value space of the kind in the region, and a
//     Poisson test that keeps false positives and chance collisions from
//     counting as evidence; records, exclusive and explained are corrected
//     alike: for values that belong to their holders (phones, IDs: false
//     positives only; names and birth dates: namesakes too), their low
//     bounds for made-up values (the full chance);
//   - claim findings against a [Schema] of the accused system: kinds it does
//     not hold, precision beyond what it holds, format conformance, claimed
//     volume against its population, data older than its launch. Time is
//     weighed by records, not by the newest source: each explained record
//     is dated by the oldest significant source matching it, and
//     predates-launch fails when over half of them (chance-corrected, with
//     a 95% interval) are in dumps taken before the launch. Per-record
//     dating is used rather than the exclusive shares as weights because
//     the greedy cover gives records shared by an old and a new dump to
//     the larger one, so the weights would follow size, not age (and tie
//     order); a record in a pre-launch dump existed before the system,
//     whichever dump the cover assigns it to;
//   - fabrication checks, each a line of its own, weighed into one
//     suspicion (see Fabrication below);
//   - a freshness horizon and plain evidence sentences, strongest first.
//
// [Compare] measures dump-to-dump overlap from scaled MinHash sketches.
// Built-in schemas of the seed systems are embedded ([BuiltinSchemas]);
// users add their own in the same YAML format ([LoadSchema]).
//
// # Fabrication
//
// Real registry data passes checks that made-up data tends to fail; each
// check is a [FabricationCheck], flagged when its failing share is above
// a tolerance for what real data shows (typing errors, placeholders,
// registry mistakes) at 95% confidence on at least 30 values. A flagged
// check of weight strong makes [Fabrication.Suspected] alone; weak ones
// (which real data can fail for reasons of its own) count only when weak
// checks of two kinds or more are flagged. The checks: check digits of national IDs (strong), under the
// sample's region's rules, which the report names; values that fail
// them but pass another region's are a wrong --region, not fabrication,
// and values with no form of the scheme at all (malformed) another kind of
// number; Luhn for cards (strong). Consistency: the birth date a valid
// RNOKPP (days since 1899-12-31) or IIN (YYMMDD and its century digit)
// encodes against the record's (strong; 1 January of the encoded year,
// the placeholder of an unknown day, agrees), and whether it is a
// possible birth date at all, within 120 years before now (strong: an
// IIN century digit of the 1800s, an RNOKPP counting into the future);
// the region code that starts an INN (strong: 00 is none). The sex the
// IDs encode is not checked against the record, as no field kind holds a
// sex. Distributions: valid IDs that are the number after another valid
// ID of the sample once check digits are set aside (strong; weak for
// INNs, which a tax office issues in sequence, and not flagged when the
// sample's IDs fill over 1% of the scheme's value space, where a
// complete extract is dense too); full birth dates, the 1st and 15th
// aside, on a 29th-31st against the calendar's 8.6% (weak: a day drawn
// from 1-28); ages outside 0-120 (weak); phones outside the ranges
// allocated to operators, which canon rejects (weak: old and local
// numbers fail too); the share on 1 January is reported, never weighed.
// Duplication: a national ID (strong) or phone (weak: families and
// reassigned numbers) held by several records whose names differ. These
// and the sequential check keep per-value state in hash samples of at
// most 4,096 values (about 0.5 MiB a worker): a value is kept when
// its mixed hash has at least level trailing zero bits, the level rising
// as needed; the sample is the same whatever the order of the records and
// however they are shared among workers, and the report gives its
// sampling share.
//
// A sample too large for one machine is read in parts, each into a
// [Tally] ([ReadPart], on any machine), and the tallies scored together
// ([ScoreTallies]) into the report Score makes of the whole sample.
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
