package planner

import "strings"

// Threads reports whether the network chains a thread's parts as replies.
// LinkedIn has no threads: a thread goes there as one post.
func (n Network) Threads() bool { return n != NetworkLinkedIn }

// TextsFor is what the post says on a network, in order: a thread's parts
// (joined into one post by blank lines where the network has no threads),
// or the network's own variant of the text, or the text.
func (p Post) TextsFor(n Network) []string {
	if len(p.Parts) > 0 {
		if n.Threads() {
			return p.Parts
		}
		return []string{JoinParts(p.Parts)}
	}
	if v := p.Variants[n]; strings.TrimSpace(v) != "" {
		return []string{v}
	}
	return []string{p.Text}
}

// JoinParts makes one text of a thread's parts: each trimmed of the white
// space around it, with a blank line between them; empty parts are left out.
func JoinParts(parts []string) string {
	kept := make([]string, 0, len(parts))
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, "\n\n")
}

// LanguageFor is the language a post goes out in, an ISO 639-1 code: the
// post's own, else the settings' language, else fallback (the system's,
// where the settings follow it).
func (p Post) LanguageFor(s Settings, fallback string) string {
	switch {
	case p.Language != "":
		return p.Language
	case s.Language != "":
		return s.Language
	}
	return fallback
}

// ValidLanguage reports whether s is a language code as posts carry them:
// two or three lowercase letters (ISO 639-1, or 639-3 where there is no
// two-letter code).
func ValidLanguage(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// AwaitsDecision reports whether the outbox stopped on a post and it waits
// for the user: it failed, or needs attention. Publishing it again, marking
// it published and skipping it are for such a post.
func (s Status) AwaitsDecision() bool {
	return s == StatusFailed || s == StatusNeedsAttention
}
