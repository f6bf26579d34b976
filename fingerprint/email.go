package fingerprint

// AppendEmail appends the canonical form of an e-mail address (STUB).
func AppendEmail(dst []byte, s string) ([]byte, Status) { return dst, Invalid }
