package bluesky

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/kaiku-app/kaiku/accounts/remote"
)

// Facet marks a part of a post's text, by UTF-8 byte offsets
// (app.bsky.richtext.facet).
type Facet struct {
	Index    ByteSlice `json:"index"`
	Features []Feature `json:"features"`
}

// ByteSlice is a facet's place: bytes [ByteStart, ByteEnd) of the text.
type ByteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// The facet features.
const (
	FeatureLink    = "app.bsky.richtext.facet#link"
	FeatureTag     = "app.bsky.richtext.facet#tag"
	FeatureMention = "app.bsky.richtext.facet#mention"
)

// Feature is what a facet is: a link (URI), a hashtag (Tag, without '#')
// or a mention (DID).
type Feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
	DID  string `json:"did,omitempty"`
}

// maxTagLength is the longest hashtag, in graphemes, as Bluesky's clients
// detect them.
const maxTagLength = 64

// span is a detected facet before mentions are resolved.
type span struct {
	start, end int
	feature    Feature
	handle     string // a mention's handle, to resolve
}

// DetectFacets finds the links (http and https), hashtags and mentions of
// text (valid UTF-8) the way Bluesky's own clients do. resolve turns a mentioned handle
// into its DID; a mention it gives no DID for stays plain text. A
// resolve error ends the detection.
func DetectFacets(text string, resolve func(handle string) (string, error)) ([]Facet, error) {
	spans := detect(text)
	out := make([]Facet, 0, len(spans))
	for _, s := range spans {
		if s.handle != "" {
			if resolve == nil {
				continue
			}
			did, err := resolve(s.handle)
			if err != nil {
				return nil, err
			}
			if did == "" {
				continue
			}
			s.feature.DID = did
		}
		out = append(out, Facet{Index: ByteSlice{ByteStart: s.start, ByteEnd: s.end}, Features: []Feature{s.feature}})
	}
	return out, nil
}

// Facets detects the facets of text, resolving each mentioned handle once
// with the account's PDS; a handle nobody has stays plain text.
func (c *Client) Facets(ctx context.Context, text string) ([]Facet, error) {
	known := map[string]string{}
	return DetectFacets(text, func(handle string) (string, error) {
		if did, ok := known[handle]; ok {
			return did, nil
		}
		did, err := c.ResolveHandle(ctx, handle)
		if e, ok := remote.As(err); ok && e.Kind == remote.KindRejected {
			did, err = "", nil // no such handle
		}
		if err != nil {
			return "", err
		}
		known[handle] = did
		return did, nil
	})
}

// FirstLink is the text's first http or https link, or "".
func FirstLink(text string) string {
	for _, s := range detect(text) {
		if s.feature.Type == FeatureLink {
			return s.feature.URI
		}
	}
	return ""
}

// detect scans text once for facets, in order.
func detect(text string) []span {
	var out []span
	prev := rune(-1) // the rune before i; -1 at the start
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		atStart := prev < 0 || unicode.IsSpace(prev)
		switch {
		case (atStart || prev == '(') && (hasPrefixFold(text[i:], "https://") || hasPrefixFold(text[i:], "http://")):
			if s, ok := link(text, i); ok {
				out = append(out, s)
				i, prev = s.end, lastRune(text[:s.end])
				continue
			}
		case (atStart || prev == '(') && r == '@':
			if s, ok := mention(text, i); ok {
				out = append(out, s)
				i, prev = s.end, lastRune(text[:s.end])
				continue
			}
		case atStart && (r == '#' || r == '＃'):
			if s, ok := hashtag(text, i, size); ok {
				out = append(out, s)
				i, prev = s.end, lastRune(text[:s.end])
				continue
			}
		}
		i += size
		prev = r
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// nonSpaceEnd is where the run of non-space characters from i ends.
func nonSpaceEnd(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

// link is the URL at i: up to the next space, less trailing punctuation,
// and less a closing parenthesis it did not open.
func link(text string, i int) (span, bool) {
	end := nonSpaceEnd(text, i)
	u := text[i:end]
	u = strings.TrimRight(u, ".,;:!?")
	if strings.HasSuffix(u, ")") && !strings.Contains(u, "(") {
		u = strings.TrimRight(strings.TrimSuffix(u, ")"), ".,;:!?")
	}
	scheme, rest, _ := strings.Cut(u, "://")
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	host, _, _ = strings.Cut(host, "#")
	if host == "" || scheme == "" {
		return span{}, false
	}
	return span{start: i, end: i + len(u), feature: Feature{Type: FeatureLink, URI: u}}, true
}

// mention is the @handle at i: a domain name with at least one dot whose
// last label starts with a letter.
func mention(text string, i int) (span, bool) {
	j := i + 1
	for j < len(text) && (isAlnum(text[j]) || text[j] == '.' || text[j] == '-') {
		j++
	}
	h := strings.TrimRight(text[i+1:j], ".-")
	if !validHandle(h) {
		return span{}, false
	}
	end := i + 1 + len(h)
	// "\b" after the handle: the next character must not continue a word.
	if end < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[end:]); r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return span{}, false
		}
	}
	return span{start: i, end: end, feature: Feature{Type: FeatureMention}, handle: strings.ToLower(h)}, true
}

func validHandle(h string) bool {
	if len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return tld[0] >= 'a' && tld[0] <= 'z' || tld[0] >= 'A' && tld[0] <= 'Z'
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// tagBreak are the characters that end a hashtag besides space: soft
// hyphen, word joiner, zero-width spaces and joiners, the enclosing keycap.
func tagBreak(r rune) bool {
	switch r {
	case '\u00AD', '\u2060', '\u200A', '\u200B', '\u200C', '\u200D', '\u20E2':
		return true
	}
	return unicode.IsSpace(r)
}

// hashtag is the #tag at i (the '#' being markLen bytes): up to the next
// space, less trailing punctuation; not all digits, not a keycap emoji,
// at most 64 graphemes.
func hashtag(text string, i, markLen int) (span, bool) {
	j := i + markLen
	if r, _ := utf8.DecodeRuneInString(text[j:]); r == '\uFE0F' {
		return span{}, false // #️⃣, the keycap emoji
	}
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if tagBreak(r) {
			break
		}
		j += size
	}
	tag := strings.TrimRightFunc(text[i+markLen:j], unicode.IsPunct)
	// "##tag" is no hashtag: a tag is written without its mark.
	if tag == "" || strings.HasPrefix(tag, "#") || strings.HasPrefix(tag, "＃") || uniseg.GraphemeClusterCount(tag) > maxTagLength {
		return span{}, false
	}
	// A tag needs one character that is not a digit, space or punctuation.
	if !strings.ContainsFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) && !unicode.IsPunct(r) }) {
		return span{}, false
	}
	return span{start: i, end: i + markLen + len(tag), feature: Feature{Type: FeatureTag, Tag: tag}}, true
}
