package provenance_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/provenance"
	"github.com/leakprov/leakprov/provenance/index"
	"github.com/leakprov/leakprov/sampleset"
)

// people writes synthetic people as CSV, those numbered in each range
// [first, last]: a name made of common Ukrainian names, and the phone
// +38050000NNNN.
func people(ranges ...[2]int) string {
	given := []string{"Іван", "Олена", "Андрій", "Марія", "Петро", "Ганна", "Тарас", "Оксана"}
	family := []string{"Петренко", "Коваленко", "Шевчук", "Бондар", "Ткаченко", "Мельник", "Кравченко", "Олійник"}
	var b strings.Builder
	b.WriteString("name,phone\n")
	for _, r := range ranges {
		for i := r[0]; i <= r[1]; i++ {
			fmt.Fprintf(&b, "%s %s,+38050000%04d\n", family[i/8%8], given[i%8], i)
		}
	}
	return b.String()
}

// Score matches a leaked sample against the signatures of known dumps: here
// a bank's customers 0-49 and a shop's 40-69, and a leak of people 10-64
// plus five that neither holds. (Below 30 identified records the verdict is
// "insufficient", so the leak has 60.)
func ExampleScore() {
	ctx := context.Background()
	cat := &provenance.Catalog{}
	for _, src := range []struct {
		name string
		ids  [2]int
	}{{"bank-2016", [2]int{0, 49}}, {"shop-2019", [2]int{40, 69}}} {
		sig, err := index.Build(ctx, index.Options{Name: src.name, Region: canon.UA, Created: time.Unix(0, 0)},
			index.Reader(src.name+".csv", strings.NewReader(people(src.ids))))
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := cat.Add(sig, ""); err != nil {
			fmt.Println(err)
			return
		}
	}

	leak := sampleset.NewReader(strings.NewReader(people([2]int{10, 64}, [2]int{100, 104})))
	rep, err := provenance.Score(ctx, cat, leak, provenance.Options{Region: canon.UA, SamplePath: "leak.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %.0f%% of %d records explained\n", rep.Verdict, 100*rep.Explained.Estimate, rep.Sample.Identified)
	for _, s := range rep.Sources {
		fmt.Printf("%s: %.0f%% of records, %.0f%% by it alone\n", s.Name, 100*s.Records.Estimate, 100*s.Exclusive.Estimate)
	}
	// Output:
	// recycled: 92% of 60 records explained
	// bank-2016: 67% of records, 67% by it alone
	// shop-2019: 42% of records, 25% by it alone
}
