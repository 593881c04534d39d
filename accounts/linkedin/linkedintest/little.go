package linkedintest

import (
	"strings"
	"unicode/utf8"
)

// reserved are little's reserved characters, written out here rather than
// taken from package linkedin, so that the fake checks the client instead
// of sharing its mistakes.
const reserved = `\|{}@[]()<>#*_~`

// Little is a commentary as LinkedIn reads it.
type Little struct {
	// Text is what the post shows: escapes resolved, hashtag templates as
	// "#tag", and nothing after a cut.
	Text     string
	Hashtags []string // the tags of the hashtag templates, without "#"
	// Cut is true when the commentary had an unescaped reserved character
	// (or a template LinkedIn does not know): LinkedIn takes such a post
	// and silently drops everything from there on. CutAt is that
	// character's byte offset in the commentary.
	Cut   bool
	CutAt int
}

// ParseLittle reads a commentary in LinkedIn's little text format as
// LinkedIn does for a text post: a backslash escapes a reserved character,
// {hashtag|\#|tag} (or with a full-width ＃) is a hashtag, and any other
// reserved character ends the text.
func ParseLittle(commentary string) Little {
	var out Little
	var b strings.Builder
	for i := 0; i < len(commentary); {
		r, size := utf8.DecodeRuneInString(commentary[i:])
		switch {
		case r == '\\':
			next, n := utf8.DecodeRuneInString(commentary[i+1:])
			if n == 0 || !strings.ContainsRune(reserved, next) {
				return out.cut(&b, i)
			}
			b.WriteRune(next)
			i += 1 + n
			continue
		case r == '{':
			tag, n, ok := hashtagTemplate(commentary[i:])
			if !ok {
				return out.cut(&b, i)
			}
			b.WriteString("#" + tag)
			out.Hashtags = append(out.Hashtags, tag)
			i += n
			continue
		case strings.ContainsRune(reserved, r):
			return out.cut(&b, i)
		}
		b.WriteString(commentary[i : i+size])
		i += size
	}
	out.Text = b.String()
	return out
}

func (l Little) cut(b *strings.Builder, at int) Little {
	l.Text, l.Cut, l.CutAt = b.String(), true, at
	return l
}

// hashtagTemplate reads {hashtag|\#|tag} at the start of s: the tag (its
// escapes resolved) and the template's length in bytes.
func hashtagTemplate(s string) (tag string, n int, ok bool) {
	rest, found := strings.CutPrefix(s, "{hashtag|")
	if !found {
		return "", 0, false
	}
	var mark string
	for _, m := range []string{`\#|`, "＃|"} {
		if strings.HasPrefix(rest, m) {
			mark = m
		}
	}
	if mark == "" {
		return "", 0, false
	}
	rest = rest[len(mark):]
	var b strings.Builder
	for i := 0; i < len(rest); {
		r, size := utf8.DecodeRuneInString(rest[i:])
		switch {
		case r == '}':
			if b.Len() == 0 {
				return "", 0, false
			}
			return b.String(), len(s) - len(rest) + i + 1, true
		case r == '\\':
			next, n := utf8.DecodeRuneInString(rest[i+1:])
			if n == 0 || !strings.ContainsRune(reserved, next) {
				return "", 0, false
			}
			b.WriteRune(next)
			i += 1 + n
			continue
		case strings.ContainsRune(reserved, r) || r == '\n':
			return "", 0, false
		}
		b.WriteString(rest[i : i+size])
		i += size
	}
	return "", 0, false
}
