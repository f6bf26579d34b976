package sampleset

import (
	"context"
	"errors"
)

// Temporary stand-ins for names the reader branch adds; deleted at merge.

// Profile summarises a whole input (STUB).
type Profile struct{}

// Profile reads the input to the end (STUB).
func ReadProfile(ctx context.Context, r *Reader) (*Profile, error) {
	return nil, errors.New("not implemented")
}

// Sample draws a uniform sample (STUB).
func Sample(ctx context.Context, r *Reader, n int, seed uint64) ([][]string, error) {
	return nil, errors.New("not implemented")
}
