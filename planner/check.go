package planner

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Severity says how strongly a pre-publish warning speaks.
type Severity string

// The severities. Nothing blocks publishing: the user decides.
const (
	// SeverityWarning: probably against a rule (a guideline, confidentiality).
	SeverityWarning Severity = "warning"
	// SeverityNotice: worth a second look.
	SeverityNotice Severity = "notice"
)

// Warning is one finding of the pre-publish check: a translation key and its template data.
type Warning struct {
	Key      string         `json:"key"`
	Data     map[string]any `json:"data,omitempty"`
	Severity Severity       `json:"severity"`
}

// Pre-publish warning keys.
const (
	WarnVoiceWe           = "check.voice.we"
	WarnConfidential      = "check.confidential"
	WarnShareSource       = "check.share.source"
	WarnToneCaps          = "check.tone.caps"
	WarnToneExclamations  = "check.tone.exclamations"
	WarnDisclosure        = "check.guideline.disclosure"
	WarnDisclosureVariant = "check.guideline.disclosure_variant"
	WarnAvoidWord         = "check.guideline.avoid"
	// An image without alt text; in a thread, with the part's number.
	WarnImageAlt     = "check.image.alt"
	WarnImageAltPart = "check.image.alt_part"
)

// Checklist is the short list of questions to ask before publishing, as
// translation keys; Check looks for signs of each.
func Checklist() []string {
	return []string{"check.question.voice", "check.question.confidential", "check.question.sources", "check.question.tone"}
}

// Word lists, in folded form. Finnish and English both: Check does not know the post's language.
var (
	weEnglish = []string{"we", "we're", "we've", "we'll", "we'd", "our", "ours", "ourselves", "us"}
	// Finnish "we" in its cases; the bare "me" is also English, so it counts only in Finnish-looking text.
	weFinnish = []string{"meidän", "meitä", "meillä", "meille", "meiltä", "meissä", "meistä", "meihin", "meidät", "meikäläiset"}
	// English words that end like the Finnish first person plural.
	notFinnishMme  = []string{"programme", "gramme", "femme", "homme", "comme", "kilogramme"}
	finnishClitics = []string{"kaan", "kään", "kin", "han", "hän", "ko", "kö", "pa", "pä"}
	finnishMarkers = []string{"ja", "on", "ei", "että", "se", "ovat", "mutta", "kun", "tai", "myös", "nyt", "tämä", "joka", "oli", "olla", "mitä", "miten", "kuin", "jo", "vain", "sekä", "kanssa", "tänään", "hyvä", "uusi"}

	confidentialPrefixes = []string{"confidential", "embargo", "internal", "luottamuksellin", "luottamuksellis", "salai", "salassa", "sisäinen", "sisäis"}
	confidentialWords    = []string{"secret", "secrets", "nda"}
	confidentialPhrases  = []string{"not for publication", "not for distribution", "off the record", "do not share", "do not forward", "ei julkinen", "ei julkaistavaksi", "ei saa julkaista", "älä jaa"}

	sourceWords = []string{"via", "source", "sources", "credit", "credits", "ht", "rt", "lähde", "lähteet", "lähteen", "lähteenä", "lähteestä", "lähteitä", "lähteinä", "kautta"}
)

// Check runs the pre-publish checklist and the organization's guidelines over
// the post's text, thread parts and per-network variants. The heuristics know
// Finnish and English and match case-insensitively on Unicode text:
//   - "we" phrasing (we, our, me, meidän, -mme verbs): speaking for the organization?
//   - words of confidentiality (confidential, internal, embargo, luottamuksellinen, salainen, sisäinen…)
//   - a shared post without a link, "via", an @-mention or "lähde"
//   - shouting: mostly capitals, or three or more exclamation marks
//   - the guidelines' disclosure missing from the post or from a variant
//   - the guidelines' words to avoid. A word matches whole; a word ending in
//     "*" matches as a prefix ("halpa*" finds "halpaa" and "halpatuote").
//   - an image without alt text: people who cannot see it learn nothing of it.
//
// Warnings come first, then notices; a post without text gets none but
// those about its images.
func Check(p Post, g Guidelines) []Warning {
	texts := slices.Clone(p.Texts())
	var variants []Network
	for n := range p.Variants {
		variants = append(variants, n)
	}
	sort.Slice(variants, func(i, j int) bool { return variants[i] < variants[j] })
	for _, n := range variants {
		texts = append(texts, p.Variants[n])
	}
	alts := missingAlt(p)
	if strings.TrimSpace(strings.Join(texts, "")) == "" {
		return alts
	}
	folded := make([]string, len(texts))
	for i, t := range texts {
		folded[i] = foldText(t)
	}
	all := strings.Join(folded, "\n")
	words := wordsOf(all)

	out := alts
	add := func(key string, sev Severity, data map[string]any) {
		out = append(out, Warning{Key: key, Data: data, Severity: sev})
	}

	if w, ok := confidentialHit(all, words); ok {
		add(WarnConfidential, SeverityWarning, map[string]any{"Word": w})
	}
	if d := strings.TrimSpace(g.Disclosure); d != "" {
		fd := foldText(d)
		main := strings.Join(folded[:len(p.Texts())], "\n")
		if strings.TrimSpace(main) != "" && !containsPhrase(main, fd, false) {
			add(WarnDisclosure, SeverityWarning, map[string]any{"Disclosure": d})
		}
		for i, n := range variants {
			if !containsPhrase(folded[len(p.Texts())+i], fd, false) {
				add(WarnDisclosureVariant, SeverityWarning, map[string]any{"Disclosure": d, "Network": n.DisplayName()})
			}
		}
	}
	// One warning per word; "halpa" and "halpa*" together count as the wider "halpa*".
	type avoid struct {
		shown, folded string
		prefix        bool
	}
	var avoids []avoid
	for _, w := range g.AvoidWords {
		w = strings.TrimSpace(w)
		prefix := strings.HasSuffix(w, "*")
		bare := strings.TrimSpace(strings.TrimSuffix(w, "*"))
		fw := foldText(bare)
		if fw == "" {
			continue
		}
		if i := slices.IndexFunc(avoids, func(a avoid) bool { return a.folded == fw }); i >= 0 {
			avoids[i].prefix = avoids[i].prefix || prefix
			continue
		}
		avoids = append(avoids, avoid{shown: bare, folded: fw, prefix: prefix})
	}
	for _, a := range avoids {
		if containsPhrase(all, a.folded, a.prefix) {
			add(WarnAvoidWord, SeverityWarning, map[string]any{"Word": a.shown})
		}
	}
	if w, ok := weHit(texts, words); ok {
		add(WarnVoiceWe, SeverityNotice, map[string]any{"Word": w})
	}
	if p.Purpose == PurposeShare && !credited(all, words) {
		add(WarnShareSource, SeverityNotice, nil)
	}
	shouting, bangs := false, 0
	for _, t := range texts {
		caps, n := toneOf(t)
		shouting = shouting || caps
		bangs = max(bangs, n)
	}
	if shouting {
		add(WarnToneCaps, SeverityNotice, nil)
	}
	if bangs >= 3 {
		add(WarnToneExclamations, SeverityNotice, map[string]any{"Count": bangs})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Severity == SeverityWarning && out[j].Severity != SeverityWarning
	})
	return out
}

// DisplayName is the network's name as its owner writes it, the same in every language.
func (n Network) DisplayName() string {
	switch n {
	case NetworkX:
		return "X"
	case NetworkMastodon:
		return "Mastodon"
	case NetworkBluesky:
		return "Bluesky"
	case NetworkLinkedIn:
		return "LinkedIn"
	}
	return string(n)
}

// foldText puts text in one canonical form for matching: NFC, case-folded,
// curly apostrophes straightened, runs of white space made one space.
func foldText(s string) string {
	s = cases.Fold().String(norm.NFC.String(s))
	s = strings.ReplaceAll(s, "’", "'")
	return strings.Join(strings.Fields(s), " ")
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordsOf splits text into words; an apostrophe inside a word belongs to it ("we're").
func wordsOf(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		inWord := isWordRune(r)
		if r == '\'' && start >= 0 {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			inWord = isWordRune(next)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// containsPhrase finds needle in hay at word boundaries; with prefix, the
// needle may go on into a longer word.
func containsPhrase(hay, needle string, prefix bool) bool {
	if needle == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(needle)
	last, _ := utf8.DecodeLastRuneInString(needle)
	for off := 0; off <= len(hay); {
		i := strings.Index(hay[off:], needle)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(needle)
		before, _ := utf8.DecodeLastRuneInString(hay[:i])
		after, _ := utf8.DecodeRuneInString(hay[j:])
		okBefore := i == 0 || !isWordRune(first) || !isWordRune(before)
		okAfter := prefix || j == len(hay) || !isWordRune(last) || !isWordRune(after)
		if okBefore && okAfter {
			return true
		}
		_, size := utf8.DecodeRuneInString(hay[i:])
		off = i + size
	}
	return false
}

func confidentialHit(all string, words []string) (string, bool) {
	for _, w := range words {
		if slices.Contains(confidentialWords, w) {
			return w, true
		}
		for _, p := range confidentialPrefixes {
			if strings.HasPrefix(w, p) {
				return w, true
			}
		}
	}
	for _, ph := range confidentialPhrases {
		if containsPhrase(all, ph, false) {
			return ph, true
		}
	}
	return "", false
}

// weHit looks for the first person plural; texts are the originals, so that
// "US" in capitals (the country) is told apart from "us".
func weHit(texts []string, words []string) (string, bool) {
	finnish := false
	for _, w := range words {
		if slices.Contains(finnishMarkers, w) || strings.ContainsAny(w, "äö") {
			finnish = true
			break
		}
	}
	capsUS, us := 0, 0
	for _, t := range texts {
		if shouting, _ := toneOf(t); shouting {
			continue // in a text written in capitals, "US" may well be "us"
		}
		for _, w := range wordsOf(t) {
			if w == "US" {
				capsUS++
			}
		}
	}
	for _, w := range words {
		switch {
		case w == "us":
			us++
		case slices.Contains(weEnglish, w), slices.Contains(weFinnish, w):
			return w, true
		case w == "me" && finnish:
			return w, true
		case finnishWeVerb(w):
			return w, true
		}
	}
	if us > capsUS { // some "us" was not the country
		return "us", true
	}
	return "", false
}

// finnishWeVerb reports a word in the Finnish first person plural ("olemme",
// "julkaisimme", "yrityksemme"), with or without a clitic ("teemmekin").
func finnishWeVerb(w string) bool {
	for _, c := range finnishClitics {
		if t, ok := strings.CutSuffix(w, c); ok && strings.HasSuffix(t, "mme") {
			w = t
			break
		}
	}
	return utf8.RuneCountInString(w) >= 5 && strings.HasSuffix(w, "mme") && !slices.Contains(notFinnishMme, w)
}

func credited(all string, words []string) bool {
	if strings.Contains(all, "http://") || strings.Contains(all, "https://") || strings.Contains(all, "www.") || strings.Contains(all, "h/t") {
		return true
	}
	for i, r := range all {
		if r == '@' {
			next, _ := utf8.DecodeRuneInString(all[i+1:])
			if isWordRune(next) || next == '_' {
				return true
			}
		}
	}
	for _, w := range words {
		if slices.Contains(sourceWords, w) {
			return true
		}
	}
	return false
}

// toneOf looks at one text without its links, mentions and hashtags: is it
// mostly capitals (or has three capitalized words in a row), and how many
// exclamation marks does it have?
func toneOf(t string) (shouting bool, bangs int) {
	var kept []string
	for _, f := range strings.Fields(t) {
		lf := strings.ToLower(f)
		if strings.HasPrefix(f, "@") || strings.HasPrefix(f, "#") || strings.HasPrefix(lf, "http://") || strings.HasPrefix(lf, "https://") || strings.HasPrefix(lf, "www.") {
			continue
		}
		kept = append(kept, f)
	}
	upper, lower, run := 0, 0, 0
	for _, f := range kept {
		bangs += strings.Count(f, "!")
		u, l := 0, 0
		for _, r := range f {
			switch {
			case unicode.IsUpper(r):
				u++
			case unicode.IsLower(r):
				l++
			}
		}
		upper += u
		lower += l
		if u >= 3 && l == 0 {
			run++
			if run >= 3 {
				shouting = true
			}
		} else if u+l > 0 {
			run = 0
		}
	}
	if upper >= 8 && upper*10 >= (upper+lower)*7 {
		shouting = true
	}
	return shouting, bangs
}
