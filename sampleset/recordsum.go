package sampleset

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// RecordSum takes a SHA-256 over records rather than bytes, for inputs that
// have no bytes of their own: a table of a SQL dump, a sheet of a
// workbook, records already read. Each record adds its field count, then
// each field's length and bytes, so that no two different sequences of
// records hash alike. A RecordSum is not safe for concurrent use.
type RecordSum struct {
	h   hash.Hash
	buf []byte
}

// NewRecordSum returns an empty RecordSum.
func NewRecordSum() *RecordSum { return &RecordSum{h: sha256.New()} }

// Add adds a record.
func (s *RecordSum) Add(rec []string) {
	s.buf = binary.AppendUvarint(s.buf[:0], uint64(len(rec)))
	for _, f := range rec {
		s.buf = binary.AppendUvarint(s.buf, uint64(len(f)))
		s.buf = append(s.buf, f...)
	}
	s.h.Write(s.buf)
}

// Sum returns the hex SHA-256 of the records added so far.
func (s *RecordSum) Sum() string { return hex.EncodeToString(s.h.Sum(nil)) }
