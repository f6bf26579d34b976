// Command kindergarten replays the Kazakh case: pages collected parents'
// IIN, phone and digital-signature key passwords for an Astana kindergarten
// queue that needs none of the keys. The queue holds no signature keys or
// passwords, so a set with them did not come from it. Synthetic data.
package main

import (
	"io"

	"github.com/leakprov/leakprov/examples/internal/demo"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/provenance"
)

func main() { demo.Main("kindergarten", run) }

// run prints the case's report and returns it.
func run(w io.Writer) (*provenance.Report, error) {
	parents := synth.People(canon.KZ, 2022, 1500)
	telecom := demo.Dump(parents[:900], synth.Russian,
		demo.Column{Kind: canon.Name, Style: synth.FamilyFirst | synth.Upper},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneTrunk8},
		demo.Column{Kind: canon.NationalID})
	phished := demo.Dump(parents[600:1100], synth.Kazakh,
		demo.Column{Kind: canon.Name, Style: synth.FamilyFirst},
		demo.Column{Kind: canon.NationalID},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneIntl},
		demo.Column{Kind: canon.Password})
	return demo.Case(w, canon.KZ, []demo.Source{
		{Name: "telecom-2019", Snapshot: "2019-09-01", Dump: telecom},
	}, phished, "e-astana-kindergarten", 0)
}
