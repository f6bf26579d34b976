//go:build !race

package fingerprint

const nameRaceEnabled = false
