package ical

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/planner"
)

// TranslateFunc turns a translation key and its template data (for example
// {"Purpose": "Write"}) into text in the user's language, as the app's
// lang.L does; it returns the key itself when it has no translation.
type TranslateFunc func(key string, data map[string]any) string

// The translation keys this package adds; the others it uses are the
// planner's purpose.*, role.<role>.name and role.<role>.prompt.* keys.
const (
	KeyCalendarName      = "ical.calendar.name"
	KeySummary           = "ical.summary"
	KeySummaryNoRole     = "ical.summary.norole"
	KeySummaryPost       = "ical.summary.post"
	KeySummaryPostNoRole = "ical.summary.post.norole"
	KeyDescPurpose       = "ical.desc.purpose." // + the purpose
	KeyDescPrompts       = "ical.desc.prompts"
	KeyDescNoPost        = "ical.desc.no_post"
	KeyHandSummary       = "ical.hand.summary"
	KeyHandLink          = "ical.hand.link"
	KeyErrorWeeks        = "error.ical.weeks"
	KeyErrorEmpty        = "error.ical.empty"
	KeyErrorNoSlots      = "error.export_no_slots"
)

// TranslationKeys lists, sorted, every key Export hands to the translate
// function or puts in an error (ParseBusy's errors too), so the app's translation files can be
// checked against it.
func TranslationKeys() []string {
	keys := []string{KeyCalendarName, KeySummary, KeySummaryNoRole, KeySummaryPost, KeySummaryPostNoRole, KeyHandSummary, KeyHandLink,
		KeyDescPrompts, KeyDescNoPost, KeyErrorWeeks, KeyErrorEmpty, KeyErrorNoSlots, KeyErrorNotCalendar, KeyErrorTooBig, KeyErrorTooBusy}
	for _, p := range planner.Purposes() {
		keys = append(keys, KeyDescPurpose+string(p), planner.PurposeKey(p))
	}
	for _, r := range planner.Roles() {
		info := planner.InfoFor(r)
		keys = append(keys, info.NameKey)
		keys = append(keys, info.PromptKeys...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Summaries longer than this many characters are cut: calendars show one line.
const maxSummaryPostChars = 80

// cleanText makes s fit an RFC 5545 TEXT value: valid UTF-8, line ends as
// "\n" (go-ical escapes them; a bare CR would make it fail), and none of the
// control characters TEXT forbids.
func cleanText(s string) string {
	if isCleanText(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r':
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			// dropped: TEXT has no place for it
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isCleanText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return utf8.ValidString(s)
}

// truncate cuts s to at most n user-perceived characters, ending with "…"
// when cut, so that an emoji or a letter with its accent stays whole.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	state := -1
	rest := s
	for i := 0; i < n-1 && rest != ""; i++ {
		_, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
	}
	if rest == "" {
		return s
	}
	if _, after, _, _ := uniseg.FirstGraphemeClusterInString(rest, state); after == "" {
		return s // exactly n characters, some of them several code points
	}
	return strings.TrimRight(s[:len(s)-len(rest)], " \t\n") + "…"
}

// texts renders the translated texts, once per slot: building them for each
// of a year's occurrences would cost more than the encoding.
type texts struct {
	tr    TranslateFunc
	slots map[string]*slotTexts
}

type slotTexts struct {
	purpose    string // the purpose's name
	role       string // the role's name, or ""
	summary    string
	desc       string
	categories []string
}

func (tx *texts) t(key string, data map[string]any) string {
	s := tx.tr(key, data)
	if s == "" {
		s = key
	}
	return cleanText(s)
}

func (tx *texts) forOccurrence(o planner.Occurrence) *slotTexts {
	// Keyed by slot, purpose and role: an occurrence carries its slot's.
	k := o.SlotID + "\x00" + string(o.Purpose) + "\x00" + string(o.Role)
	if st, ok := tx.slots[k]; ok {
		return st
	}
	st := &slotTexts{purpose: tx.t(planner.PurposeKey(o.Purpose), nil)}
	var info planner.RoleInfo
	if o.Role != "" {
		info = planner.InfoFor(o.Role)
		if info.NameKey != "" {
			st.role = tx.t(info.NameKey, nil)
		}
	}
	st.categories = []string{st.purpose}
	if st.role != "" {
		st.categories = append(st.categories, st.role)
		st.summary = tx.t(KeySummary, map[string]any{"Purpose": st.purpose, "Role": st.role})
	} else {
		st.summary = tx.t(KeySummaryNoRole, map[string]any{"Purpose": st.purpose})
	}

	var b strings.Builder
	b.WriteString(tx.t(KeyDescPurpose+string(o.Purpose), nil))
	if st.role != "" && len(info.PromptKeys) > 0 {
		b.WriteString("\n\n")
		b.WriteString(tx.t(KeyDescPrompts, map[string]any{"Role": st.role}))
		for _, pk := range info.PromptKeys {
			b.WriteString("\n• ")
			b.WriteString(tx.t(pk, nil))
		}
	}
	if o.Purpose == planner.PurposeWrite || o.Purpose == planner.PurposeShare {
		b.WriteString("\n\n")
		b.WriteString(tx.t(KeyDescNoPost, nil))
	}
	st.desc = b.String()
	tx.slots[k] = st
	return st
}

// withPosts is the summary and description of an occurrence that posts fill:
// the first post's first line in the summary, every post's text below.
func (tx *texts) withPosts(st *slotTexts, posts []planner.Post) (summary, desc string) {
	if len(posts) == 0 {
		return st.summary, st.desc
	}
	line := truncate(firstLine(posts[0]), maxSummaryPostChars)
	if line == "" {
		summary = st.summary
	} else if st.role != "" {
		summary = tx.t(KeySummaryPost, map[string]any{"Purpose": st.purpose, "Role": st.role, "Post": line})
	} else {
		summary = tx.t(KeySummaryPostNoRole, map[string]any{"Purpose": st.purpose, "Post": line})
	}
	var b strings.Builder
	for i, p := range posts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		parts := p.Texts()
		for j, part := range parts {
			if j > 0 {
				b.WriteString("\n\n")
			}
			if len(parts) > 1 {
				// A thread's parts are numbered as the networks show them.
				b.WriteString(strconv.Itoa(j + 1))
				b.WriteByte('/')
				b.WriteString(strconv.Itoa(len(parts)))
				b.WriteByte('\n')
			}
			b.WriteString(strings.TrimSpace(cleanText(part)))
		}
	}
	desc = b.String()
	if strings.TrimSpace(desc) == "" {
		desc = st.desc // an idea with no text yet: the prompts help more
	}
	return summary, desc
}

// firstLine is the post's first non-empty line once cleaned, so that a bare
// CR (which Post.FirstLine keeps) cannot end a summary's line early.
func firstLine(p planner.Post) string {
	for _, t := range p.Texts() {
		for line := range strings.SplitSeq(cleanText(t), "\n") {
			if l := strings.TrimSpace(line); l != "" {
				return l
			}
		}
	}
	return ""
}
