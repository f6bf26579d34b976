// Package fingerprint turns the canonical values of a dump (see package
// canon) into hashes and summarises a dump as a [Signature]: hashing,
// sketches, building, merging and the .lps file format.
//
// Costs (go test -bench, amd64, a shared 2-core machine; 0 allocs/op):
// Hasher.Sum64 4–9 ns unkeyed and 13–20 ns keyed for 8 to 32 bytes
// (BenchmarkHasher); a blocked Filter's Add 9–100 ns and Has 9–39 ns from
// 1 to 64 MiB, against 68–507 and 61–179 ns for the classic layout
// (BenchmarkFilter). Indexing end to end (read, detect, canonicalise, hash,
// build) runs at about 1.0–1.4M records a second of a four- or five-column
// dump on two cores (provenance BenchmarkIndex, scripts/bench --leak).
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
// A [Builder] makes a [Signature] in one pass with bounded memory: per
// kind, counts, a HyperLogLog distinct count ([Distinct]), a blocked Bloom
// [Filter] sized from that count (one cache line a value, about 16 bits a
// value at 0.1%), a scaled MinHash, and date bounds; plus a pair filter of
// every two strong identifiers of one record. An [Encoder] turns the
// records of a dump into the hashed values a Builder takes; package
// provenance/index does the whole build from files in one call. The result
// does not depend on record order, and shards built with one capacity
// [Merge] into the same signature as one build. [WriteFile] and [ReadFile]
// store it in the versioned .lps format described in format.go; decoding
// validates every length against the remaining bytes before allocating and
// checks CRC-32C per section and SHA-256 over the file.
//
// # Compatibility
//
// Within major version 1 of this module: exported names are only added;
// every .lps file written by a released version stays readable (golden files
// in testdata/golden are tested forever); hash functions never change under
// an existing [HashMode]; a signature records the canonicalisation rules'
// version (canon.Version), and signatures of versions that canon cannot
// compare (see canon.CompatibleSince and [Compatible]) refuse to compare
// rather than compare wrongly.
//
// # Concurrency
//
// [Hasher] is immutable and safe for concurrent use. [Encoder], [Builder]
// and [Filter] writes are not, but each fork of a Builder ([Builder.Fork])
// may be filled by a goroutine of its own; Finish fills the filters on
// several. A finished [Signature] may be read concurrently.
package fingerprint
