// Package canon owns what a value of a dump means: field kinds ([Kind]),
// regions ([Region]), canonical forms and check digits. It depends on
// nothing else in this module; the readers (sampleset) and the signatures
// (fingerprint) both build on it.
//
// [Append] maps a value of a [Kind] to its canonical form: names to an
// order-insensitive key equal across Cyrillic and its Latin spellings under
// the Ukrainian KMU-55 and the ICAO 9303 standards ([AppendName]); phones to
// E.164 ([AppendPhone]); e-mails lower-cased with gmail dots and +tags
// folded ([AppendEmail]); dates to ISO 8601 ([AppendDate]); national IDs to
// digits with spreadsheet-stripped zeros restored and check digits verified
// ([AppendNationalID]: UA RNOKPP, KZ IIN, IN Aadhaar, RU INN); passports and
// licences upper-cased with Cyrillic/Latin look-alikes folded
// ([AppendDocument]); cards with Luhn ([AppendCard]). A value that has no
// canonical form is [Invalid] and never hashed; a national ID or card with a
// wrong check digit is hashed (copies of a fabricated set still match) but
// reported as [CheckFailed]. The rules carry [Version], written into
// every signature.
//
// Hot-path costs on one core (go test -bench, amd64, a shared 2-core
// machine; all 0 allocs/op with a preallocated buffer):
//
//	AppendPhone (UA, RU, KZ, IN)    40–52 ns    (other countries: libphonenumber, ~23 µs)
//	AppendNationalID                 52 ns
//	AppendEmail                      51 ns     (A-labels checked: ~+50 ns a label; Unicode domains through IDNA: ~670 ns)
//	AppendDate                       26 ns
//	AppendDocument                   42 ns
//	AppendCard                       57 ns
//	AppendName                      100–200 ns (values of ASCII and Cyrillic letters; accents, decomposed letters, other scripts: ~0.4–1.5 µs)
//
// Values written with digits of other scripts or full-width forms are
// folded first, at one allocation (AppendPhone: ~0.2–0.3 µs); document
// numbers fold them without allocating.
//
// A [Normaliser] canonicalises whole records: each column's value once,
// name parts assembled into one name, and the (name, birth_date) pair that
// identifies a person.
//
// # Compatibility
//
// Within major version 1 of this module exported names are only added, and
// a change to any canonical form bumps [Version]. Signatures made under
// versions from [CompatibleSince] to Version still compare, since they
// differ only for rare values that [Differences] names (reports say so);
// signatures of other versions refuse to compare rather than compare
// wrongly, and shards merge only under one version.
//
// Version 2 reads the decimal digits of every script and full-width forms
// as ASCII in phones, national IDs, cards, dates and document numbers
// (numeric.go), brings e-mail local parts to NFC and enforces the RFC 5321
// length limits on them, and refuses reserved and invalid IDNA labels in
// e-mail domains (idna.go). Every other value canonicalises as in version
// 1.
//
// # Concurrency
//
// Every function of this package is safe for concurrent use. A
// [Normaliser] reuses its buffers and is not: make one per goroutine.
package canon
