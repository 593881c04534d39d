package feeds

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl finds the encoding pseudo-attribute of an XML declaration.
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])([A-Za-z0-9._:-]*)(["'])`)

// toUTF8 returns the document as UTF-8, with its XML declaration saying so,
// so that the feed parser never decodes it twice. Where the document's
// encoding is not clear, bytes that are valid UTF-8 are taken as UTF-8
// (servers often label Latin-1 files UTF-8, and the reverse); otherwise the
// XML declaration's encoding is used, then the HTTP charset, and last
// windows-1252, which reads ISO-8859-1 as well and is what old Finnish
// sites most often wrote without saying so.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return setDeclUTF8(body[3:]), "utf-8"
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(body); err == nil {
			return setDeclUTF8(out), "utf-16"
		}
	}
	if utf8.Valid(body) {
		return setDeclUTF8(body), "utf-8"
	}
	var enc encoding.Encoding
	name := ""
	if m := xmlDecl.FindSubmatch(head(body)); m != nil {
		enc, name = lookup(string(m[3]))
	}
	if enc == nil {
		enc, name = lookup(httpCharset(contentType))
	}
	if enc == nil {
		enc, name = charmap.Windows1252, "windows-1252"
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// A label that names a multi-byte encoding the bytes do not follow.
		out, _ = charmap.Windows1252.NewDecoder().Bytes(body)
		name = "windows-1252"
	}
	return setDeclUTF8(out), name
}

// lookup finds an encoding by its label, as browsers know them (where
// ISO-8859-1 means windows-1252); nil for UTF-8, which needs no decoding, or
// an unknown label.
func lookup(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil || enc == unicode.UTF8 {
		return nil, ""
	}
	name, _ := htmlindex.Name(enc)
	return enc, name
}

func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// head is where an XML declaration can be.
func head(b []byte) []byte { return b[:min(len(b), 256)] }

// setDeclUTF8 makes the XML declaration, if it names an encoding, name UTF-8.
func setDeclUTF8(b []byte) []byte {
	loc := xmlDecl.FindSubmatchIndex(head(b))
	if loc == nil {
		return b
	}
	// loc[6]:loc[7] is the encoding's name.
	if strings.EqualFold(string(b[loc[6]:loc[7]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[6]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[loc[7]:]...)
}
