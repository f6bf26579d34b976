package fingerprint

// AppendCard appends the canonical form of a bank card number (STUB).
func AppendCard(dst []byte, s string) ([]byte, Status) { return dst, Invalid }
