// Command cowin replays the 2023 Indian case: a Telegram bot returned CoWIN
// vaccination details for a phone number, and a forum leak held addresses
// and COVID test results. The minister said the bot's data came from a
// threat actor's database filled with earlier stolen data; CoWIN holds no
// addresses and no test results, and only the year of birth. Synthetic data.
package main

import (
	"io"

	"github.com/leakprov/leakprov/examples/internal/demo"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/provenance"
)

func main() { demo.Main("cowin", run) }

// run prints the case's report and returns it.
func run(w io.Writer) (*provenance.Report, error) {
	people := synth.People(canon.IN, 2023, 2500)
	broker := demo.Dump(people[:2000], synth.English,
		demo.Column{Kind: canon.Name, Style: synth.Upper},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneNational},
		demo.Column{Kind: canon.NationalID},
		demo.Column{Kind: canon.BirthDate, Style: synth.DateDash})
	// The forum leak: mostly the broker's people, with addresses.
	leak := demo.Dump(append(append([]synth.Person{}, people[300:1700]...), people[2000:2100]...), synth.English,
		demo.Column{Kind: canon.Name},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneIntl},
		demo.Column{Kind: canon.NationalID},
		demo.Column{Kind: canon.Address})
	return demo.Case(w, canon.IN, []demo.Source{
		{Name: "broker-2021", Snapshot: "2021-06-01", Dump: broker},
	}, leak, "cowin-beneficiary", 0)
}
