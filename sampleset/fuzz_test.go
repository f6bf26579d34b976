package sampleset

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to a Reader: it must never panic or loop,
// every record must have one field per column, and every error must be a
// *ParseError or stick.
func FuzzReader(f *testing.F) {
	seeds := [][]byte{
		[]byte("name,phone,email\nИванов Иван,+380501234567,ivan@example.com\n"),
		[]byte("ПІБ;Телефон\r\nШевченко Тарас;0501234567\r\n\"Коваленко; Олена\";\"050 123\"\"45\"\r\n"),
		[]byte("a\tb\n1\t2\n"),
		[]byte("a|b\n\"multi\nline\"|2\n"),
		[]byte("user@example.com:pass:word\nuser2@example.org:qwerty\n"),
		[]byte("{\"name\":\"Іван\",\"contact\":{\"phone\":\"+380501234567\"},\"tags\":[1,2],\"n\":1.50}\n{\"x\":null}\n"),
		[]byte("a,b\n1,\"unclosed\n2,3\n"),
		[]byte("a,b\n1,\"2\"x\n"),
		[]byte("a,b\n1,2\x00\n"),
		[]byte("\xef\xbb\xbfa,b\n1,2\n"),
		[]byte("\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00"),
		[]byte("\xfe\xff\x00a\x00,\x00b\x00\n"),
		[]byte("\xc8\xe2\xe0\xed\xee\xe2,\xca\xe8\xe5\xe2\n"), // windows-1251
		[]byte("\xe9\xd7\xc1\xce\xcf\xd7,\xeb\xc9\xc5\xd7\n"), // koi8
		[]byte("\x88\xa2\xa0\xad\xae\xa2,\x8a\xa8\xa5\xa2\n"), // cp866
		{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff},
		[]byte(""),
		[]byte("\n\n\n"),
		[]byte("{\"a\":\n"),
		[]byte("[\n  {\"name\": \"Іван\", \"phone\": \"+380501234567\"},\n  {\"name\": \"Олена\", \"tags\": [1, 2]}\n]\n"),
		[]byte(`[{"a":1},{"a":"x","b":{"c":null}},[1],{"a":"unclosed}]`),
		[]byte(`{"_id":{"$oid":"5c79f3aa1c9d440000a1b2c3"},"born":{"$date":{"$numberLong":"-315619200000"}},"n":{"$numberLong":"380501234567"},"u":{"$binary":{"base64":"EjRWeJCrze8SNFZ4kKvN7w==","subType":"04"}}}` + "\n"),
		[]byte("{\n\t\"_id\": {\n\t\t\"$oid\": \"5c79f3aa1c9d440000a1b2c3\"\n\t},\n\t\"d\": {\"$date\": \"2019-03-01T00:00:00Z\"}\n}\n"),
		[]byte("a,b\r\n1,\"2\"\r"),
		[]byte("a;b\nab\"c;\"d\"\n"),
	}
	for _, s := range seeds {
		f.Add(s, false, uint8(0))
		f.Add(s, true, uint8(1))
	}
	var gz bytes.Buffer
	gz.Write(gzipBytes(f, []byte("a,b\n1,2\n")))
	f.Add(gz.Bytes(), false, uint8(2))

	f.Fuzz(func(t *testing.T, data []byte, skipBad bool, header uint8) {
		r := NewReader(bytes.NewReader(data))
		r.SkipBad = skipBad
		r.Header = HeaderMode(header % 3)
		r.MaxRecordBytes = 4096
		r.MaxFields = 64
		r.SniffRecords = 8
		cols, colErr := r.Columns()
		var records int64
		for calls := 0; ; calls++ {
			if calls > len(data)+100 {
				t.Fatalf("Read does not end: %d calls for %d bytes", calls, len(data))
			}
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					if _, err2 := r.Read(); !errors.Is(err2, err) && err2 != err {
						t.Fatalf("error %v did not stick: then %v", err, err2)
					}
					return // an I/O, gzip or configuration error
				}
				if skipBad && r.err == nil {
					t.Fatalf("SkipBad returned a parse error: %v", err)
				}
				if pe.Line < 1 {
					t.Fatalf("error without a line: %v", err)
				}
				if r.err != nil {
					return // binary input
				}
				continue
			}
			records++
			if colErr == nil && cols != nil && len(rec) != len(cols) {
				t.Fatalf("record of %d fields, %d columns", len(rec), len(cols))
			}
		}
		if got := r.Info().Records; got != records {
			t.Fatalf("Info.Records %d, read %d", got, records)
		}
	})
}
