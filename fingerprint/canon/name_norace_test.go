//go:build !race

package canon

const nameRaceEnabled = false
