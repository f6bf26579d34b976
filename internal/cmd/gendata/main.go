// Command gendata writes leakprov's bundled reference fixtures: synthetic
// leak scenarios with known truth (no real personal data), made by package
// internal/synth.
//
//	go run ./internal/cmd/gendata [-dir testdata]
//
// It writes, under the directory:
//
//   - ua/: a Ukrainian "Diia driving licences" claim: an old bank dump
//     (Windows-1251, semicolons, CRLF, RNOKPP, dd.mm.yyyy), a social-network
//     dump (JSON lines, names in KMU Latin, passwords), a combolist, and a
//     UTF-8 CSV sample mixing them with new people and a licence column;
//   - in/: an Indian "CoWIN" claim: a data broker's CSV and a shop's JSON
//     lines, and a TSV sample with an address column;
//   - kz/: a Kazakh kindergarten-queue claim whose new records carry
//     fabricated IINs;
//   - rp/: a Ukrainian "Reserve+ hack" rumour: a delivery service's 2022
//     customer CSV (name, phone, birth date), and a sample harvested by fake
//     Reserve+ support chat-bots: new people, none of them in the old dump,
//     with only what Reserve+ holds (name, birth date, RNOKPP, phone);
//   - each scenario's truth.json, in the acceptance scenarios' format, and
//     rows.csv, the truth of every sample record (what score --rows says);
//   - leak.csv, a copy of ua/sample.csv (the README's example leak);
//   - sources.tsv, the sources that make-catalog.sh indexes into catalog/.
//
// The output is deterministic: running it again gives identical bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakprov/leakprov/fingerprint/canon"
	"github.com/leakprov/leakprov/internal/synth"
)

func main() {
	dir := flag.String("dir", "testdata", "directory to write the fixtures into")
	flag.Parse()
	files, err := Fixtures()
	if err == nil {
		err = writeAll(*dir, files)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

// Fixtures builds every fixture file, keyed by its slash-separated path
// relative to the fixture directory.
func Fixtures() (map[string][]byte, error) {
	out := map[string][]byte{}
	var list bytes.Buffer
	list.WriteString("name\tsnapshot\tregion\tfile\n")
	for _, sc := range Scenarios() {
		res, err := sc.Build()
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
		for _, f := range res.Files {
			out[sc.Name+"/"+f.Path] = f.Data
		}
		tj, err := synth.MarshalTruth(res.Truth)
		if err != nil {
			return nil, err
		}
		out[sc.Name+"/truth.json"] = tj
		out[sc.Name+"/rows.csv"] = synth.MarshalTruthRows(res.Truth)
		for _, s := range sc.Sources {
			fmt.Fprintf(&list, "%s\t%s\t%s\t%s/%s\n", s.Name, s.Snapshot, sc.Region, sc.Name, s.File)
		}
	}
	out["leak.csv"] = out["ua/sample.csv"]
	out["sources.tsv"] = list.Bytes()
	return out, nil
}

func writeAll(dir string, files map[string][]byte) error {
	for p, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Kinds, shortened.
const (
	kName     = canon.Name
	kFirst    = canon.FirstName
	kLast     = canon.LastName
	kPhone    = canon.Phone
	kEmail    = canon.Email
	kBirth    = canon.BirthDate
	kID       = canon.NationalID
	kLicence  = canon.DriverLicence
	kAddress  = canon.Address
	kPassword = canon.Password
	kOther    = canon.Other
)

// styles is shorthand for a list of styles.
func styles(s ...synth.Style) []synth.Style { return s }

// Scenarios returns the bundled scenarios.
func Scenarios() []synth.Scenario {
	return []synth.Scenario{uaScenario(), inScenario(), kzScenario(), rpScenario()}
}

func uaScenario() synth.Scenario {
	return synth.Scenario{
		Name: "ua", Region: canon.UA, Seed: 20200617,
		Sources: []synth.SourceSpec{
			{
				DumpSpec: synth.DumpSpec{
					Name: "bank-2016", Snapshot: "2016-10-01", File: "sources/bank-2016.csv",
					Format: synth.Format{Layout: synth.CSV, Delimiter: ';', Encoding: synth.Windows1251, CRLF: true},
					Lang:   synth.Ukrainian,
					Columns: []synth.Column{
						{Kind: kName, Styles: styles(synth.FamilyFirst|synth.Upper, synth.FamilyFirst|synth.Upper,
							synth.FamilyFirst, synth.FamilyFirst|synth.WithPatronymic|synth.Upper)},
						{Kind: kPhone, Styles: styles(synth.PhoneNational, synth.PhoneSpaced, synth.PhoneParen)},
						{Kind: kBirth, Styles: styles(synth.DateDots)},
						{Header: "ІПН", Kind: kID, Styles: styles(synth.IDNumber)},
					},
				},
				Size: 3000,
			},
			{
				DumpSpec: synth.DumpSpec{
					Name: "social-2013", Snapshot: "2013-04-01", File: "sources/social-2013.jsonl",
					Format: synth.Format{Layout: synth.JSONL, Nested: true},
					Columns: []synth.Column{
						{Header: "profile.first_name", Kind: kFirst, Styles: styles(synth.LatinKMU, synth.LatinKMU, synth.LatinKMU|synth.Lower)},
						{Header: "profile.last_name", Kind: kLast, Styles: styles(synth.LatinKMU, synth.LatinKMU, synth.LatinKMU|synth.Lower)},
						{Header: "contacts.mobile", Kind: kPhone, Styles: styles(synth.PhoneDigits), Blank: 0.15},
						{Header: "contacts.email", Kind: kEmail},
						{Header: "password", Kind: kPassword},
					},
				},
				Size:   2000,
				Shared: []synth.Draw{{From: "bank-2016", Share: 0.30}},
			},
			{
				DumpSpec: synth.DumpSpec{
					Name: "combo-2017", Snapshot: "2017-06-01", File: "sources/combo-2017.txt",
					Format:  synth.Format{Layout: synth.Combo},
					Columns: []synth.Column{{Kind: kEmail}, {Kind: kPassword}},
				},
				Size:   1200,
				Shared: []synth.Draw{{From: "social-2013", Share: 0.50}},
			},
		},
		Sample: synth.SampleSpec{
			DumpSpec: synth.DumpSpec{
				File:   "sample.csv",
				Format: synth.Format{Layout: synth.CSV},
				Lang:   synth.Russian,
				Columns: []synth.Column{
					{Kind: kName, Styles: styles(synth.FamilyFirst, synth.FamilyFirst, synth.FamilyFirst|synth.Upper,
						0, synth.FamilyFirst|synth.LatinKMU|synth.Upper)},
					{Kind: kPhone, Styles: styles(synth.PhoneE164, synth.PhoneParen, synth.PhoneSpaced,
						synth.PhoneNational, synth.PhoneTrunk8)},
					{Kind: kBirth, Styles: styles(synth.DateISO, synth.DateISO, synth.DateDots)},
					{Header: "Email", Kind: kEmail, Blank: 0.6},
					{Kind: kLicence, Styles: styles(synth.DocNative, synth.DocNative, synth.DocLatin, synth.DocMixed,
						synth.DocNative|synth.DocSpaced)},
				},
			},
			Size:  2000,
			Draws: []synth.Draw{{From: "bank-2016", Share: 0.45}, {From: "social-2013", Share: 0.20}},
		},
		Claim: &synth.ClaimSpec{
			Schema:     "diia-driver-licence",
			Holds:      []canon.Kind{kName, kBirth, kLicence, kID, kOther},
			Population: 9_500_000,
			Checked:    []canon.Kind{kID},
		},
	}
}

func inScenario() synth.Scenario {
	return synth.Scenario{
		Name: "in", Region: canon.IN, Seed: 20230612,
		Sources: []synth.SourceSpec{
			{
				DumpSpec: synth.DumpSpec{
					Name: "broker-2020", Snapshot: "2020-07-01", File: "sources/broker-2020.csv",
					Format: synth.Format{Layout: synth.CSV},
					Columns: []synth.Column{
						{Header: "full_name", Kind: kName, Styles: styles(synth.Upper, synth.Upper, 0, synth.FamilyFirst|synth.Upper)},
						{Header: "mobile", Kind: kPhone, Styles: styles(synth.PhoneNational, synth.PhoneNational, synth.PhoneDigits)},
						{Header: "id_number", Kind: kID, Styles: styles(synth.IDPlain)},
						{Header: "dob", Kind: kBirth, Styles: styles(synth.DateDash, synth.DateSlash)},
					},
				},
				Size: 3000,
			},
			{
				DumpSpec: synth.DumpSpec{
					Name: "shop-2021", Snapshot: "2021-11-15", File: "sources/shop-2021.jsonl",
					Format: synth.Format{Layout: synth.JSONL},
					Columns: []synth.Column{
						{Header: "customer_name", Kind: kName},
						{Header: "phone", Kind: kPhone, Styles: styles(synth.PhoneE164)},
						{Header: "email", Kind: kEmail, Styles: styles(synth.EmailPlain, synth.EmailPlain, synth.EmailUpper)},
						{Header: "shipping_address", Kind: kAddress},
					},
				},
				Size:   1200,
				Shared: []synth.Draw{{From: "broker-2020", Share: 0.25}},
			},
		},
		Sample: synth.SampleSpec{
			DumpSpec: synth.DumpSpec{
				File:   "sample.tsv",
				Format: synth.Format{Layout: synth.CSV, Delimiter: '\t'},
				Columns: []synth.Column{
					{Header: "full_name", Kind: kName, Styles: styles(0, 0, synth.Upper)},
					{Header: "mobile", Kind: kPhone, Styles: styles(synth.PhoneIntl, synth.PhoneIntl, synth.PhoneNational)},
					{Header: "id_number", Kind: kID, Styles: styles(synth.IDPlain, synth.IDSpaced)},
					{Header: "address", Kind: kAddress},
				},
			},
			Size:  1500,
			Draws: []synth.Draw{{From: "broker-2020", Share: 0.85}, {From: "shop-2021", Share: 0.08}},
		},
		Claim: &synth.ClaimSpec{
			Schema:  "cowin-beneficiary",
			Holds:   []canon.Kind{kName, kBirth, kPhone, kID, canon.Passport, kLicence, kOther},
			Checked: []canon.Kind{kID},
		},
	}
}

func kzScenario() synth.Scenario {
	return synth.Scenario{
		Name: "kz", Region: canon.KZ, Seed: 20210301,
		Sources: []synth.SourceSpec{
			{
				DumpSpec: synth.DumpSpec{
					Name: "telecom-2019", Snapshot: "2019-09-01", File: "sources/telecom-2019.csv",
					Format: synth.Format{Layout: synth.CSV, Delimiter: ';', Encoding: synth.UTF8BOM, CRLF: true},
					Lang:   synth.Russian,
					Columns: []synth.Column{
						{Kind: kName, Styles: styles(synth.FamilyFirst|synth.WithPatronymic, synth.FamilyFirst|synth.Upper)},
						{Kind: kPhone, Styles: styles(synth.PhoneNational, synth.PhoneParen, synth.PhoneIntl)},
						{Header: "ИИН", Kind: kID, Styles: styles(synth.IDPlain)},
					},
				},
				Size: 1000,
			},
		},
		Sample: synth.SampleSpec{
			DumpSpec: synth.DumpSpec{
				File:   "sample.csv",
				Format: synth.Format{Layout: synth.CSV},
				Lang:   synth.Kazakh,
				Columns: []synth.Column{
					{Kind: kName, Styles: styles(synth.FamilyFirst, synth.FamilyFirst|synth.LatinICAO)},
					{Kind: kID},
					{Kind: kPhone, Styles: styles(synth.PhoneE164, synth.PhoneNational)},
					{Header: "ЭЦП құпия сөзі", Kind: kPassword},
				},
			},
			Size:          500,
			Draws:         []synth.Draw{{From: "telecom-2019", Share: 0.30}},
			NewFabricated: true,
		},
		Claim: &synth.ClaimSpec{
			Schema:  "e-astana-kindergarten",
			Holds:   []canon.Kind{kName, kBirth, kID, kPhone, kOther},
			Checked: []canon.Kind{kID},
		},
	}
}

// rpScenario is the Reserve+ rumour of 2024: what fake support chat-bots
// harvested is new data that fits what Reserve+ holds, so neither the
// overlap nor the claim checks refute a breach.
func rpScenario() synth.Scenario {
	delivery := synth.DumpSpec{
		Name: "delivery-2022", Snapshot: "2022-11-01", File: "sources/delivery-2022.csv",
		Format: synth.Format{Layout: synth.CSV}, Lang: synth.Ukrainian,
		Columns: []synth.Column{
			{Kind: kName, Styles: styles(synth.FamilyFirst, synth.FamilyFirst, 0)},
			{Kind: kPhone, Styles: styles(synth.PhoneNational, synth.PhoneParen, synth.PhoneE164)},
			{Kind: kBirth, Styles: styles(synth.DateDots), Blank: 0.2},
		},
	}
	// What the bots asked for: exactly the Reserve+ record's identity part.
	harvested := synth.DumpSpec{
		File: "sample.csv", Format: synth.Format{Layout: synth.CSV}, Lang: synth.Ukrainian,
		Columns: []synth.Column{
			{Kind: kName, Styles: styles(synth.FamilyFirst|synth.WithPatronymic, synth.FamilyFirst|synth.WithPatronymic|synth.Upper)},
			{Kind: kBirth, Styles: styles(synth.DateDots)},
			{Kind: kID, Styles: styles(synth.IDPlain)},
			{Kind: kPhone, Styles: styles(synth.PhoneE164, synth.PhoneNational)},
		},
	}
	return synth.Scenario{
		Name: "rp", Region: canon.UA, Seed: 20240518,
		Sources: []synth.SourceSpec{{DumpSpec: delivery, Size: 1500}},
		Sample:  synth.SampleSpec{DumpSpec: harvested, Size: 600}, // all new people
		Claim: &synth.ClaimSpec{
			Schema:  "reserve-plus",
			Holds:   []canon.Kind{kName, kBirth, kID, kPhone, kEmail, kAddress, canon.Passport, kOther},
			Checked: []canon.Kind{kID},
		},
	}
}
