package planner

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Image is one picture a post carries. Its bytes live in the store under
// Hash, shared by every post that carries the same picture.
type Image struct {
	// Hash is the SHA-256 of the stored bytes, in lowercase hexadecimal.
	Hash string `json:"hash"`
	// Alt describes the picture for people who cannot see it.
	Alt    string `json:"alt"`
	Type   string `json:"type"` // ImageJPEG, ImagePNG or ImageGIF
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Part is the thread part the picture goes with, from 0; always 0 for a
	// post that is not a thread.
	Part int `json:"part,omitempty"`
}

// The types of a stored image: what Kaiku prepares every image file as.
const (
	ImageJPEG = "image/jpeg"
	ImagePNG  = "image/png"
	ImageGIF  = "image/gif"
)

// MaxImagesPerPart is how many images a post, or each part of a thread,
// carries: X and Bluesky take four, and so does Mastodon by default.
const MaxImagesPerPart = 4

// The networks' own limits on an image's alt text:
//
//   - X: 1000 characters ("Must be <= 1000 chars": POST media/metadata/create,
//     developer.x.com/en/docs/media/upload-media/api-reference/post-media-metadata-create).
//   - Mastodon: 1500 characters (MediaAttachment::MAX_DESCRIPTION_LENGTH in
//     Mastodon's app/models/media_attachment.rb; the API refuses a longer
//     description).
//   - Bluesky: 2000 graphemes (the lexicon app.bsky.embed.images bounds no
//     "alt"; Bluesky's own app stops at MAX_ALT_TEXT = 2000, counted in
//     graphemes, src/lib/constants.ts of bluesky-social/social-app).
//   - LinkedIn: 4086 characters (the Posts API's content.media.altText,
//     learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api).
const (
	AltLimitX        = 1000
	AltLimitMastodon = 1500
	AltLimitBluesky  = 2000
	AltLimitLinkedIn = 4086
	// MaxAltLength is the most any network takes; Post.Validate refuses
	// more, and CheckImages holds each network to its own.
	MaxAltLength = AltLimitLinkedIn
)

// maxImageSide bounds an image's width and height, far above any network's.
const maxImageSide = 1 << 20

// ImageHash is the hash a stored image is known by: the SHA-256 of its
// bytes in lowercase hexadecimal.
func ImageHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ValidImageHash reports whether h is shaped like an ImageHash.
func ValidImageHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := range len(h) {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ImageTypeOf tells a stored image's type by its first bytes; "" when it
// is none of the three.
func ImageTypeOf(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return ImageJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return ImagePNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return ImageGIF
	}
	return ""
}

// ValidImageType reports whether t is a type a stored image has.
func ValidImageType(t string) bool {
	return t == ImageJPEG || t == ImagePNG || t == ImageGIF
}

// Validate checks the image on its own; Post.Validate checks where it goes.
func (im Image) Validate() error {
	if !ValidImageHash(im.Hash) {
		return invalid("images", "error.image.hash", "an image's hash is missing or malformed")
	}
	if !ValidImageType(im.Type) {
		return invalid("images", "error.image.type", "an image is not a JPEG, PNG or GIF")
	}
	if im.Width < 1 || im.Height < 1 || im.Width > maxImageSide || im.Height > maxImageSide {
		return invalid("images", "error.image.size", "an image's width or height is out of range")
	}
	if !utf8.ValidString(im.Alt) {
		return invalid("images", "error.image.alt_utf8", "an image's alt text is not valid UTF-8")
	}
	if utf8.RuneCountInString(im.Alt) > MaxAltLength {
		return invalid("images", "error.image.alt_long", "an image's alt text is longer than any network takes")
	}
	return nil
}

// validateImages checks the post's images and returns which parts have one.
func (p Post) validateImages() (map[int]bool, error) {
	parts := len(p.Texts())
	count := map[int]int{}
	for _, im := range p.Images {
		if err := im.Validate(); err != nil {
			return nil, err
		}
		if im.Part < 0 || im.Part >= parts {
			return nil, invalid("images", "error.image.part", "an image goes with a thread part the post does not have")
		}
		if count[im.Part]++; count[im.Part] > MaxImagesPerPart {
			return nil, invalid("images", "error.image.too_many", "a post, or a part of a thread, takes at most 4 images")
		}
	}
	has := map[int]bool{}
	for part := range count {
		has[part] = true
	}
	return has, nil
}

// ImagesOf returns the images of one part of the post, in order.
func (p Post) ImagesOf(part int) []Image {
	var out []Image
	for _, im := range p.Images {
		if im.Part == part {
			out = append(out, im)
		}
	}
	return out
}

// ImageHashes returns the distinct hashes of the post's images, in order.
func (p Post) ImageHashes() []string {
	var out []string
	for _, im := range p.Images {
		if !slices.Contains(out, im.Hash) {
			out = append(out, im.Hash)
		}
	}
	return out
}

// ImageRules are what one network takes of a post's images. Counts and alt
// text are checked before publishing (CheckImages); bytes, pixels and types
// are met by fitting each image to them when it is uploaded.
type ImageRules struct {
	// MaxImages is how many images a post (each post of a thread) takes.
	MaxImages int
	// MaxAlt bounds the alt text, in graphemes when AltGraphemes, else in characters.
	MaxAlt       int
	AltGraphemes bool
	// MaxBytes bounds an uploaded image; MaxGIFBytes a GIF, where it
	// differs; MaxPixels its width × height. 0: no limit.
	MaxBytes, MaxGIFBytes, MaxPixels int64
	// Types are the image types the network takes.
	Types []string
}

// Mastodon's defaults, for an instance that does not say (Mastodon 4:
// statuses.max_media_attachments, media_attachments.image_size_limit and
// image_matrix_limit of /api/v2/instance).
const (
	MastodonDefaultMaxImages   = 4
	MastodonDefaultImageBytes  = 16 << 20
	MastodonDefaultImagePixels = 7680 * 4320
)

// ImageRulesFor returns the network's rules. Mastodon's are its defaults:
// an instance states its own (MastodonImageRules).
//
//   - X: four images; 5 MB a picture, 15 MB a GIF (developer.x.com, media
//     best practices); JPEG, PNG, GIF.
//   - Bluesky: four images (app.bsky.embed.images: "maxLength": 4);
//     1,000,000 bytes a blob; JPEG, PNG, GIF (a GIF shows still).
//   - LinkedIn: up to 20 in a MultiImage post, more than Kaiku's four; fewer
//     than 36,152,320 pixels (the Images API); JPEG, PNG, GIF. LinkedIn
//     states no limit in bytes.
func ImageRulesFor(n Network) ImageRules {
	all := []string{ImageJPEG, ImagePNG, ImageGIF}
	switch n {
	case NetworkX:
		return ImageRules{MaxImages: 4, MaxAlt: AltLimitX, MaxBytes: 5_000_000, MaxGIFBytes: 15_000_000, Types: all}
	case NetworkBluesky:
		return ImageRules{MaxImages: 4, MaxAlt: AltLimitBluesky, AltGraphemes: true, MaxBytes: 1_000_000, Types: all}
	case NetworkMastodon:
		return MastodonImageRules(0, 0, 0, nil)
	case NetworkLinkedIn:
		return ImageRules{MaxImages: 20, MaxAlt: AltLimitLinkedIn, MaxPixels: 36_152_319, Types: all}
	}
	return ImageRules{MaxImages: MaxImagesPerPart, MaxAlt: MaxAltLength, Types: all}
}

// MastodonImageRules are an instance's rules from what its /api/v2/instance
// says: statuses.max_media_attachments, media_attachments.image_size_limit,
// image_matrix_limit and supported_mime_types. What it leaves out (0, nil)
// is Mastodon's default.
func MastodonImageRules(maxImages int, sizeLimit, matrixLimit int64, types []string) ImageRules {
	r := ImageRules{MaxImages: maxImages, MaxAlt: AltLimitMastodon, MaxBytes: sizeLimit, MaxPixels: matrixLimit, Types: types}
	if r.MaxImages <= 0 {
		r.MaxImages = MastodonDefaultMaxImages
	}
	if r.MaxBytes <= 0 {
		r.MaxBytes = MastodonDefaultImageBytes
	}
	if r.MaxPixels <= 0 {
		r.MaxPixels = MastodonDefaultImagePixels
	}
	if len(r.Types) == 0 {
		r.Types = []string{ImageJPEG, ImagePNG, ImageGIF}
	}
	return r
}

// The keys of CheckImages's problems.
const (
	problemTooMany        = "check.image.too_many"
	problemTooManyPart    = "check.image.too_many_part"
	problemAltTooLong     = "check.image.alt_too_long"
	problemAltTooLongPart = "check.image.alt_too_long_part"
)

var imageRuleKeys = []string{problemTooMany, problemTooManyPart, problemAltTooLong, problemAltTooLongPart}

// ImageProblem is a way the post's images break a network's rules: the
// network would refuse the post. Key and Data say it in the user's
// language; Error in English, for the log.
type ImageProblem struct {
	Network Network
	// Part is the thread part (from 0); Image the image within it (from 0),
	// or -1 when the part as a whole is at fault.
	Part, Image int
	Key         string
	Data        map[string]any
	msg         string
}

func (e *ImageProblem) Error() string { return "invalid images: " + e.msg }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ImageProblem) Unwrap() error { return ErrInvalid }

// CheckImages checks the post's images against one network's rules before
// publishing: how many each post of it carries, and how long each alt text
// is. The outbox calls it for each target, the composer as the user writes;
// nil means the network takes them.
func CheckImages(p Post, n Network, r ImageRules) []*ImageProblem {
	var out []*ImageProblem
	thread := len(p.Parts) > 0
	for part := range p.Texts() {
		ims := p.ImagesOf(part)
		if len(ims) > r.MaxImages {
			key, msg := problemTooMany, fmt.Sprintf("%s takes at most %d images a post; this one has %d", n.DisplayName(), r.MaxImages, len(ims))
			if thread {
				key, msg = problemTooManyPart, fmt.Sprintf("%s takes at most %d images a post; part %d has %d", n.DisplayName(), r.MaxImages, part+1, len(ims))
			}
			out = append(out, &ImageProblem{Network: n, Part: part, Image: -1, Key: key, msg: msg,
				Data: map[string]any{"Network": n.DisplayName(), "Max": r.MaxImages, "Count": len(ims), "Part": part + 1}})
		}
		for i, im := range ims {
			length := utf8.RuneCountInString(im.Alt)
			if r.AltGraphemes {
				length = uniseg.GraphemeClusterCount(im.Alt)
			}
			if r.MaxAlt > 0 && length > r.MaxAlt {
				key, msg := problemAltTooLong, fmt.Sprintf("the alt text of image %d is %d characters; %s takes %d", i+1, length, n.DisplayName(), r.MaxAlt)
				if thread {
					key, msg = problemAltTooLongPart, fmt.Sprintf("the alt text of image %d in part %d is %d characters; %s takes %d", i+1, part+1, length, n.DisplayName(), r.MaxAlt)
				}
				out = append(out, &ImageProblem{Network: n, Part: part, Image: i, Key: key, msg: msg,
					Data: map[string]any{"Network": n.DisplayName(), "Max": r.MaxAlt, "Length": length, "Number": i + 1, "Part": part + 1}})
			}
		}
	}
	return out
}

// missingAlt lists the post's images without alt text, for Check.
func missingAlt(p Post) []Warning {
	var out []Warning
	thread := len(p.Parts) > 0
	for part := range p.Texts() {
		for i, im := range p.ImagesOf(part) {
			if strings.TrimSpace(im.Alt) != "" {
				continue
			}
			w := Warning{Key: WarnImageAlt, Severity: SeverityWarning, Data: map[string]any{"Number": i + 1}}
			if thread {
				w.Key, w.Data["Part"] = WarnImageAltPart, part+1
			}
			out = append(out, w)
		}
	}
	return out
}
