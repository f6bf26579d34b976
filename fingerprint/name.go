package fingerprint

// AppendName appends the canonical key of a person's name (STUB: to be
// replaced by the names work).
func AppendName(dst []byte, s string) ([]byte, Status) { return dst, Invalid }

// AppendText appends a normalised free-text value (address, username):
// NFKC, case-folded, punctuation and runs of space collapsed to one space
// (STUB).
func AppendText(dst []byte, s string) ([]byte, Status) { return dst, Invalid }
