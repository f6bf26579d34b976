// Command reserveplus replays the 2024 Ukrainian case: rumours of a Reserve+
// hack, while fake support chat-bots harvested people's data. A harvested
// set is new (no known dump explains it) and fits what Reserve+ holds: the
// overlap verdict alone cannot tell phishing from a breach, and the report
// says so rather than claiming more. Synthetic data.
package main

import (
	"io"

	"github.com/leakprov/leakprov/examples/internal/demo"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/provenance"
)

func main() { demo.Main("reserveplus", run) }

// run prints the case's report and returns it.
func run(w io.Writer) (*provenance.Report, error) {
	people := synth.People(canon.UA, 2024, 2000)
	old := demo.Dump(people[:1200], synth.Ukrainian,
		demo.Column{Kind: canon.Name, Style: synth.FamilyFirst},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneNational},
		demo.Column{Kind: canon.BirthDate, Style: synth.DateDots})
	harvested := demo.Dump(people[1200:1800], synth.Ukrainian,
		demo.Column{Kind: canon.Name, Style: synth.FamilyFirst | synth.WithPatronymic},
		demo.Column{Kind: canon.BirthDate, Style: synth.DateDots},
		demo.Column{Kind: canon.NationalID},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneE164})
	return demo.Case(w, canon.UA, []demo.Source{
		{Name: "delivery-2022", Snapshot: "2022-11-01", Dump: old},
	}, harvested, "reserve-plus", 0)
}
