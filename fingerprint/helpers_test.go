package fingerprint

import (
	"os"
	"strconv"
)

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

func itoa(n int) string { return strconv.Itoa(n) }
