package fingerprint_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/leakprov/leakprov/fingerprint"
	"github.com/leakprov/leakprov/fingerprint/canon"
)

// Build a signature, write it to a file atomically and read it back.
func ExampleWriteFile() {
	h, err := fingerprint.NewHasher(nil) // unkeyed: the file must not be shared
	if err != nil {
		log.Fatal(err)
	}
	enc := fingerprint.NewEncoder(h, canon.UA, []canon.Column{{Name: "pass", Kind: canon.Password}})
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{Meta: fingerprint.Metadata{
		Name:    "example dump",
		Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), // fixed, for byte-identical files
	}})
	if err != nil {
		log.Fatal(err)
	}
	for _, pw := range []string{"hunter2", "qwerty", "hunter2", " "} { // a blank is no value
		if err := b.Add(enc.Encode(nil, []string{pw})); err != nil {
			log.Fatal(err)
		}
	}
	sig, err := b.Finish()
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "lps-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "example.lps")
	if err := fingerprint.WriteFile(path, sig); err != nil {
		log.Fatal(err)
	}

	got, err := fingerprint.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	pw := got.Field(canon.Password)
	fmt.Println(got.Meta.Name, "records:", got.Meta.Records, "hashing:", got.Meta.HashMode)
	fmt.Println("do not share:", got.Meta.DoNotShare())
	fmt.Println("passwords:", pw.Values, "valid:", pw.Valid, "distinct:", pw.DistinctCount())
	fmt.Println("has hunter2:", pw.Filter.Has(h.Sum64(canon.Password, []byte("hunter2"))))
	// Output:
	// example dump records: 4 hashing: xxhash64-unkeyed
	// do not share: true
	// passwords: 3 valid: 3 distinct: 2
	// has hunter2: true
}

// A placeholder shows as held by many records: no personal identifier is.
func ExampleFrequent_Records() {
	h, err := fingerprint.NewHasher(nil)
	if err != nil {
		log.Fatal(err)
	}
	enc := fingerprint.NewEncoder(h, canon.UA, []canon.Column{{Name: "email", Kind: canon.Email}})
	b, err := fingerprint.NewBuilder(h, fingerprint.BuildOptions{Meta: fingerprint.Metadata{Name: "example dump"}})
	if err != nil {
		log.Fatal(err)
	}
	for i := range 1000 {
		email := fmt.Sprintf("person%d@example.org", i)
		if i%4 == 0 {
			email = "noemail@example.org" // written where the dump had none
		}
		if err := b.Add(enc.Encode(nil, []string{email})); err != nil {
			log.Fatal(err)
		}
	}
	sig, err := b.Finish()
	if err != nil {
		log.Fatal(err)
	}
	f := sig.Field(canon.Email).Frequent
	fmt.Println("noemail:", f.Records(h.Sum64(canon.Email, []byte("noemail@example.org"))))
	fmt.Println("person1:", f.Records(h.Sum64(canon.Email, []byte("person1@example.org"))) < 10)
	// Output:
	// noemail: 250
	// person1: true
}
