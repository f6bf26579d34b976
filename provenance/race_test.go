//go:build race

package provenance

// raceEnabled: under the race detector, the simulations that build sources
// of hundreds of thousands or millions of records are skipped: they test
// statistics, not concurrency, and the detector makes them take minutes.
const raceEnabled = true
