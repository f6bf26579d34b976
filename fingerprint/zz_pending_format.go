package fingerprint

import "errors"

// ReadFile reads a signature file (STUB until the format lands).
func ReadFile(path string) (*Signature, error) { return nil, errors.New("not implemented") }

// WriteFile writes a signature file atomically (STUB).
func WriteFile(path string, s *Signature) error { return errors.New("not implemented") }
