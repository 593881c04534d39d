package planner_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kaiku-app/kaiku/planner"
)

func TestCheck(t *testing.T) {
	type w = planner.Warning
	warn := func(key string, data map[string]any) w {
		return w{Key: key, Data: data, Severity: planner.SeverityWarning}
	}
	notice := func(key string, data map[string]any) w {
		return w{Key: key, Data: data, Severity: planner.SeverityNotice}
	}
	word := func(s string) map[string]any { return map[string]any{"Word": s} }
	org := planner.Guidelines{Disclosure: "#yhteistyössä", AvoidWords: []string{"halpa*", "Mahtava", "  ", "ehdottomasti paras"}}

	tests := []struct {
		name string
		post planner.Post
		g    planner.Guidelines
		want []w
	}{
		{"plain and fine, English", planner.Post{Text: "I spoke at the energy seminar about grid storage. Slides are up."}, planner.Guidelines{}, nil},
		{"plain and fine, Finnish", planner.Post{Text: "Puhuin tänään energiaseminaarissa verkkojen varastoinnista."}, planner.Guidelines{}, nil},
		{"empty post", planner.Post{Text: "   "}, org, nil},

		{"we, English", planner.Post{Text: "Today we launched the new service."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("we"))}},
		{"our, with a curly apostrophe nearby", planner.Post{Text: "Proud of our team’s work"}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("our"))}},
		{"we're", planner.Post{Text: "We’re hiring!"}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("we're"))}},
		{"US the country is not us", planner.Post{Text: "Grid prices in the US rose again."}, planner.Guidelines{}, nil},
		{"but us is", planner.Post{Text: "The US asked us for comments."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("us"))}},
		{"Finnish -mme verb", planner.Post{Text: "Julkaisimme tänään uuden raportin."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("julkaisimme"))}},
		{"Finnish possessive", planner.Post{Text: "Tutustu yrityksemme uuteen palveluun."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("yrityksemme"))}},
		{"Finnish -mme with a clitic", planner.Post{Text: "Teemmekin tästä selvityksen."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("teemmekin"))}},
		{"Finnish meidän", planner.Post{Text: "Meidän tiimi voitti palkinnon."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("meidän"))}},
		{"Finnish bare me in Finnish text", planner.Post{Text: "Me tehdään tämä yhdessä ja hyvin."}, planner.Guidelines{}, []w{notice(planner.WarnVoiceWe, word("me"))}},
		{"English me is not we", planner.Post{Text: "Ask me anything about batteries."}, planner.Guidelines{}, nil},
		{"English programme is not Finnish", planner.Post{Text: "The programme opens in May."}, planner.Guidelines{}, nil},

		{"confidential", planner.Post{Text: "Sneak peek of the CONFIDENTIAL roadmap"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("confidential"))}},
		{"embargoed", planner.Post{Text: "Results embargoed until Friday"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("embargoed"))}},
		{"internal", planner.Post{Text: "From an internal memo:"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("internal"))}},
		{"international is not internal", planner.Post{Text: "An international study on grids."}, planner.Guidelines{}, nil},
		{"luottamuksellinen, inflected", planner.Post{Text: "Luottamuksellista tietoa tulossa"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("luottamuksellista"))}},
		{"salainen", planner.Post{Text: "Tässä salainen suunnitelma"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("salainen"))}},
		{"sisäinen, decomposed ä", planner.Post{Text: "Vain sisa\u0308iseen käyttöön"}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("sisäiseen"))}},
		{"a phrase", planner.Post{Text: "Draft, not for distribution."}, planner.Guidelines{}, []w{warn(planner.WarnConfidential, word("not for distribution"))}},

		{"share without a source", planner.Post{Text: "Great read on heat pumps.", Purpose: planner.PurposeShare}, planner.Guidelines{}, []w{notice(planner.WarnShareSource, nil)}},
		{"share with a link", planner.Post{Text: "Great read https://example.org/a", Purpose: planner.PurposeShare}, planner.Guidelines{}, nil},
		{"share with via", planner.Post{Text: "Great read, via Anna", Purpose: planner.PurposeShare}, planner.Guidelines{}, nil},
		{"share with a mention", planner.Post{Text: "Great read by @anna_k", Purpose: planner.PurposeShare}, planner.Guidelines{}, nil},
		{"share with lähde", planner.Post{Text: "Hyvä juttu lämpöpumpuista. Lähde: Tekniikan maailma", Purpose: planner.PurposeShare}, planner.Guidelines{}, nil},
		{"a write post needs no source", planner.Post{Text: "Great read on heat pumps.", Purpose: planner.PurposeWrite}, planner.Guidelines{}, nil},
		{"an e-mail's @ is no mention", planner.Post{Text: "Worth reading. Questions: me @ example", Purpose: planner.PurposeShare}, planner.Guidelines{}, []w{notice(planner.WarnShareSource, nil)}},

		{"shouting", planner.Post{Text: "THIS DECISION IS A DISASTER FOR ALL OF US"}, planner.Guidelines{},
			[]w{notice(planner.WarnVoiceWe, word("us")), notice(planner.WarnToneCaps, nil)}},
		{"shouting in Finnish", planner.Post{Text: "TÄMÄ PÄÄTÖS ON VIRHE"}, planner.Guidelines{}, []w{notice(planner.WarnToneCaps, nil)}},
		{"acronyms are not shouting", planner.Post{Text: "EU and NATO met the OECD in Brussels today."}, planner.Guidelines{}, nil},
		{"caps in a link or hashtag do not count", planner.Post{Text: "Read https://EXAMPLE.ORG/REPORT #ENERGIAVIIKKO"}, planner.Guidelines{}, nil},
		{"exclamation marks", planner.Post{Text: "Huge news!!! Finally!"}, planner.Guidelines{}, []w{notice(planner.WarnToneExclamations, map[string]any{"Count": 4})}},
		{"two exclamation marks are fine", planner.Post{Text: "Huge news! Finally!"}, planner.Guidelines{}, nil},

		{"guidelines met", planner.Post{Text: "Tutustu uuteen raporttiin. #Yhteistyössä"}, org, nil},
		{"disclosure missing", planner.Post{Text: "Tutustu uuteen raporttiin."}, org, []w{warn(planner.WarnDisclosure, map[string]any{"Disclosure": "#yhteistyössä"})}},
		{"disclosure must be whole", planner.Post{Text: "Tutustu uuteen raporttiin. #yhteistyössäkin"}, org, []w{warn(planner.WarnDisclosure, map[string]any{"Disclosure": "#yhteistyössä"})}},
		{"disclosure anywhere in a thread", planner.Post{Parts: []string{"Osa yksi.", "Osa kaksi #yhteistyössä"}}, org, nil},
		{"disclosure missing from a variant", planner.Post{Text: "Raportti #yhteistyössä", Variants: map[planner.Network]string{
			planner.NetworkX: "Raportti #yhteistyössä", planner.NetworkLinkedIn: "Raportti"}}, org,
			[]w{warn(planner.WarnDisclosureVariant, map[string]any{"Disclosure": "#yhteistyössä", "Network": "LinkedIn"})}},
		{"avoid words, prefix and whole", planner.Post{Text: "Halpatuote on MAHTAVA. #yhteistyössä"}, org,
			[]w{warn(planner.WarnAvoidWord, word("halpa")), warn(planner.WarnAvoidWord, word("Mahtava"))}},
		{"avoid word only as a whole word", planner.Post{Text: "Mahtavaa työtä! #yhteistyössä"}, org, nil},
		{"avoid phrase across spaces", planner.Post{Text: "Tämä on ehdottomasti\n  paras #yhteistyössä"}, org, []w{warn(planner.WarnAvoidWord, word("ehdottomasti paras"))}},
		{"avoid word in a variant", planner.Post{Text: "Hyvä #yhteistyössä", Variants: map[planner.Network]string{planner.NetworkMastodon: "Halpa #yhteistyössä"}}, org,
			[]w{warn(planner.WarnAvoidWord, word("halpa"))}},
		{"a word given whole and as a prefix warns once", planner.Post{Text: "Halpaa ja halpa"}, planner.Guidelines{AvoidWords: []string{"halpa", "HALPA*"}},
			[]w{warn(planner.WarnAvoidWord, word("halpa"))}},
		{"only variants carry text", planner.Post{Variants: map[planner.Network]string{planner.NetworkX: "Raportti #yhteistyössä"}}, org, nil},
		{"German sharp s folds", planner.Post{Text: "Die STRASSE ist gesperrt"}, planner.Guidelines{AvoidWords: []string{"Straße"}}, []w{warn(planner.WarnAvoidWord, word("Straße"))}},

		{"warnings before notices", planner.Post{Text: "We share the confidential plan!!!", Purpose: planner.PurposeShare}, org, []w{
			warn(planner.WarnConfidential, word("confidential")),
			warn(planner.WarnDisclosure, map[string]any{"Disclosure": "#yhteistyössä"}),
			notice(planner.WarnVoiceWe, word("we")),
			notice(planner.WarnShareSource, nil),
			notice(planner.WarnToneExclamations, map[string]any{"Count": 3}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planner.Check(tt.post, tt.g)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestChecklist(t *testing.T) {
	if got := planner.Checklist(); len(got) != 4 || slices.Contains(got, "") {
		t.Errorf("checklist %v", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("We share the CONFIDENTIAL plan!!! via @anna", "#ad", "halpa*", true)
	f.Add("Julkaisimme tänään raportin. Lähde: https://example.fi", "#yhteistyössä", "mahtava", false)
	f.Add("\xff\xfe'we'''", "*", "**", true)
	f.Add("", "", "", false)
	f.Fuzz(func(t *testing.T, text, disclosure, avoid string, share bool) {
		p := planner.Post{Text: text, Parts: nil, Variants: map[planner.Network]string{planner.NetworkX: text + " " + avoid}}
		if share {
			p.Purpose = planner.PurposeShare
		}
		g := planner.Guidelines{Disclosure: disclosure, AvoidWords: []string{avoid, avoid + "*"}}
		a := planner.Check(p, g)
		if !reflect.DeepEqual(a, planner.Check(p, g)) {
			t.Fatal("not deterministic")
		}
		seenNotice := false
		for _, w := range a {
			if w.Key == "" || (w.Severity != planner.SeverityWarning && w.Severity != planner.SeverityNotice) {
				t.Fatalf("bad warning %+v", w)
			}
			if w.Severity == planner.SeverityNotice {
				seenNotice = true
			} else if seenNotice {
				t.Fatalf("a warning after a notice: %+v", a)
			}
		}
	})
}
