package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/kaiku-app/kaiku/planner"
)

// ErrNotOPML is wrapped by ReadOPML's error for a file that is not OPML.
var ErrNotOPML = errors.New("not an OPML file")

// maxOPMLBytes bounds an OPML file: thousands of subscriptions fit in far less.
const maxOPMLBytes = 16 << 20

// Subscription is one feed of an OPML file.
type Subscription struct {
	Title   string
	URL     string
	SiteURL string
	// Folder is the outline the feed sits in (the innermost, when folders
	// nest); empty at the top level.
	Folder string
}

type opmlDoc struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title"`
	Created string    `xml:"head>dateCreated,omitempty"`
	Body    []outline `xml:"body>outline"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Children []outline `xml:"outline"`
}

// ReadOPML reads the subscriptions of an OPML 1.0 or 2.0 file, as Feedly,
// Inoreader and most feed readers export them: outlines with an xmlUrl are
// feeds, outlines around them are folders. A feed listed twice (Inoreader
// lists a feed once per folder it is in) is read once, in its first folder.
// Outlines whose xmlUrl is not a web address are skipped.
func ReadOPML(r io.Reader) ([]Subscription, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxOPMLBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the OPML file: %w", err)
	}
	if len(data) > maxOPMLBytes {
		return nil, fmt.Errorf("%w: the file is larger than %d MB", ErrNotOPML, maxOPMLBytes>>20)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = charset.NewReaderLabel
	dec.Entity = xml.HTMLEntity
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: line %d: %s", ErrNotOPML, se.Line, se.Msg)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotOPML, err)
	}
	var subs []Subscription
	seen := map[string]bool{}
	var walk func(list []outline, folder string)
	walk = func(list []outline, folder string) {
		for _, o := range list {
			// Attributes are plain text: "<" in a title is a character, not markup.
			name := foldSpace(o.Title)
			if name == "" {
				name = foldSpace(o.Text)
			}
			if o.XMLURL == "" {
				walk(o.Children, Shorten(name, 100))
				continue
			}
			u := strings.TrimSpace(o.XMLURL)
			if !planner.WebURL(u) || len(u) > planner.MaxFeedURL {
				continue
			}
			key := planner.CanonicalURL(u)
			if seen[key] {
				continue
			}
			seen[key] = true
			s := Subscription{Title: Shorten(name, titleRunes), URL: u, Folder: folder}
			if h := strings.TrimSpace(o.HTMLURL); planner.WebURL(h) && len(h) <= planner.MaxFeedURL {
				s.SiteURL = h
			}
			if s.Title == "" {
				s.Title = hostTitle(s.SiteURL, s.URL)
			}
			subs = append(subs, s)
			// A feed outline with children is rare; read them as in its folder.
			walk(o.Children, folder)
		}
	}
	walk(doc.Body, "")
	return subs, nil
}

// WriteOPML writes the feeds as an OPML 2.0 file: feeds in a folder inside an
// outline named after it, in the order given, the others at the top level.
// ReadOPML reads it back to the same titles, addresses and folders.
func WriteOPML(w io.Writer, title string, feeds []planner.Feed, now time.Time) error {
	doc := opmlDoc{Version: "2.0", Title: title, Created: now.UTC().Format(time.RFC1123Z)}
	folders := map[string]int{} // folder -> its index in doc.Body
	for _, f := range feeds {
		o := outline{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.URL, HTMLURL: f.SiteURL}
		if f.Folder == "" {
			doc.Body = append(doc.Body, o)
			continue
		}
		i, ok := folders[f.Folder]
		if !ok {
			i = len(doc.Body)
			folders[f.Folder] = i
			doc.Body = append(doc.Body, outline{Text: f.Folder, Title: f.Folder})
		}
		doc.Body[i].Children = append(doc.Body[i].Children, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write the OPML file: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write the OPML file: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write the OPML file: %w", err)
	}
	return nil
}
