// Package sampleset reads leaked dumps and samples of them as streams of
// records, member by member.
//
// Leaks arrive as archives of files, SQL dumps of many tables, workbooks
// of many sheets. An [Opener] takes paths (files, directories, globs, "-"
// for standard input) and yields each table-like stream inside as a
// [Member] named container!member ("leak.zip!users.csv",
// "dump.sql.gz!customers", "book.xlsx!Sheet1"): it undoes gzip, bzip2, xz
// and zstd compression, unpacks zip, 7z and tar archives (nested one level
// deep), splits mysqldump and pg_dump files into their tables and XLSX
// workbooks into their sheets, all recognised by content, within [Limits]
// that refuse compression bombs, archives of too many entries and names
// that climb out of their archive. [Joined] reads several members as one
// sample.
//
// A [Reader] reads one member, or any [io.Reader], and works out, from the
// data alone, what it holds:
//
//   - compression: gzip is recognised by its magic bytes, whatever the
//     file's name (an Opener undoes the others too);
//   - text encoding: byte order marks (UTF-8, UTF-16 LE/BE), UTF-16
//     without one, plain UTF-8, and else the Cyrillic code pages
//     Windows-1251, KOI8-U, CP866, ISO-8859-5, Mac Cyrillic and CP855,
//     chosen by how Cyrillic-like each candidate decoding looks (or
//     refused with [ErrAmbiguousEncoding] when that does not tell);
//   - format: JSON lines (one object per line, nested keys flattened to
//     "a.b"), JSON text (top-level arrays of objects, as "mongoexport
//     --jsonArray" writes, or pretty-printed objects; MongoDB extended JSON
//     wrappers unwrapped) or delimited text, with the delimiter sniffed
//     among , ; TAB | and, for email:password combolists, ':';
//   - header: whether the first record names the columns ([SniffHeader]);
//   - columns: each column's field kind ([DetectColumns]).
//
// Every guess can be overridden by a Reader field. Memory stays bounded
// whatever the input: no record may exceed Reader.MaxRecordBytes, and a bad
// record yields a [*ParseError] with its line number, or, with
// Reader.SkipBad, a skip counted in [Info].Skipped. Nothing is dropped
// silently.
//
// A Reader and a [Set] are [Records]: their All method is the one loop
// over records that indexing, scoring and profiling share, and [Process]
// runs it on one goroutine while workers handle the records. On top of the
// Reader, [Sample] draws a uniform random sample of records from a stream
// of unknown length (reservoir sampling with a recorded seed) into a Set,
// and [ReadProfile] summarises a whole input per column.
package sampleset
