package mastodon

import (
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

var (
	breakTag     = regexp.MustCompile(`(?i)<br\s*/?>`)
	paragraphTag = regexp.MustCompile(`(?i)</p>\s*<p[^>]*>`)
	anyTag       = regexp.MustCompile(`<[^>]*>`)
	spaces       = regexp.MustCompile(`\s+`)
	// A remote mention shows as @user in the server's HTML.
	remoteMention = regexp.MustCompile(`(^|[^\w/])@(\w+)@[\w.-]+\w`)
)

// HTMLText turns a status's HTML content into its text: paragraphs and
// line breaks become new lines, tags go (a shortened link's hidden parts
// stay, so the link reads whole), entities are decoded.
func HTMLText(content string) string {
	s := breakTag.ReplaceAllString(content, "\n")
	s = paragraphTag.ReplaceAllString(s, "\n\n")
	s = anyTag.ReplaceAllString(s, "")
	return strings.TrimSpace(html.UnescapeString(s))
}

// normalize makes a text Kaiku sent comparable with the server's copy:
// NFC, white space folded, remote mentions as @user.
func normalize(s string) string {
	s = remoteMention.ReplaceAllString(norm.NFC.String(s), "$1@$2")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}
