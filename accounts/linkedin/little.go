package linkedin

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reserved are the characters LinkedIn's "little" text format gives a
// meaning (mentions, hashtags, templates, escapes). In a post's commentary
// each must be escaped with a backslash to stand for itself: LinkedIn takes
// a post with one unescaped and silently cuts its text there.
const Reserved = `\|{}@[]()<>#*_~`

// hashtagOpen begins little's template for a hashtag, {hashtag|\#|tag}; a
// hashtag merely escaped (\#tag) would show as text, not as a hashtag.
const hashtagOpen = `{hashtag|\#|`

// Commentary turns a post's text into the commentary LinkedIn shows as that
// very text: every reserved character escaped, and each hashtag written as
// a hashtag template so that it stays a hashtag.
//
// A hashtag is a # at the start of the text, after white space or after an
// opening bracket or quote, followed by letters, marks and digits (at least
// one letter), outside a link. Its tag ends at the first other character:
// "#my_tag" is the hashtag #my followed by the text "_tag", since a
// template's tag holds nothing that would itself need escaping.
func Commentary(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8 + 16)
	word := 0 // where the white-space-delimited word being read begins
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '#' {
			if tag := hashtagAt(text, i, prev, word); tag != "" {
				b.WriteString(hashtagOpen)
				b.WriteString(tag)
				b.WriteByte('}')
				i += 1 + len(tag)
				prev, _ = utf8.DecodeLastRuneInString(tag)
				continue
			}
		}
		if strings.ContainsRune(Reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteString(text[i : i+size])
		if unicode.IsSpace(r) {
			word = i + size
		}
		prev = r
		i += size
	}
	return b.String()
}

// hashtagAt gives the tag of a hashtag whose # is at text[i], or "".
func hashtagAt(text string, i int, prev rune, word int) string {
	if prev >= 0 && !unicode.IsSpace(prev) && !strings.ContainsRune("([{\"'“‘«„", prev) {
		return ""
	}
	w := strings.ToLower(text[word:i])
	if strings.Contains(w, "://") || strings.HasPrefix(strings.TrimLeft(w, "([{\"'“‘«„"), "www.") {
		return ""
	}
	end, letter := i+1, false
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if !unicode.In(r, unicode.L, unicode.M, unicode.N) {
			break
		}
		letter = letter || unicode.IsLetter(r)
		end += size
	}
	if !letter {
		return ""
	}
	return text[i+1 : end]
}
