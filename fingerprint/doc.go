// Package fingerprint turns the values of a dump into hashes that match
// however the dump spelled them, and summarises a dump as a [Signature].
//
// # Canonical forms
//
// [Canonicalise] maps a value of a [Kind] to its canonical form: names to an
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
// reported as [CheckFailed]. The rules carry [CanonVersion], written into
// every signature.
//
// Hot-path costs on one core (go test -bench, amd64, a shared 2-core
// machine; all 0 allocs/op with a preallocated buffer):
//
//	AppendPhone (UA, RU, KZ, IN)    40–52 ns    (other countries: libphonenumber, ~23 µs)
//	AppendNationalID                 52 ns
//	AppendEmail                      51 ns     (Unicode domains through IDNA: ~670 ns)
//	AppendDate                       26 ns
//	AppendDocument                   42 ns
//	AppendCard                       57 ns
//	AppendName                      120–290 ns (decomposed or non-Cyrillic scripts: ~0.9–1.2 µs)
//	Hasher.Sum64                      9–39 ns  (xxhash64 unkeyed, SipHash-2-4 keyed)
//
// Indexing end to end (read, detect, canonicalise, hash, build) runs at
// about 19 MB/s (2.9 µs per record of four fields) on one core.
//
// # Hashing
//
// A [Hasher] hashes canonical values, separated by kind. Unkeyed hashing is
// xxhash64 with a fixed public seed: fast, but anyone holding an unkeyed
// signature can test a guessed value, so such files are marked do-not-share
// ([Metadata.DoNotShare]). Keyed hashing is SipHash-2-4 under per-kind keys
// derived with HMAC-SHA256 from a secret key of at least 256 bits; the key's
// public ID is recorded, and comparing across keys is an [ErrIncompatible]
// error, never a score.
//
// # Signatures
//
// A [Builder] makes a [Signature] in one pass with bounded memory: per kind,
// counts, a HyperLogLog distinct count, a Bloom [Filter] sized from that
// count (power-of-two sizes, so filters fold exactly and shards merge), a
// scaled MinHash, and date bounds; plus a pair filter of every two strong
// identifiers of one record. The result does not depend on record order,
// and shards built with one capacity [Merge] into the same signature as one
// build. [WriteFile] and [ReadFile] store it in the versioned .lps format
// described in format.go; decoding validates every length against the
// remaining bytes before allocating and checks CRC-32C per section and
// SHA-256 over the file.
//
// # Compatibility
//
// Within major version 1 of this module: exported names are only added;
// every .lps file written by a released version stays readable (golden files
// in testdata/golden are tested forever); hash functions never change under
// an existing [HashMode]; a change to any canonical form bumps
// [CanonVersion], and signatures of different versions refuse to compare
// rather than compare wrongly.
//
// # Concurrency
//
// [Hasher] is immutable and safe for concurrent use. [Encoder], [Builder]
// and [Filter] writes are not; a finished [Signature] may be read
// concurrently.
package fingerprint
