package sampleset_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/leakprov/leakprov/sampleset"
)

// A Reader works out the delimiter, the header and each column's kind from
// the data alone; All then yields the records. (Synthetic data.)
func ExampleReader() {
	const dump = `ПІБ;Телефон;Дата народження;Email
Петренко Іван;+380501234567;03.04.1990;ivan.petrenko@example.com
Коваленко Олена;050 123 45 68;21.11.1985;olena.k@example.com
Шевчук Андрій;(050) 123-45-69;07.07.1979;
`
	r := sampleset.NewReader(strings.NewReader(dump))
	cols, err := r.Columns()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cols {
		fmt.Printf("%s: %s\n", c.Name, c.Kind)
	}
	n := 0
	for _, err := range r.All(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	info := r.Info()
	fmt.Printf("%d records, delimiter %q, region %s\n", n, info.Delimiter, info.Region)
	// Output:
	// ПІБ: name
	// Телефон: phone
	// Дата народження: birth_date
	// Email: email
	// 3 records, delimiter ";", region UA
}

// Sample draws a uniform sample of a stream of unknown length; the same
// input, size and seed give the same records, in input order.
func ExampleSample() {
	var dump strings.Builder
	dump.WriteString("name,phone\n")
	for i := range 1000 {
		fmt.Fprintf(&dump, "Person %d,+38050000%04d\n", i, i)
	}
	s, err := sampleset.Sample(context.Background(), sampleset.NewReader(strings.NewReader(dump.String())), 3, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d records, seed %d\n", s.Len(), s.Info().Records, s.Seed())
	for rec := range s.All(context.Background()) {
		fmt.Println(rec)
	}
	// Output:
	// 3 of 1000 records, seed 42
	// [Person 92 +380500000092]
	// [Person 471 +380500000471]
	// [Person 955 +380500000955]
}
