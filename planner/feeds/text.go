package feeds

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SummaryRunes bounds an item's plain-text summary.
const SummaryRunes = 400

// titleRunes bounds a title; some feeds put a whole post there.
const titleRunes = 300

// PlainText is s with its HTML markup removed, its entities decoded and its
// whitespace folded into single spaces. Text with neither '<' nor '&' is
// taken as plain already, so that a title like "a < b" survives.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return foldSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside script, style and the like
	for {
		switch z.Next() {
		case html.ErrorToken:
			out := foldSpace(b.String())
			if out == "" {
				// Markup and nothing else, or text that only looked like
				// markup: the words are better than nothing.
				return foldSpace(html.UnescapeString(s))
			}
			return out
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) && z.Token().Type == html.StartTagToken {
				skip++
			}
			if breaks(a) {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden(a) && skip > 0 {
				skip--
			}
			if breaks(a) {
				b.WriteByte(' ')
			}
		}
	}
}

// hidden elements hold no text a reader sees.
func hidden(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object, atom.Svg, atom.Head, atom.Title:
		return true
	}
	return false
}

// breaks are elements whose edges separate words.
func breaks(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Br, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Pre, atom.Tr, atom.Td, atom.Th, atom.Table, atom.Section, atom.Article, atom.Figure,
		atom.Figcaption, atom.Hr, atom.Img, atom.Dd, atom.Dt, atom.Header, atom.Footer:
		return true
	}
	return false
}

// foldSpace trims s and folds each run of white space, and control
// characters, into one space.
func foldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u00a0' || r == utf8.RuneError {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Shorten cuts s to at most n runes, at a word boundary when one is near,
// and marks the cut with an ellipsis.
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := len(r)
	// Back up to the last space, unless that throws away most of the text.
	for i := len(r) - 1; i > len(r)*3/4; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' }) + "…"
}
