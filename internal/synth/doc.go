// Package synth makes synthetic leak data with known ground truth, for
// leakprov's tests, fixtures and benchmarks. It never uses real personal
// data: people are combined at random from built-in lists of common given
// names and surnames (Ukrainian, Russian, Kazakh, Indian), with random birth
// dates, phones in real mobile operator ranges, and national IDs and card
// numbers whose check digits are chosen so that the validators of package
// fingerprint accept them (or, for fabricated people, left random).
//
// The pieces:
//
//   - [Generator] makes unique [Person]s of a region, deterministically
//     from a seed (math/rand/v2 PCG);
//   - [Render] spells a person's field the messy ways real dumps do: names
//     in either order, in capitals, with a patronymic, in Latin under KMU 55
//     ([KMU]) or ICAO 9303 ([ICAO]); phones in national and international
//     formats; dates ISO or day-first; IDs with their leading zeros
//     stripped; licence numbers with Cyrillic or Latin look-alike letters;
//   - [Marshal] writes a [Table] as CSV (any delimiter, CRLF, header or
//     not), JSON lines (flat or nested) or a combolist, in UTF-8 (with or
//     without BOM), Windows-1251, KOI8-U/R, CP866 or UTF-16, optionally
//     gzipped;
//   - [Scenario] builds old dumps from one world of people and a leaked
//     sample drawn from them with exact shares plus new people, and
//     computes its [Truth] in the format of the acceptance truth.json.
package synth
