package feeds

import (
	"bytes"
	"errors"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// ErrNoFeedInPage: a web page that names no feed.
var ErrNoFeedInPage = errors.New("the page names no feed")

// Link is a feed a web page names.
type Link struct {
	URL   string
	Type  string // application/rss+xml, application/atom+xml, application/feed+json, …
	Title string
}

// feedTypes are the link types that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true, // RSS 1.0
}

// Discover finds the feeds an HTML page names with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>,
// in the page's order, with their addresses resolved against the page's
// address (pageURL) and its <base href>. A page that names none is
// ErrNoFeedInPage.
func Discover(body []byte, contentType, pageURL string) ([]Link, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, err
	}
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		r = bytes.NewReader(body)
	}
	var links []Link
	seen := map[string]bool{}
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.DataAtom {
		case atom.Base:
			if href := attr(tok, "href"); href != "" {
				if u, err := url.Parse(strings.TrimSpace(href)); err == nil {
					base = base.ResolveReference(u)
				}
			}
		case atom.Link:
			l, ok := feedLink(tok, base)
			if ok && !seen[l.URL] {
				seen[l.URL] = true
				links = append(links, l)
			}
		}
	}
	if len(links) == 0 {
		return nil, ErrNoFeedInPage
	}
	return links, nil
}

func feedLink(tok html.Token, base *url.URL) (Link, bool) {
	alternate := false
	for _, rel := range strings.Fields(strings.ToLower(attr(tok, "rel"))) {
		switch rel {
		case "alternate":
			alternate = true
		case "stylesheet":
			return Link{}, false
		}
	}
	typ := strings.ToLower(strings.TrimSpace(attr(tok, "type")))
	if i := strings.IndexByte(typ, ';'); i >= 0 {
		typ = strings.TrimSpace(typ[:i])
	}
	if !alternate || !feedTypes[typ] {
		return Link{}, false
	}
	abs := resolve(base, attr(tok, "href"))
	if abs == "" {
		return Link{}, false
	}
	return Link{URL: abs, Type: typ, Title: PlainText(attr(tok, "title"))}, true
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}
