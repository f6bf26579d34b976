// Command diia replays the 2020 Ukrainian case: a Telegram bot sold "26
// million driver's licences" and blamed the Diia app. The ministry showed
// the bot was built from old databases (a bank's customer base from before
// 2016, VK and LinkedIn password dumps) and held kinds of data Diia never
// held, and Ukraine has only 9.5 million licences. Here the same evidence
// comes out of leakprov, on synthetic data.
package main

import (
	"io"

	"github.com/leakprov/leakprov/examples/internal/demo"
	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
	"github.com/leakprov/leakprov/provenance"
)

func main() { demo.Main("diia", run) }

// run prints the case's report and returns it.
func run(w io.Writer) (*provenance.Report, error) {
	people := synth.People(canon.UA, 2020, 3000)
	bank := demo.Dump(people[:2000], synth.Ukrainian,
		demo.Column{Kind: canon.Name, Style: synth.FamilyFirst | synth.WithPatronymic | synth.Upper},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneSpaced},
		demo.Column{Kind: canon.BirthDate, Style: synth.DateDots},
		demo.Column{Kind: canon.NationalID})
	social := demo.Dump(people[1200:2600], synth.English,
		demo.Column{Kind: canon.FirstName, Style: synth.LatinKMU},
		demo.Column{Kind: canon.LastName, Style: synth.LatinKMU},
		demo.Column{Kind: canon.Email},
		demo.Column{Kind: canon.Password})
	// The bot's "licence" records: names, phones and birth dates from the
	// bank, e-mails and passwords from the social dump, licence numbers
	// made up.
	leak := demo.Dump(people[1000:2500], synth.Russian,
		demo.Column{Kind: canon.Name},
		demo.Column{Kind: canon.Phone, Style: synth.PhoneParen},
		demo.Column{Kind: canon.BirthDate, Style: synth.DateISO},
		demo.Column{Kind: canon.Email},
		demo.Column{Kind: canon.Password},
		demo.Column{Kind: canon.DriverLicence, Style: synth.DocNative})
	return demo.Case(w, canon.UA, []demo.Source{
		{Name: "bank-2016", Snapshot: "2016-03-01", Dump: bank},
		{Name: "social-2012", Snapshot: "2012-06-01", Dump: social},
	}, leak, "diia-driver-licence", 26_000_000)
}
