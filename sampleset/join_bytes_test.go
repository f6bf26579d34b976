package sampleset

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Joined.Bytes counts the bytes of the inputs as stored, as the records
// are read: it grows with them, and ends at the files' sizes (a
// compressed file's compressed size).
func TestJoinedBytes(t *testing.T) {
	var plain, zipped bytes.Buffer
	plain.WriteString("email,phone\n")
	for i := range 20000 {
		fmt.Fprintf(&plain, "user%d@example.com,+38050%07d\n", i, i)
	}
	zw := gzip.NewWriter(&zipped)
	_, err := zw.Write(plain.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	a := writeFile(t, "a.csv", plain.Bytes())
	b := writeFile(t, "b.csv.gz", zipped.Bytes())

	j, err := (&Opener{}).Join(context.Background(), a, b)
	require.NoError(t, err)
	defer j.Close()
	assert.Zero(t, j.Bytes(), "nothing read before All")
	var last int64
	grew, n := 0, 0
	for _, err := range j.All(context.Background()) {
		require.NoError(t, err)
		n++
		got := j.Bytes()
		require.GreaterOrEqualf(t, got, last, "record %d: bytes read never shrink", n)
		if got > last {
			grew++
		}
		last = got
	}
	require.Equal(t, 40000, n, "records of both files")
	fa, err := os.Stat(a)
	require.NoError(t, err)
	fb, err := os.Stat(b)
	require.NoError(t, err)
	assert.Equal(t, fa.Size()+fb.Size(), j.Bytes(), "all the bytes of both files, as stored")
	assert.Greater(t, j.Bytes(), fa.Size(), "past the first file, into the compressed one")
	assert.Greater(t, grew, 3, "the count grows while the records are read, not only at the end")

	// Read again, the count starts over.
	for range j.All(context.Background()) {
		assert.Less(t, j.Bytes(), fa.Size(), "the first record of a second reading")
		break
	}
}
