// Package linkcard reads what a link's page says about itself (its title,
// description and image, from Open Graph tags) for a post's link card, and
// brings the image down to a size a network takes.
package linkcard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	_ "golang.org/x/image/webp"
	_ "image/gif" // decoders for the pages' images

	"golang.org/x/image/draw"
	"golang.org/x/text/encoding/htmlindex"
)

// Card is what a page says about itself.
type Card struct {
	URL         string // the page, as linked
	Title       string
	Description string
	// Image is the page's image, at most Options.MaxImageBytes, as
	// ImageType (image/jpeg or image/png); nil when the page has none or it
	// could not be had.
	Image     []byte
	ImageType string
}

// Options bound the work; every field may be left empty.
type Options struct {
	HTTP      *http.Client // a client with a 15-second timeout when nil
	UserAgent string
	// MaxImageBytes is the largest image kept, after scaling down;
	// 1,000,000 when 0 (Bluesky's limit for a card's image).
	MaxImageBytes int
}

// ErrNoCard is returned, wrapped, when the page cannot be had or says
// nothing a card could show.
var ErrNoCard = errors.New("no link card")

const (
	maxPage        = 1 << 20  // the head is at the start; more is never needed
	maxImageSource = 15 << 20 // the largest image downloaded before scaling
	maxTitle       = 300
	maxDescription = 1000
)

// Fetch reads the page at pageURL (http or https) and its image.
func Fetch(ctx context.Context, pageURL string, opts Options) (Card, error) {
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{Timeout: 15 * time.Second}
	}
	if opts.MaxImageBytes <= 0 {
		opts.MaxImageBytes = 1_000_000
	}
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Card{}, fmt.Errorf("%w: %q is not a web address", ErrNoCard, pageURL)
	}
	body, final, ctype, err := get(ctx, opts, u.String(), "text/html,application/xhtml+xml", maxPage)
	if err != nil {
		return Card{}, fmt.Errorf("%w: %v", ErrNoCard, err)
	}
	if mt, _, _ := mime.ParseMediaType(ctype); mt != "" && mt != "text/html" && mt != "application/xhtml+xml" {
		return Card{}, fmt.Errorf("%w: the page is %s", ErrNoCard, mt)
	}
	page := decode(body, ctype)
	meta := readMeta(page)
	c := Card{URL: pageURL, Title: cut(first(meta["og:title"], meta["twitter:title"], titleOf(page)), maxTitle),
		Description: cut(first(meta["og:description"], meta["twitter:description"], meta["description"]), maxDescription)}
	if c.Title == "" && c.Description == "" {
		return Card{}, fmt.Errorf("%w: the page has no title", ErrNoCard)
	}
	if img := first(meta["og:image:secure_url"], meta["og:image"], meta["og:image:url"], meta["twitter:image"]); img != "" {
		if iu, err := final.Parse(img); err == nil && (iu.Scheme == "http" || iu.Scheme == "https") {
			// A card without its image is still a card.
			c.Image, c.ImageType, _ = fetchImage(ctx, opts, iu.String())
		}
	}
	return c, nil
}

func get(ctx context.Context, opts Options, u, accept string, limit int64) ([]byte, *url.URL, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, "", err
	}
	req.Header.Set("Accept", accept)
	if opts.UserAgent != "" {
		req.Header.Set("User-Agent", opts.UserAgent)
	}
	resp, err := opts.HTTP.Do(req)
	if err != nil {
		return nil, nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, "", fmt.Errorf("%s answered %s", req.URL.Host, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, "", err
	}
	if int64(len(b)) > limit {
		if accept == "text/html,application/xhtml+xml" {
			b = b[:limit] // the head is what matters
		} else {
			return nil, nil, "", fmt.Errorf("more than %d bytes", limit)
		}
	}
	return b, resp.Request.URL, resp.Header.Get("Content-Type"), nil
}

var (
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?([\w-]+)`)
	metaTag     = regexp.MustCompile(`(?is)<meta\s[^>]*>`)
	attribute   = regexp.MustCompile(`(?s)([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	titleTag    = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	spaceRun    = regexp.MustCompile(`\s+`)
)

// decode turns the page into UTF-8 by the charset its header or a meta
// tag names.
func decode(b []byte, ctype string) string {
	name := ""
	if _, params, err := mime.ParseMediaType(ctype); err == nil {
		name = params["charset"]
	}
	if name == "" {
		if m := metaCharset.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
			name = string(m[1])
		}
	}
	if name != "" && !strings.EqualFold(name, "utf-8") {
		if enc, err := htmlindex.Get(name); err == nil {
			if out, err := enc.NewDecoder().Bytes(b); err == nil {
				return string(out)
			}
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// readMeta reads the page's meta tags' property or name and content.
func readMeta(page string) map[string]string {
	out := map[string]string{}
	for _, tag := range metaTag.FindAllString(page, -1) {
		attrs := map[string]string{}
		for _, m := range attribute.FindAllStringSubmatch(tag, -1) {
			attrs[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
		}
		key := strings.ToLower(first(attrs["property"], attrs["name"]))
		if key == "" || attrs["content"] == "" {
			continue
		}
		if _, seen := out[key]; !seen {
			out[key] = clean(attrs["content"])
		}
	}
	return out
}

func titleOf(page string) string {
	if m := titleTag.FindStringSubmatch(page); m != nil {
		return clean(m[1])
	}
	return ""
}

func clean(s string) string {
	return strings.TrimSpace(spaceRun.ReplaceAllString(html.UnescapeString(s), " "))
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// cut shortens s to at most n bytes on a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// fetchImage downloads the image and brings it within the limit.
func fetchImage(ctx context.Context, opts Options, u string) ([]byte, string, error) {
	b, _, ctype, err := get(ctx, opts, u, "image/jpeg,image/png,image/webp,image/gif", maxImageSource)
	if err != nil {
		return nil, "", err
	}
	return Shrink(b, ctype, opts.MaxImageBytes)
}

// Shrink returns an image of at most maxBytes: the image as it is when it
// is a JPEG or PNG that fits, else scaled down (and re-encoded as JPEG)
// until it does.
func Shrink(b []byte, ctype string, maxBytes int) ([]byte, string, error) {
	mt, _, _ := mime.ParseMediaType(ctype)
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, "", fmt.Errorf("the image cannot be read: %w", err)
	}
	if len(b) <= maxBytes && (format == "jpeg" || format == "png") {
		if mt != "image/jpeg" && mt != "image/png" {
			mt = "image/" + format
		}
		return b, mt, nil
	}
	if format == "png" && len(b) <= maxBytes {
		var buf bytes.Buffer
		if png.Encode(&buf, img) == nil && buf.Len() <= maxBytes {
			return buf.Bytes(), "image/png", nil
		}
	}
	bounds := img.Bounds()
	w, h := bounds.Dx(), bounds.Dy()
	if w == 0 || h == 0 {
		return nil, "", errors.New("the image is empty")
	}
	// Start at a size a card shows well, then smaller until it fits.
	scale := min(1.0, 2000.0/float64(max(w, h)))
	for range 12 {
		nw, nh := max(1, int(float64(w)*scale)), max(1, int(float64(h)*scale))
		dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
		// JPEG has no transparency: what was transparent turns white, not black.
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, bounds, draw.Over, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
			return nil, "", err
		}
		if buf.Len() <= maxBytes {
			return buf.Bytes(), "image/jpeg", nil
		}
		scale *= 0.75
	}
	return nil, "", errors.New("the image does not fit the limit")
}
