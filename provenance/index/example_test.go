package index_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance/index"
)

// Build reads a source dump, canonicalises and hashes every value, and
// returns its signature with full metadata. With Created fixed, the same
// bytes give the same signature. (Synthetic data.)
func ExampleBuild() {
	const dump = `ПІБ,Телефон,Дата народження
Петренко Іван,+380501234567,03.04.1990
Коваленко Олена,050 123 45 68,21.11.1985
Шевчук Андрій,(050) 123-45-69,07.07.1979
`
	sig, err := index.Build(context.Background(), index.Options{
		Name:     "shop-2019",
		Snapshot: "2019-05-01",
		Region:   canon.UA,
		Created:  time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	}, index.Reader("shop.csv", strings.NewReader(dump)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sig.Meta.Name, sig.Meta.Snapshot, sig.Meta.Records, "records")
	for _, f := range sig.Fields {
		fmt.Printf("%s: %d valid of %d\n", f.Kind, f.Valid, f.Values)
	}
	in := sig.Meta.Inputs[0]
	fmt.Println(in.Path, in.Records, "records")
	fmt.Println("sha256", in.SHA256) // of the bytes read
	if bd := sig.Field(canon.BirthDate); bd != nil {
		fmt.Println("born", bd.MinDate, "to", bd.MaxDate)
	}
	// Output:
	// shop-2019 2019-05-01 3 records
	// name: 3 valid of 3
	// phone: 3 valid of 3
	// birth_date: 3 valid of 3
	// name+birth_date: 3 valid of 3
	// shop.csv 3 records
	// sha256 2289ba6ee0eae898cd76c232d1eb8a7e94dd1d1ed7c769fe9af13a77e9934caa
	// born 1979-07-07 to 1990-04-03
}
